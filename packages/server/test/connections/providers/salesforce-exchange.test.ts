import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  ORG_ID,
  ORG_NAME,
  REDIRECT_URI,
  USER_ID,
} from './salesforce-fake.js';
import { connect, givenSalesforce, pkcePair, useMockNetwork } from './salesforce-harness.js';

const server = useMockNetwork();
const NOW = new Date('2026-03-02T09:00:00.000Z');
const TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token';

describe('exchanging a Salesforce authorization code', () => {
  it('keeps the tokens, the instance URL and the identity, and names the org', async () => {
    const { fake, provider } = givenSalesforce(server, { now: () => NOW });

    const result = await connect(provider, fake);

    expect(result.account).toEqual({ id: ORG_ID, name: ORG_NAME });
    expect(result.scopes).toEqual(['api', 'refresh_token']);
    expect(fake.holdsAccessToken(result.tokens.accessToken)).toBe(true);
    expect(fake.holdsRefreshToken(result.tokens.refreshToken ?? '')).toBe(true);
    expect(result.tokens.expiresAt).toBe('2026-03-02T09:15:00.000Z');
    expect(result.tokens.extra).toEqual({
      loginUrl: 'https://login.salesforce.com',
      instanceUrl: 'https://acme.my.salesforce.com',
      identityUrl: `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`,
      organizationId: ORG_ID,
      userId: USER_ID,
    });
  });

  it('posts the code, the PKCE verifier, the client credentials and the same redirect URI as a form', async () => {
    const { fake, provider } = givenSalesforce(server);

    const result = await connect(provider, fake);

    const [request] = fake.received;
    expect(request?.path).toBe('/services/oauth2/token');
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(request?.form.get('grant_type')).toBe('authorization_code');
    expect(request?.form.get('client_id')).toBe(CLIENT_ID);
    expect(request?.form.get('client_secret')).toBe(CLIENT_SECRET);
    expect(request?.form.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(request?.form.get('code_verifier')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fake.apiAuthorizations).toEqual([`Bearer ${result.tokens.accessToken}`]);
  });

  it('works the same against a sandbox login server', async () => {
    const { fake, provider } = givenSalesforce(server, { loginUrl: 'https://test.salesforce.com' });

    const result = await connect(provider, fake);

    expect(result.account.id).toBe(ORG_ID);
    expect(result.tokens.extra.loginUrl).toBe('https://test.salesforce.com');
    expect(result.tokens.extra.identityUrl).toBe(
      `https://test.salesforce.com/id/${ORG_ID}/${USER_ID}`,
    );
  });

  it('leaves expiresAt null when no access token lifetime is assumed', async () => {
    const { fake, provider } = givenSalesforce(server, { accessTokenTtlMs: null });

    const result = await connect(provider, fake);

    expect(result.tokens.expiresAt).toBeNull();
  });

  it('connects without a refresh token when the grant has no refresh_token scope', async () => {
    const { fake, provider } = givenSalesforce(server, { scopes: ['api'] });

    const result = await connect(provider, fake);

    expect(result.tokens.refreshToken).toBeNull();
    expect(result.scopes).toEqual(['api']);
  });

  it('names the account by its org id alone when the org name cannot be read', async () => {
    const { fake, provider } = givenSalesforce(server);
    server.use(
      http.get('https://acme.my.salesforce.com/services/data/:version/query', () =>
        HttpResponse.json(
          [
            {
              message: 'The REST API is not enabled for this Organization.',
              errorCode: 'API_DISABLED_FOR_ORG',
            },
          ],
          { status: 403 },
        ),
      ),
    );

    const result = await connect(provider, fake);

    expect(result.account).toEqual({ id: ORG_ID, name: null });
    expect(result.tokens.accessToken).not.toBe('');
  });

  it('fails with provider_error when the PKCE verifier does not match the challenge', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { challenge } = pkcePair();
    const url = await provider.authorizationUrl({
      state: 'state-1',
      codeChallenge: challenge,
      redirectUri: REDIRECT_URI,
    });
    const code = fake.approve(url);

    const failure = provider.exchangeCode({
      code,
      codeVerifier: pkcePair().verifier,
      redirectUri: REDIRECT_URI,
      query: { code, state: 'state-1' },
    });

    await expect(failure).rejects.toMatchObject({
      code: 'provider_error',
      message: 'Salesforce refused the authorization code: invalid_grant (invalid code verifier).',
    });
  });

  it('fails with provider_error when the code was already used', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { verifier, challenge } = pkcePair();
    const url = await provider.authorizationUrl({
      state: 's',
      codeChallenge: challenge,
      redirectUri: REDIRECT_URI,
    });
    const code = fake.approve(url);
    const exchange = { code, codeVerifier: verifier, redirectUri: REDIRECT_URI, query: { code } };
    await provider.exchangeCode(exchange);

    await expect(provider.exchangeCode(exchange)).rejects.toMatchObject({
      code: 'provider_error',
      message:
        'Salesforce refused the authorization code: invalid_grant (invalid authorization code).',
    });
  });

  it('says to check the client settings when Salesforce rejects the consumer secret', async () => {
    const { fake, provider } = givenSalesforce(server, { clientSecret: 'not-the-secret' });

    const failure = connect(provider, fake);

    await expect(failure).rejects.toMatchObject({
      code: 'provider_error',
      message:
        'Salesforce refused the authorization code: invalid_client (invalid client credentials).',
      hint: expect.stringContaining('SALESFORCE_CLIENT_SECRET'),
    });
  });

  it('fails with provider_unavailable when Salesforce answers 503', async () => {
    const { fake, provider } = givenSalesforce(server);
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.html('<html><body>Service Unavailable</body></html>', { status: 503 }),
      ),
    );

    await expect(connect(provider, fake)).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: 'Salesforce answered HTTP 503.',
    });
  });

  it('fails with provider_unavailable when Salesforce cannot be reached', async () => {
    const { fake, provider } = givenSalesforce(server);
    server.use(http.post(TOKEN_URL, () => HttpResponse.error()));

    await expect(connect(provider, fake)).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: 'Salesforce could not be reached.',
    });
  });

  it('fails with provider_unavailable when Salesforce does not answer in time', async () => {
    const { fake, provider } = givenSalesforce(server, { timeoutMs: 1 });
    server.use(http.post(TOKEN_URL, () => new Promise<Response>(() => undefined)));

    await expect(connect(provider, fake)).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: 'Salesforce did not answer within 1 ms.',
    });
  });

  it('fails with provider_unavailable when the answer is not a token response', async () => {
    const { fake, provider } = givenSalesforce(server);
    server.use(http.post(TOKEN_URL, () => HttpResponse.json({ access_token: 'only-this' })));

    await expect(connect(provider, fake)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });

  it('refuses an instance URL that is not https, since the access token would be sent there', async () => {
    const { fake, provider } = givenSalesforce(server);
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json({
          access_token: `${ORG_ID}!AQ4AQplain`,
          signature: 'c2lnbmF0dXJl',
          scope: 'api refresh_token',
          instance_url: 'http://acme.my.salesforce.com',
          id: `https://login.salesforce.com/id/${ORG_ID}/${USER_ID}`,
          token_type: 'Bearer',
          issued_at: '1772442000000',
        }),
      ),
    );

    await expect(connect(provider, fake)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });

  it('fails with provider_error, pointing at the login URL, when the login server is not Salesforce', async () => {
    const { fake, provider } = givenSalesforce(server);
    server.use(
      http.post(TOKEN_URL, () => HttpResponse.html('<html>Not Found</html>', { status: 404 })),
    );

    await expect(connect(provider, fake)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'Salesforce answered the authorization code request with HTTP 404.',
      hint: expect.stringContaining('SALESFORCE_LOGIN_URL'),
    });
  });
});
