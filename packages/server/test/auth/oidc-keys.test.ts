import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateApiKeySecret, hashApiKeySecret, PrismService } from '@prism/sdk';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { OidcAuthenticator, type OidcOptions } from '../../src/auth/index.js';
import { buildServer } from '../../src/server.js';
import { expectProblem } from '../api/harness.js';
import {
  AUDIENCE,
  newSigningKey,
  type SigningKey,
  TestIdentityProvider,
} from './identity-provider.js';

let idp: TestIdentityProvider;
let firstKey: SigningKey;
let secondKey: SigningKey;
let thirdKey: SigningKey;
let service: PrismService;
/** A server trusting the identity provider; it may fetch the key set again at once. */
let app: FastifyInstance;

beforeAll(async () => {
  [firstKey, secondKey, thirdKey] = await Promise.all([
    newSigningKey('2025-01'),
    newSigningKey('2025-02'),
    newSigningKey('2025-03'),
  ]);
  idp = await TestIdentityProvider.start([firstKey]);
  service = new PrismService();
  app = await buildServer({
    service,
    oidc: { issuer: idp.issuer, audience: AUDIENCE, jwksCooldownMs: 0 },
  });
});

afterEach(() => {
  idp.published = [firstKey];
  idp.jwksStatus = 200;
  idp.discoveryStatus = 200;
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  await idp?.close();
});

/** An authenticator of the identity provider's tokens, with a cache of its keys of its own. */
function authenticatorOf(options: Partial<OidcOptions> = {}): OidcAuthenticator {
  return new OidcAuthenticator({ issuer: idp.issuer, audience: AUDIENCE, ...options });
}

function listDocuments(bearer: string): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'GET',
    url: '/v2/documents',
    headers: { authorization: `Bearer ${bearer}` },
  });
}

/** A viewer token of tenant `acme`, signed with `key`. */
function tokenSignedWith(key: SigningKey): Promise<string> {
  return idp.sign({ tenant: 'acme', roles: 'viewer' }, { key });
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const VIEWER_OF_ACME = {
  tenantId: 'acme',
  role: 'viewer',
  actor: { type: 'user', id: 'user-1', name: null },
};

describe('keys the identity provider rotates', () => {
  it('are picked up without a restart, and a retired key stops working', async () => {
    expect((await listDocuments(await tokenSignedWith(firstKey))).statusCode).toBe(200);

    idp.published = [secondKey];
    expect((await listDocuments(await tokenSignedWith(secondKey))).statusCode).toBe(200);

    const retired = await listDocuments(await tokenSignedWith(firstKey));
    expect(expectProblem(retired, 401, 'unauthorized').detail).toBe(
      `The token's signing key "2025-01" is not among the identity provider's published keys.`,
    );
  });

  it('are fetched once and then served from the cache', async () => {
    const authenticator = authenticatorOf();
    const before = idp.jwksFetches;
    for (let i = 0; i < 3; i += 1) {
      expect(await authenticator.authenticate(await tokenSignedWith(firstKey))).toEqual(
        VIEWER_OF_ACME,
      );
    }
    expect(idp.jwksFetches).toBe(before + 1);
  });

  it('are not fetched again for an unknown key within the cooldown after a fetch', async () => {
    const authenticator = authenticatorOf({ jwksCooldownMs: 30_000 });
    await authenticator.authenticate(await tokenSignedWith(firstKey));
    const before = idp.jwksFetches;
    idp.published = [firstKey, secondKey];
    expect(await authenticator.authenticate(await tokenSignedWith(secondKey))).toMatchObject({
      status: 401,
      reason: 'invalid_token',
    });
    expect(idp.jwksFetches).toBe(before);
  });
});

describe('an identity provider that cannot be reached', () => {
  it('makes a token answer 503 auth_unavailable, not 401, while API keys keep working', async () => {
    // A key the server has never seen, so its key set must be fetched whatever it has cached.
    idp.published = [firstKey, thirdKey];
    const token = await tokenSignedWith(thirdKey);
    idp.jwksStatus = 500;
    const problem = expectProblem(await listDocuments(token), 503, 'auth_unavailable');
    expect(problem).toMatchObject({
      title: 'Service unavailable',
      detail:
        "The identity provider's signing keys cannot be fetched, so the token cannot be checked.",
    });

    const secret = generateApiKeySecret();
    await service.core.store.apiKeys.insert({
      id: 'key_ops',
      tenantId: 'acme',
      name: 'ops',
      prefix: secret.slice(0, 13),
      role: 'viewer',
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
      secretHash: hashApiKeySecret(secret),
    });
    expect((await listDocuments(secret)).statusCode).toBe(200);

    idp.jwksStatus = 200;
    expect((await listDocuments(token)).statusCode).toBe(200);
  });

  it('refuses as unavailable while its discovery document fails, and recovers', async () => {
    const authenticator = authenticatorOf();
    const token = await tokenSignedWith(firstKey);
    idp.discoveryStatus = 503;
    expect(await authenticator.authenticate(token)).toMatchObject({
      status: 503,
      code: 'auth_unavailable',
    });
    idp.discoveryStatus = 200;
    expect(await authenticator.authenticate(token)).toEqual(VIEWER_OF_ACME);
  });

  it('refuses as unavailable when the key set URL refuses connections', async () => {
    const authenticator = authenticatorOf({
      jwksUrl: `http://127.0.0.1:${await closedPort()}/keys`,
    });
    const refusal = await authenticator.authenticate(await tokenSignedWith(firstKey));
    expect(refusal).toMatchObject({ status: 503, code: 'auth_unavailable' });
    expect((refusal as { cause?: Error }).cause?.message).toMatch(/could not be fetched/);
  });
});

describe('a key set URL given in the settings', () => {
  it('is used instead of the discovery document', async () => {
    const authenticator = authenticatorOf({ jwksUrl: idp.jwksUrl });
    idp.discoveryStatus = 500;
    expect(await authenticator.authenticate(await tokenSignedWith(firstKey))).toEqual(
      VIEWER_OF_ACME,
    );
  });
});
