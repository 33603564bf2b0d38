import { generateApiKeySecret, hashApiKeySecret, type Store } from '@prism/sdk';

/** The tenant of the first admin key. */
export const BOOTSTRAP_TENANT = 'default';

/**
 * Makes sure an admin can get in: with `secret` (`PRISM_BOOTSTRAP_KEY`), an admin key with that
 * secret exists afterwards; without, a first start (the default tenant has no key yet) creates
 * one. Returns the new key's secret when one was generated here — the only time it is known,
 * to be shown once — and `undefined` otherwise.
 */
export async function ensureBootstrapKey(
  store: Store,
  options: { secret?: string | undefined; now?: () => Date } = {},
): Promise<string | undefined> {
  const now = options.now ?? (() => new Date());
  if (options.secret !== undefined) {
    if (await store.apiKeys.findBySecretHash(hashApiKeySecret(options.secret))) return undefined;
    await insertAdminKey(store, options.secret, now());
    return undefined;
  }
  const existing = await store.apiKeys.list(BOOTSTRAP_TENANT, { limit: 1 });
  if (existing.data.length > 0) return undefined;
  const secret = generateApiKeySecret();
  await insertAdminKey(store, secret, now());
  return secret;
}

async function insertAdminKey(store: Store, secret: string, at: Date): Promise<void> {
  const hash = hashApiKeySecret(secret);
  await store.apiKeys.insert({
    id: `key_bootstrap_${hash.slice(0, 12)}`,
    tenantId: BOOTSTRAP_TENANT,
    name: 'bootstrap admin',
    prefix: secret.slice(0, 13),
    role: 'admin',
    createdAt: at.toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    secretHash: hash,
  });
}
