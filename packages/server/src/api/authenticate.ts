import { hashApiKeySecret, type Store } from '@prism/sdk';
import { bearerTokenOf } from '../auth/bearer.js';
import type { Principal } from './roles.js';

/** How long a key's `lastUsedAt` may lag behind its use, so reads do not each write. */
export const LAST_USED_RESOLUTION_MS = 60_000;

/** Why a request is not authenticated. */
export type AuthFailure = 'missing' | 'unknown' | 'revoked';

/**
 * Finds who an `Authorization: Bearer prism_sk_...` header belongs to: the key is hashed and
 * looked up (the store never holds keys), a revoked key is refused, and its `lastUsedAt` is
 * brought up to date at most once a minute.
 */
export class ApiKeyAuthenticator {
  readonly #store: Store;
  readonly #now: () => Date;

  constructor(store: Store, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  /** The principal of the header, or why there is none. */
  async authenticate(header: string | undefined): Promise<Principal | AuthFailure> {
    const secret = bearerTokenOf(header);
    if (secret === undefined) return 'missing';
    const key = await this.#store.apiKeys.findBySecretHash(hashApiKeySecret(secret));
    if (!key) return 'unknown';
    if (key.revokedAt !== null) return 'revoked';
    const now = this.#now();
    const lastUsed = key.lastUsedAt === null ? 0 : Date.parse(key.lastUsedAt);
    if (now.getTime() - lastUsed >= LAST_USED_RESOLUTION_MS) {
      await this.#store.apiKeys.update(key.tenantId, key.id, (current) => ({
        ...current,
        lastUsedAt: now.toISOString(),
      }));
    }
    return {
      tenantId: key.tenantId,
      role: key.role,
      actor: { type: 'api_key', id: key.id, name: key.name },
    };
  }
}
