import { type Connection, PrismError } from '@prism/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConnectionSecrets } from '../../src/connections/connection-secrets.js';
import { ConnectionNotActiveError } from '../../src/connections/token-errors.js';
import {
  TokenProvider,
  type TokenProviderOptions,
  type TokenSecrets,
} from '../../src/connections/token-provider.js';
import {
  type ConnectionTokens,
  OAuthError,
  type OAuthProvider,
} from '../../src/connections/types.js';
import { Vault } from '../../src/connections/vault.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { startTokenEndpoint, type TokenEndpoint } from './token-endpoint.js';
import { expiredTokens, seedConnection, TENANT } from './token-fixtures.js';
import { tokenEndpointProvider } from './token-oauth-provider.js';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const inMinutes = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000).toISOString();

describe('TokenProvider', () => {
  let store: SqlStore;
  let secrets: ConnectionSecrets;
  const endpoints: TokenEndpoint[] = [];

  beforeAll(async () => {
    store = await openStore();
    secrets = new ConnectionSecrets(store.client, new Vault(generateEncryptionKey('test-key')));
  }, 60_000);
  afterEach(async () => {
    await Promise.all(endpoints.splice(0).map((endpoint) => endpoint.close()));
  });
  afterAll(async () => {
    await store.close();
  });

  const endpointWith = async (options: Parameters<typeof startTokenEndpoint>[0]) => {
    const endpoint = await startTokenEndpoint(options);
    endpoints.push(endpoint);
    return endpoint;
  };
  const seed = (tokens: ConnectionTokens, status?: Connection['status']) =>
    seedConnection(store.connections, secrets, tokens, status);
  const providerOf = (
    endpoint: TokenEndpoint,
    extra: Partial<TokenProviderOptions> = {},
    beforeRefresh?: (tokens: ConnectionTokens) => Promise<void>,
  ) =>
    new TokenProvider({
      store,
      secrets,
      providerFor: () =>
        tokenEndpointProvider({ tokenUrl: endpoint.url, now: () => NOW, beforeRefresh }),
      now: () => NOW,
      ...extra,
    });

  it('refreshes an expired token once for 50 concurrent callers', async () => {
    // Every caller has read the expired tokens before the refresh is answered: 50 reads, plus
    // the one re-read under the lock.
    let reads = 0;
    let allRead = () => {};
    const allHaveRead = new Promise<void>((resolve) => {
      allRead = resolve;
    });
    const countingSecrets: TokenSecrets = {
      read: (tenantId, connectionId) => {
        reads += 1;
        if (reads === 51) allRead();
        return secrets.read(tenantId, connectionId);
      },
      replace: (...args) => secrets.replace(...args),
    };
    const endpoint = await endpointWith({
      refreshTokens: ['refresh-0'],
      beforeAnswer: () => allHaveRead,
    });
    const connection = await seed(expiredTokens(NOW));
    const tokens = providerOf(endpoint, { secrets: countingSecrets });

    const results = await Promise.all(
      Array.from({ length: 50 }, () => tokens.getAccessToken(TENANT, connection.id)),
    );

    expect(endpoint.grants).toEqual(['refresh-0']);
    expect(new Set(results.map((result) => result.accessToken))).toEqual(new Set(['access-1']));
    expect(results[0]).toEqual({
      accessToken: 'access-1',
      expiresAt: inMinutes(60),
      extra: { instanceUrl: 'https://acme.my.salesforce.com' },
    });
    expect(tokens.stats).toEqual({ refreshes: 1, refreshFailures: 0 });
  });

  it('stores the rotated refresh token under a new version and uses it until it nears expiry', async () => {
    const endpoint = await endpointWith({ refreshTokens: ['refresh-0'] });
    const connection = await seed(expiredTokens(NOW));
    const tokens = providerOf(endpoint);

    await tokens.getAccessToken(TENANT, connection.id);
    const again = await tokens.getAccessToken(TENANT, connection.id);

    expect(again.accessToken).toBe('access-1');
    expect(endpoint.grants).toEqual(['refresh-0']);
    expect(await secrets.read(TENANT, connection.id)).toEqual({
      tokens: {
        accessToken: 'access-1',
        refreshToken: 'refresh-1',
        expiresAt: inMinutes(60),
        extra: { instanceUrl: 'https://acme.my.salesforce.com' },
      },
      version: 2,
    });
    const stored = await store.connections.get(TENANT, connection.id);
    expect(stored).toMatchObject({ status: 'active', expiresAt: inMinutes(60) });
    expect(stored?.updatedAt).toBe(NOW.toISOString());
  });

  it('makes no refresh while the token is valid for longer than the skew', async () => {
    const endpoint = await endpointWith({ refreshTokens: ['refresh-0'] });
    const connection = await seed({ ...expiredTokens(NOW), expiresAt: inMinutes(30) });
    const tokens = providerOf(endpoint);

    const token = await tokens.getAccessToken(TENANT, connection.id);

    expect(token.accessToken).toBe('access-0');
    expect(endpoint.grants).toEqual([]);
    expect(tokens.stats).toEqual({ refreshes: 0, refreshFailures: 0 });
  });

  it('uses a token with no known expiry as it is', async () => {
    const endpoint = await endpointWith({ refreshTokens: [] });
    const connection = await seed({ ...expiredTokens(NOW), refreshToken: null, expiresAt: null });

    const token = await providerOf(endpoint).getAccessToken(TENANT, connection.id);

    expect(token).toMatchObject({ accessToken: 'access-0', expiresAt: null });
    expect(endpoint.grants).toEqual([]);
  });

  it('refreshes ahead of expiry, within the skew (5 minutes unless set)', async () => {
    const endpoint = await endpointWith({ refreshTokens: ['refresh-0'] });
    const soon = await seed({ ...expiredTokens(NOW), expiresAt: inMinutes(4) });
    const later = await seed({ ...expiredTokens(NOW), expiresAt: inMinutes(4) });

    const byDefault = await providerOf(endpoint).getAccessToken(TENANT, soon.id);
    const withShortSkew = await providerOf(endpoint, { refreshSkewMs: 60_000 }).getAccessToken(
      TENANT,
      later.id,
    );

    expect(byDefault.accessToken).toBe('access-1');
    expect(withShortSkew.accessToken).toBe('access-0');
    expect(endpoint.grants).toEqual(['refresh-0']);
  });

  it('uses the tokens another instance stored when the provider refuses the old refresh token', async () => {
    // Another instance used refresh-0 and stored what it got between this one's read and refresh.
    const endpoint = await endpointWith({ refreshTokens: ['refresh-other'] });
    const connection = await seed(expiredTokens(NOW));
    const onNeedsReauth = vi.fn();
    const tokens = providerOf(endpoint, { onNeedsReauth }, async () => {
      const written = await secrets.replace(
        TENANT,
        connection.id,
        {
          accessToken: 'access-other',
          refreshToken: 'refresh-other',
          expiresAt: inMinutes(60),
          extra: {},
        },
        1,
      );
      expect(written).toBe(true);
    });

    const token = await tokens.getAccessToken(TENANT, connection.id);

    expect(token.accessToken).toBe('access-other');
    expect(endpoint.grants).toEqual(['refresh-0']);
    expect((await store.connections.get(TENANT, connection.id))?.status).toBe('active');
    expect(onNeedsReauth).not.toHaveBeenCalled();
    expect((await secrets.read(TENANT, connection.id))?.tokens.refreshToken).toBe('refresh-other');
  });

  it('marks the connection needs_reauth once when the provider refuses its refresh token', async () => {
    const endpoint = await endpointWith({ refreshTokens: [] });
    const connection = await seed(expiredTokens(NOW));
    const onNeedsReauth = vi.fn();
    const tokens = providerOf(endpoint, { onNeedsReauth });

    const failures = await Promise.allSettled(
      Array.from({ length: 10 }, () => tokens.getAccessToken(TENANT, connection.id)),
    );

    const errors = failures.map((failure) =>
      failure.status === 'rejected' ? (failure.reason as unknown) : undefined,
    );
    for (const error of errors) {
      expect(error).toBeInstanceOf(OAuthError);
      expect(error).toMatchObject({
        code: 'invalid_grant',
        hint: expect.stringMatching(/connect/i),
      });
      expect((error as Error).message).not.toContain('refresh-0');
      expect((error as Error).message).not.toContain('access-0');
    }
    expect(endpoint.grants).toEqual(['refresh-0']);
    const marked = await store.connections.get(TENANT, connection.id);
    expect(marked).toMatchObject({ status: 'needs_reauth', updatedAt: NOW.toISOString() });
    expect(onNeedsReauth).toHaveBeenCalledTimes(1);
    expect(onNeedsReauth).toHaveBeenCalledWith(marked);
    expect(tokens.stats).toEqual({ refreshes: 0, refreshFailures: 1 });

    await expect(tokens.getAccessToken(TENANT, connection.id)).rejects.toMatchObject({
      code: 'connection_not_active',
      status: 'needs_reauth',
    });
    expect(endpoint.grants).toHaveLength(1);
  });

  it('marks a connection needs_reauth when its token expired and it has no refresh token', async () => {
    const endpoint = await endpointWith({ refreshTokens: [] });
    const connection = await seed({ ...expiredTokens(NOW), refreshToken: null });
    const onNeedsReauth = vi.fn();

    await expect(
      providerOf(endpoint, { onNeedsReauth }).getAccessToken(TENANT, connection.id),
    ).rejects.toMatchObject({ code: 'invalid_grant' });

    expect(endpoint.grants).toEqual([]);
    expect(onNeedsReauth).toHaveBeenCalledTimes(1);
    expect((await store.connections.get(TENANT, connection.id))?.status).toBe('needs_reauth');
  });

  it('keeps the connection active when the provider is unreachable', async () => {
    const connection = await seed(expiredTokens(NOW));
    const unreachable: OAuthProvider = {
      ...tokenEndpointProvider({ tokenUrl: 'http://127.0.0.1:9/token' }),
      refresh: () =>
        Promise.reject(new OAuthError('provider_unavailable', 'Salesforce answered 503.')),
    };
    const onNeedsReauth = vi.fn();
    const tokens = new TokenProvider({
      store,
      secrets,
      providerFor: () => unreachable,
      onNeedsReauth,
      now: () => NOW,
    });

    await expect(tokens.getAccessToken(TENANT, connection.id)).rejects.toMatchObject({
      code: 'provider_unavailable',
    });

    expect((await store.connections.get(TENANT, connection.id))?.status).toBe('active');
    expect(onNeedsReauth).not.toHaveBeenCalled();
    expect(tokens.stats).toEqual({ refreshes: 0, refreshFailures: 1 });
  });

  it("uses the other writer's tokens when they were replaced while it refreshed", async () => {
    const endpoint = await endpointWith({ refreshTokens: ['refresh-0'] });
    const connection = await seed(expiredTokens(NOW));
    const theirs: ConnectionTokens = {
      accessToken: 'access-theirs',
      refreshToken: 'refresh-theirs',
      expiresAt: inMinutes(50),
      extra: {},
    };
    const racingSecrets: TokenSecrets = {
      read: (tenantId, connectionId) => secrets.read(tenantId, connectionId),
      replace: async (tenantId, connectionId, tokens, expectedVersion) => {
        await secrets.replace(tenantId, connectionId, theirs, expectedVersion);
        return secrets.replace(tenantId, connectionId, tokens, expectedVersion);
      },
    };

    const token = await providerOf(endpoint, { secrets: racingSecrets }).getAccessToken(
      TENANT,
      connection.id,
    );

    expect(token.accessToken).toBe('access-theirs');
    expect(await secrets.read(TENANT, connection.id)).toMatchObject({ tokens: theirs, version: 2 });
  });

  it.each([
    ['pending', /authorization URL/],
    ['needs_reauth', /connect the account again/],
    ['revoked', /connect the account again/],
  ] as const)('refuses a %s connection without calling the provider', async (status, hint) => {
    const endpoint = await endpointWith({ refreshTokens: ['refresh-0'] });
    const connection = await seed(expiredTokens(NOW), status);

    const refused = providerOf(endpoint).getAccessToken(TENANT, connection.id);

    await expect(refused).rejects.toBeInstanceOf(ConnectionNotActiveError);
    await expect(refused).rejects.toMatchObject({
      code: 'connection_not_active',
      status,
      hint: expect.stringMatching(hint),
    });
    expect(endpoint.grants).toEqual([]);
  });

  it("refuses a connection that is not the tenant's", async () => {
    const endpoint = await endpointWith({ refreshTokens: ['refresh-0'] });
    const connection = await seed(expiredTokens(NOW));

    const refused = providerOf(endpoint).getAccessToken('ten_other', connection.id);

    await expect(refused).rejects.toBeInstanceOf(PrismError);
    await expect(refused).rejects.toMatchObject({ code: 'not_found' });
    expect(endpoint.grants).toEqual([]);
  });
});
