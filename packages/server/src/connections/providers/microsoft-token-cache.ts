import type { ICachePlugin, JsonCache, TokenCacheContext } from '@azure/msal-node';

/**
 * MSAL's token cache for one connection, held in memory for one operation. MSAL keeps the
 * refresh token only in its cache, so Prism persists the whole serialized cache with the
 * connection's tokens (`ConnectionTokens.extra.msalCache`, encrypted by the vault) and gives
 * each operation a fresh client whose cache plugin is one of these: it loads the stored cache
 * before MSAL reads it and keeps what MSAL writes, for the caller to store again. No cache is
 * shared between connections, so one connection's refresh can never see another's tokens.
 */
export class ConnectionTokenCache implements ICachePlugin {
  #serialized: string;

  /** A cache holding `serialized` (MSAL's JSON cache format); empty without it. */
  constructor(serialized = '') {
    this.#serialized = serialized;
  }

  /** The cache as MSAL last wrote it, or as given when MSAL has not written it; '' if empty. */
  get serialized(): string {
    return this.#serialized;
  }

  /** Loads the stored cache into MSAL's memory before MSAL reads or changes it. */
  async beforeCacheAccess(context: TokenCacheContext): Promise<void> {
    if (this.#serialized) context.tokenCache.deserialize(this.#serialized);
  }

  /** Keeps MSAL's cache after it changed it (new tokens, a rotated refresh token). */
  async afterCacheAccess(context: TokenCacheContext): Promise<void> {
    if (context.cacheHasChanged) this.#serialized = context.tokenCache.serialize();
  }

  /** The refresh token the cache holds for the account `homeAccountId`, or null. */
  refreshTokenOf(homeAccountId: string): string | null {
    if (!this.#serialized) return null;
    const cache = JSON.parse(this.#serialized) as Partial<JsonCache>;
    const entry = Object.values(cache.RefreshToken ?? {}).find(
      (token) => token.home_account_id === homeAccountId,
    );
    return entry?.secret ?? null;
  }
}
