import { PrismService } from '@prism/sdk';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { SignJWT, UnsecuredJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server.js';
import { expectProblem, NOTES_UPLOAD } from '../api/harness.js';
import {
  AUDIENCE,
  newSigningKey,
  type SigningKey,
  TestIdentityProvider,
} from './identity-provider.js';

let idp: TestIdentityProvider;
let app: FastifyInstance;
let service: PrismService;
/** A key of the right kind that the identity provider does not publish. */
let strangerKey: SigningKey;

beforeAll(async () => {
  const keys = await Promise.all([
    newSigningKey('es-1', 'ES256'),
    newSigningKey('rs-1', 'RS256'),
    newSigningKey('ps-1', 'PS256'),
    newSigningKey('ed-1', 'EdDSA'),
  ]);
  strangerKey = await newSigningKey('stranger', 'ES256');
  idp = await TestIdentityProvider.start(keys);
  service = new PrismService();
  // The key set may be fetched again at once, so a refetch for an unknown key is seen here.
  app = await buildServer({
    service,
    oidc: { issuer: idp.issuer, audience: AUDIENCE, jwksCooldownMs: 0 },
  });
});

afterAll(async () => {
  await app?.close();
  await service?.close();
  await idp?.close();
});

function call(
  bearer: string | undefined,
  method: 'GET' | 'POST',
  url: string,
  payload?: object,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` },
    ...(payload === undefined ? {} : { payload }),
  });
}

/** A token of tenant `acme` with `roles`. */
function tokenOf(roles: unknown, claims: Record<string, unknown> = {}): Promise<string> {
  return idp.sign({ tenant: 'acme', roles, ...claims });
}

describe('an access token of the identity provider', () => {
  it('reaches the API as its tenant, role and user', async () => {
    const analyst = await tokenOf(['analyst'], { sub: 'user-ada', name: 'Ada Lovelace' });
    const created = await call(analyst, 'POST', '/v2/documents', NOTES_UPLOAD);
    expect(created.statusCode, created.body).toBe(201);
    const document = created.json() as { id: string; tenantId?: string };

    const listed = await call(analyst, 'GET', '/v2/documents');
    expect(listed.statusCode).toBe(200);
    expect((listed.json() as { data: { id: string }[] }).data.map(({ id }) => id)).toContain(
      document.id,
    );

    // The audit log names the token's user, in the token's tenant.
    const admin = await tokenOf(['org_admin'], { sub: 'user-grace', email: 'grace@acme.test' });
    const audit = await call(admin, 'GET', '/v2/audit-events');
    expect(audit.statusCode, audit.body).toBe(200);
    const events = (
      audit.json() as { data: { tenantId: string; actor: unknown; target: { id: string } }[] }
    ).data;
    expect(events.find((event) => event.target.id === document.id)).toMatchObject({
      tenantId: 'acme',
      actor: { type: 'user', id: 'user-ada', name: 'Ada Lovelace' },
    });
  });

  it.each(['ES256', 'RS256', 'PS256', 'EdDSA'])('is accepted signed with %s', async (alg) => {
    const key = idp.published.find((published) => published.alg === alg) as SigningKey;
    const token = await idp.sign({ tenant: 'acme', roles: 'viewer' }, { key });
    expect((await call(token, 'GET', '/v2/documents')).statusCode).toBe(200);
  });

  it('is accepted up to 60 s past its expiry, for clocks that differ', async () => {
    const token = await idp.sign({ tenant: 'acme', roles: 'viewer' }, { expiresIn: -30 });
    expect((await call(token, 'GET', '/v2/documents')).statusCode).toBe(200);
  });
});

/** A token that is refused, and what the refusal's detail says. */
interface RefusedToken {
  name: string;
  token: () => Promise<string>;
  detail: RegExp;
}

const REFUSED: RefusedToken[] = [
  {
    name: 'of another issuer',
    token: () => tokenOf('viewer', { iss: 'https://login.other.test' }),
    detail:
      /^The token was issued by "https:\/\/login\.other\.test", not by "http:\/\/127\.0\.0\.1:\d+"\.$/,
  },
  {
    name: 'for another audience',
    token: () => tokenOf('viewer', { aud: 'https://billing.test' }),
    detail:
      /^The token is for audience "https:\/\/billing\.test", not "https:\/\/prism\.test\/api"\.$/,
  },
  {
    name: 'expired',
    token: () => idp.sign({ tenant: 'acme', roles: 'viewer' }, { expiresIn: -600 }),
    detail: /^The token expired at \d{4}-\d\d-\d\dT[\d:.]+Z\.$/,
  },
  {
    name: 'not yet valid',
    token: () => idp.sign({ tenant: 'acme', roles: 'viewer' }, { notBefore: 600 }),
    detail: /^The token is not valid before \d{4}-\d\d-\d\dT[\d:.]+Z\.$/,
  },
  {
    name: 'without exp',
    token: () => idp.sign({ tenant: 'acme', roles: 'viewer' }, { expiresIn: null }),
    detail: /^The token has no "exp" claim\.$/,
  },
  {
    name: 'signed with a shared secret (HS256)',
    token: () =>
      new SignJWT({ tenant: 'acme', roles: 'admin', sub: 'mallory' })
        .setProtectedHeader({ alg: 'HS256', kid: 'es-1' })
        .setIssuer(idp.issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode('a secret anyone could have guessed')),
    detail: /^The token is signed with HS256; only RS256, ES256, PS256, EdDSA are accepted\.$/,
  },
  {
    name: 'unsigned (alg none)',
    token: async () =>
      new UnsecuredJWT({ tenant: 'acme', roles: 'admin', sub: 'mallory' })
        .setIssuer(idp.issuer)
        .setAudience(AUDIENCE)
        .setExpirationTime('5m')
        .encode(),
    detail: /^The token is signed with none; only RS256/,
  },
  {
    name: 'signed with a key the issuer does not publish',
    token: () => idp.sign({ tenant: 'acme', roles: 'viewer' }, { key: strangerKey }),
    detail:
      /^The token's signing key "stranger" is not among the identity provider's published keys\.$/,
  },
  {
    name: 'tampered with (viewer made admin)',
    token: async () => {
      const [header, , signature] = (await tokenOf('viewer')).split('.');
      const payload = Buffer.from(
        JSON.stringify({
          iss: idp.issuer,
          aud: AUDIENCE,
          sub: 'user-1',
          exp: Math.floor(Date.now() / 1000) + 300,
          tenant: 'acme',
          roles: 'admin',
        }),
      ).toString('base64url');
      return `${header}.${payload}.${signature}`;
    },
    detail: /^The token's signature does not match its contents\.$/,
  },
  {
    name: 'without a tenant claim',
    token: () => idp.sign({ roles: 'viewer' }),
    detail: /^The token has no "tenant" claim naming its Prism tenant\.$/,
  },
  {
    name: 'without a sub claim',
    token: () => idp.sign({ tenant: 'acme', roles: 'viewer', sub: undefined }),
    detail: /^The token has no "sub" claim naming its user\.$/,
  },
  {
    name: 'not a JWT at all',
    token: async () => 'not-a-token',
    detail: /^The bearer is neither an API key \(prism_sk_\.\.\.\) nor a well-formed signed JWT\.$/,
  },
];

describe('a token that proves nobody', () => {
  it.each(REFUSED)('is refused with a 401 saying why: $name', async ({ token, detail }) => {
    const response = await call(await token(), 'GET', '/v2/documents');
    const problem = expectProblem(response, 401, 'unauthorized');
    expect(problem.detail).toMatch(detail);
  });

  it('gets a detail of its own for each failure', async () => {
    const details = new Set<unknown>();
    for (const { token } of REFUSED) {
      details.add((await call(await token(), 'GET', '/v2/documents')).json().detail);
    }
    expect(details.size).toBe(REFUSED.length);
  });

  it('is refused before it writes anything', async () => {
    const expired = await idp.sign({ tenant: 'quiet', roles: 'admin' }, { expiresIn: -600 });
    expectProblem(await call(expired, 'POST', '/v2/documents', NOTES_UPLOAD), 401, 'unauthorized');
    const viewer = await idp.sign({ tenant: 'quiet', roles: 'viewer' });
    expect((await call(viewer, 'GET', '/v2/documents')).json()).toMatchObject({ data: [] });
  });

  it('naming an unknown key makes the server fetch the key set again before refusing', async () => {
    const before = idp.jwksFetches;
    const response = await call(
      await idp.sign({ tenant: 'acme', roles: 'viewer' }, { key: strangerKey }),
      'GET',
      '/v2/documents',
    );
    expectProblem(response, 401, 'unauthorized');
    expect(idp.jwksFetches).toBe(before + 1);
  });
});

describe('the roles of a token', () => {
  it('give it the highest Prism role it names, ignoring names Prism does not know', async () => {
    const token = await tokenOf(['viewer', 'Prism.Owner', 'lead', 'analyst']);
    expect((await call(token, 'POST', '/v2/documents', NOTES_UPLOAD)).statusCode).toBe(201);
    const problem = expectProblem(await call(token, 'GET', '/v2/api-keys'), 403, 'forbidden');
    expect(problem.detail).toBe(
      'listApiKeys needs the org_admin role or higher; this user is lead.',
    );
  });

  it('may be one string, or several separated by spaces', async () => {
    const single = await tokenOf('analyst');
    expect((await call(single, 'POST', '/v2/documents', NOTES_UPLOAD)).statusCode).toBe(201);
    const several = await tokenOf('viewer org_admin');
    expect((await call(several, 'GET', '/v2/api-keys')).statusCode).toBe(200);
  });

  it.each([
    ['no roles claim', undefined],
    ['only unknown roles', ['Prism.Owner', 'superuser']],
    ['roles that are not strings', [4, { role: 'admin' }]],
  ])('without a Prism role (%s) are refused with 403, even for reading', async (_, roles) => {
    const response = await call(await tokenOf(roles), 'GET', '/v2/documents');
    const problem = expectProblem(response, 403, 'forbidden');
    expect(problem.detail).toBe(
      `The token's "roles" claim holds no Prism role (one of viewer, analyst, lead, org_admin, admin).`,
    );
  });
});

describe('tokens of two tenants', () => {
  it('each see only their own tenant', async () => {
    const north = await idp.sign({ tenant: 'north', roles: 'analyst', sub: 'same-user' });
    const south = await idp.sign({ tenant: 'south', roles: 'admin', sub: 'same-user' });
    const created = await call(north, 'POST', '/v2/documents', NOTES_UPLOAD);
    const { id } = created.json() as { id: string };

    expect((await call(south, 'GET', '/v2/documents')).json()).toMatchObject({ data: [] });
    expectProblem(await call(south, 'GET', `/v2/documents/${id}`), 404, 'not_found');
    expect((await call(north, 'GET', `/v2/documents/${id}`)).statusCode).toBe(200);
  });
});

describe('API keys beside tokens', () => {
  it('still work, in the tenant of the token that made them', async () => {
    const admin = await tokenOf(['org_admin']);
    const made = await call(admin, 'POST', '/v2/api-keys', { name: 'ci', role: 'viewer' });
    expect(made.statusCode, made.body).toBe(201);
    const { secret } = made.json() as { secret: string };
    const byKey = await call(secret, 'GET', '/v2/documents');
    const byToken = await call(admin, 'GET', '/v2/documents');
    expect(byKey.statusCode).toBe(200);
    expect(byKey.json()).toEqual(byToken.json());
  });

  it('that are not known are refused as keys, with a hint naming both ways in', async () => {
    const response = await call(`prism_sk_${'x'.repeat(32)}`, 'GET', '/v2/documents');
    const problem = expectProblem(response, 401, 'unauthorized');
    expect(problem.detail).toBe('The API key is not known here.');
    expect(problem.hint).toBe(
      `Send Authorization: Bearer <api key> with a current key of this server, or Bearer <access token> from ${idp.issuer}.`,
    );
  });

  it('or a token are what a request without either is told to send', async () => {
    const problem = expectProblem(
      await call(undefined, 'GET', '/v2/documents'),
      401,
      'unauthorized',
    );
    expect(problem.detail).toBe('The request has no API key or access token.');
  });
});
