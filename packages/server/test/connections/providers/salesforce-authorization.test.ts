import { describe, expect, it } from 'vitest';
import { createSalesforceProvider } from '../../../src/connections/providers/salesforce-provider.js';
import { OAuthError } from '../../../src/connections/types.js';
import { CLIENT_ID, CLIENT_SECRET, REDIRECT_URI } from './salesforce-fake.js';
import { pkcePair } from './salesforce-harness.js';

const STATE = 'b3JhbmdlLXN0YXRlLTAxMjM0NTY3ODk';

async function authorizationUrlAt(loginUrl: string | undefined, scopes?: string[]): Promise<URL> {
  const provider = createSalesforceProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...(loginUrl === undefined ? {} : { loginUrl }),
    ...(scopes === undefined ? {} : { scopes }),
  });
  const { challenge } = pkcePair();
  return new URL(
    await provider.authorizationUrl({
      state: STATE,
      codeChallenge: challenge,
      redirectUri: REDIRECT_URI,
    }),
  );
}

describe('the Salesforce authorization URL', () => {
  it('asks for a code with PKCE S256, the state and the exact redirect URI', async () => {
    const provider = createSalesforceProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const { challenge } = pkcePair();

    const url = new URL(
      await provider.authorizationUrl({
        state: STATE,
        codeChallenge: challenge,
        redirectUri: REDIRECT_URI,
      }),
    );

    expect(provider.name).toBe('salesforce');
    expect(provider.supportsPkce).toBe(true);
    expect(`${url.origin}${url.pathname}`).toBe(
      'https://login.salesforce.com/services/oauth2/authorize',
    );
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      state: STATE,
      code_challenge: challenge,
      code_challenge_method: 'S256',
      scope: 'api refresh_token',
    });
  });

  it('never carries the client secret', async () => {
    const url = await authorizationUrlAt(undefined);

    expect(url.href).not.toContain(CLIENT_SECRET);
    expect(url.href).not.toContain(encodeURIComponent(CLIENT_SECRET));
  });

  it.each([
    ['a sandbox', 'https://test.salesforce.com', 'https://test.salesforce.com'],
    ['a My Domain', 'https://acme.my.salesforce.com', 'https://acme.my.salesforce.com'],
    [
      'a My Domain given with a trailing slash',
      'https://acme.my.salesforce.com/',
      'https://acme.my.salesforce.com',
    ],
    [
      'an Experience Cloud site',
      'https://acme.my.site.com/partners',
      'https://acme.my.site.com/partners',
    ],
  ])('sends users of %s to its own login server', async (_, loginUrl, base) => {
    const url = await authorizationUrlAt(loginUrl);

    expect(`${url.origin}${url.pathname}`).toBe(`${base}/services/oauth2/authorize`);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
  });

  it('asks for the configured scopes instead of the default ones', async () => {
    const url = await authorizationUrlAt(undefined, ['api', 'refresh_token', 'id']);

    expect(url.searchParams.get('scope')).toBe('api refresh_token id');
  });

  it('refuses settings without a client id or secret, or with a login URL that is not a URL', () => {
    const attempts = [
      () => createSalesforceProvider({ clientId: '', clientSecret: CLIENT_SECRET }),
      () => createSalesforceProvider({ clientId: CLIENT_ID, clientSecret: '' }),
      () =>
        createSalesforceProvider({
          clientId: CLIENT_ID,
          clientSecret: CLIENT_SECRET,
          loginUrl: 'login',
        }),
    ];

    for (const attempt of attempts) {
      expect(attempt).toThrow(OAuthError);
      expect(attempt).toThrow(expect.objectContaining({ code: 'provider_not_configured' }));
    }
  });
});
