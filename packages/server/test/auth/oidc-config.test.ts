import type { PrismError } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OidcAuthenticator, oidcOptionsOf } from '../../src/auth/index.js';
import { loadConfig } from '../../src/config.js';
import { AUDIENCE, newSigningKey, TestIdentityProvider } from './identity-provider.js';

let idp: TestIdentityProvider;

beforeAll(async () => {
  idp = await TestIdentityProvider.start([await newSigningKey('cfg-1')]);
});

afterAll(async () => {
  await idp?.close();
});

/** The `invalid_config` error `loadConfig` stops `env` with. */
function configError(env: NodeJS.ProcessEnv): PrismError {
  try {
    loadConfig(env);
  } catch (caught) {
    return caught as PrismError;
  }
  throw new Error('loadConfig accepted it');
}

describe('the PRISM_OIDC_* settings', () => {
  it('leave tokens off when none is set, with the claims documented as defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PRISM_OIDC_TENANT_CLAIM: 'tenant',
      PRISM_OIDC_ROLE_CLAIM: 'roles',
      PRISM_OIDC_ROLE_PREFIX: '',
    });
    expect(oidcOptionsOf(config)).toBeUndefined();
  });

  it('give the identity provider and how its claims map', () => {
    const config = loadConfig({
      PRISM_OIDC_ISSUER: 'https://login.example.com/',
      PRISM_OIDC_AUDIENCE: 'api://prism',
      PRISM_OIDC_JWKS_URL: 'https://login.example.com/keys',
      PRISM_OIDC_TENANT_CLAIM: 'org',
      PRISM_OIDC_ROLE_CLAIM: 'groups',
      PRISM_OIDC_ROLE_PREFIX: 'prism:',
      PRISM_OIDC_DEFAULT_ROLE: 'viewer',
    });
    expect(oidcOptionsOf(config)).toEqual({
      issuer: 'https://login.example.com/',
      audience: 'api://prism',
      jwksUrl: 'https://login.example.com/keys',
      tenantClaim: 'org',
      roleClaim: 'groups',
      rolePrefix: 'prism:',
      defaultRole: 'viewer',
    });
  });

  it.each([
    [
      { PRISM_OIDC_ISSUER: 'login.example.com' },
      /^Invalid setting PRISM_OIDC_ISSUER: must be an http/,
    ],
    [
      { PRISM_OIDC_ISSUER: 'ftp://login.example.com', PRISM_OIDC_AUDIENCE: 'api' },
      /^Invalid setting PRISM_OIDC_ISSUER: must be an http/,
    ],
    [
      { PRISM_OIDC_ISSUER: 'https://login.example.com' },
      /^Invalid setting PRISM_OIDC_AUDIENCE: is required when PRISM_OIDC_ISSUER is set\.$/,
    ],
    [
      { PRISM_OIDC_AUDIENCE: 'api://prism' },
      /^Invalid setting PRISM_OIDC_ISSUER: is required when PRISM_OIDC_AUDIENCE is set\.$/,
    ],
    [
      { PRISM_OIDC_JWKS_URL: 'https://login.example.com/keys' },
      /^Invalid setting PRISM_OIDC_ISSUER: is required when PRISM_OIDC_JWKS_URL is set\.$/,
    ],
    [
      {
        PRISM_OIDC_ISSUER: 'https://login.example.com',
        PRISM_OIDC_AUDIENCE: 'api',
        PRISM_OIDC_JWKS_URL: 'keys.json',
      },
      /^Invalid setting PRISM_OIDC_JWKS_URL: must be an http/,
    ],
    [
      {
        PRISM_OIDC_ISSUER: 'https://login.example.com',
        PRISM_OIDC_AUDIENCE: 'api',
        PRISM_OIDC_DEFAULT_ROLE: 'owner',
      },
      /^Invalid setting PRISM_OIDC_DEFAULT_ROLE: /,
    ],
  ])('stop the server on a wrong setting, naming it (%j)', (env, message) => {
    const error = configError(env);
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(message);
    expect(error.hint).toEqual(expect.stringMatching(/\S/));
  });

  it('map a token of custom claims to its tenant and role, with the default role for none', async () => {
    const options = oidcOptionsOf(
      loadConfig({
        PRISM_OIDC_ISSUER: idp.issuer,
        PRISM_OIDC_AUDIENCE: AUDIENCE,
        PRISM_OIDC_TENANT_CLAIM: 'org',
        PRISM_OIDC_ROLE_CLAIM: 'groups',
        PRISM_OIDC_ROLE_PREFIX: 'prism:',
        PRISM_OIDC_DEFAULT_ROLE: 'viewer',
      }),
    );
    const authenticator = new OidcAuthenticator(options as NonNullable<typeof options>);
    const principalOf = async (claims: Record<string, unknown>) =>
      authenticator.authenticate(await idp.sign(claims));

    expect(await principalOf({ org: 'acme', groups: ['staff', 'prism:lead'] })).toMatchObject({
      tenantId: 'acme',
      role: 'lead',
    });
    // Without the prefix a role name is someone else's group, and the default role applies.
    expect(await principalOf({ org: 'acme', groups: ['admin'] })).toMatchObject({
      role: 'viewer',
    });
    expect(await principalOf({ org: 'acme' })).toMatchObject({ role: 'viewer' });
    expect(await principalOf({ tenant: 'acme', groups: ['prism:lead'] })).toMatchObject({
      status: 401,
      detail: 'The token has no "org" claim naming its Prism tenant.',
    });
  });
});
