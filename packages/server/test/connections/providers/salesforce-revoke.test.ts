import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { connect, givenSalesforce, useMockNetwork } from './salesforce-harness.js';

const server = useMockNetwork();
const REVOKE_URL = 'https://login.salesforce.com/services/oauth2/revoke';

describe('revoking a Salesforce connection', () => {
  it('revokes the refresh token, which ends the whole grant', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    const refreshed = await provider.refresh(tokens);

    await provider.revoke(refreshed);

    const request = fake.received.at(-1);
    expect(request?.path).toBe('/services/oauth2/revoke');
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({ token: tokens.refreshToken });
    expect(fake.holdsRefreshToken(tokens.refreshToken ?? '')).toBe(false);
    expect(fake.holdsAccessToken(tokens.accessToken)).toBe(false);
    expect(fake.holdsAccessToken(refreshed.accessToken)).toBe(false);
    await expect(provider.refresh(tokens)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('revokes the access token when the connection has no refresh token', async () => {
    const { fake, provider } = givenSalesforce(server, { scopes: ['api'] });
    const { tokens } = await connect(provider, fake);

    await provider.revoke(tokens);

    expect(fake.received.at(-1)?.form.get('token')).toBe(tokens.accessToken);
    expect(fake.holdsAccessToken(tokens.accessToken)).toBe(false);
  });

  it('revokes at the login server the connection was made with', async () => {
    const { fake, provider } = givenSalesforce(server, {
      loginUrl: 'https://acme.my.salesforce.com',
    });
    const { tokens } = await connect(provider, fake);

    await provider.revoke(tokens);

    expect(fake.holdsRefreshToken(tokens.refreshToken ?? '')).toBe(false);
  });

  it.each(['json', 'form'] as const)(
    'takes a token already revoked as done (refusal written as %s)',
    async (revocationErrorBody) => {
      const { fake, provider } = givenSalesforce(server, { revocationErrorBody });
      const { tokens } = await connect(provider, fake);
      await provider.revoke(tokens);

      await expect(provider.revoke(tokens)).resolves.toBeUndefined();
    },
  );

  it('takes unsupported_token_type as done', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(
      http.post(REVOKE_URL, () =>
        HttpResponse.json(
          { error: 'unsupported_token_type', error_description: 'Token type not supported' },
          { status: 400 },
        ),
      ),
    );

    await expect(provider.revoke(tokens)).resolves.toBeUndefined();
  });

  it('fails with provider_unavailable when Salesforce answers 503', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(
      http.post(REVOKE_URL, () => HttpResponse.html('<html>Maintenance</html>', { status: 503 })),
    );

    await expect(provider.revoke(tokens)).rejects.toMatchObject({
      code: 'provider_unavailable',
      message: 'Salesforce answered HTTP 503.',
    });
    expect(fake.holdsRefreshToken(tokens.refreshToken ?? '')).toBe(true);
  });

  it('fails with provider_error when the revocation endpoint is not there', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(
      http.post(REVOKE_URL, () => HttpResponse.html('<html>Not Found</html>', { status: 404 })),
    );

    await expect(provider.revoke(tokens)).rejects.toMatchObject({
      code: 'provider_error',
      message: 'Salesforce answered the token revocation request with HTTP 404.',
    });
  });
});
