import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { createSalesforceProvider } from '../../../src/connections/providers/salesforce-provider.js';
import type { ConnectionTokens } from '../../../src/connections/types.js';
import { CLIENT_ID, CLIENT_SECRET } from './salesforce-fake.js';
import { connect, givenSalesforce, useMockNetwork } from './salesforce-harness.js';

const server = useMockNetwork();
const TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token';

describe('refreshing a Salesforce connection', () => {
  it('gets a new access token and keeps the refresh token when the app does not rotate them', async () => {
    let now = new Date('2026-03-02T09:00:00.000Z');
    const { fake, provider } = givenSalesforce(server, { now: () => now });
    const { tokens } = await connect(provider, fake);
    now = new Date('2026-03-02T11:00:00.000Z');

    const refreshed = await provider.refresh(tokens);

    expect(refreshed.accessToken).not.toBe(tokens.accessToken);
    expect(fake.holdsAccessToken(refreshed.accessToken)).toBe(true);
    expect(refreshed.refreshToken).toBe(tokens.refreshToken);
    expect(refreshed.expiresAt).toBe('2026-03-02T11:15:00.000Z');
    expect(refreshed.extra).toEqual(tokens.extra);
    const request = fake.received.at(-1);
    expect(request?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(request?.form ?? [])).toEqual({
      grant_type: 'refresh_token',
      refresh_token: tokens.refreshToken,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
    });
  });

  it('keeps the new refresh token when the app rotates them, and the old one stops working', async () => {
    const { fake, provider } = givenSalesforce(server, { rotateRefreshTokens: true });
    const { tokens } = await connect(provider, fake);

    const refreshed = await provider.refresh(tokens);

    expect(refreshed.refreshToken).not.toBeNull();
    expect(refreshed.refreshToken).not.toBe(tokens.refreshToken);
    expect(fake.holdsRefreshToken(refreshed.refreshToken ?? '')).toBe(true);
    await expect(provider.refresh(tokens)).rejects.toMatchObject({ code: 'invalid_grant' });
    await expect(provider.refresh(refreshed)).resolves.toMatchObject({
      accessToken: expect.any(String),
    });
  });

  it('refreshes at the login server the connection was made with', async () => {
    const sandbox = givenSalesforce(server, { loginUrl: 'https://test.salesforce.com' });
    const { tokens } = await connect(sandbox.provider, sandbox.fake);
    const productionProvider = createSalesforceProvider({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
    });

    const refreshed = await productionProvider.refresh(tokens);

    expect(sandbox.fake.holdsAccessToken(refreshed.accessToken)).toBe(true);
    expect(refreshed.extra.loginUrl).toBe('https://test.salesforce.com');
  });

  it('keeps where the org now is when Salesforce moves its instance', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    const moved: ConnectionTokens = {
      ...tokens,
      extra: { ...tokens.extra, instanceUrl: 'https://na139.salesforce.com' },
    };

    const refreshed = await provider.refresh(moved);

    expect(refreshed.extra.instanceUrl).toBe('https://acme.my.salesforce.com');
  });

  it('fails with invalid_grant when Salesforce says the refresh token expired or was revoked', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          { error: 'invalid_grant', error_description: 'expired access/refresh token' },
          { status: 400 },
        ),
      ),
    );

    await expect(provider.refresh(tokens)).rejects.toMatchObject({
      code: 'invalid_grant',
      message:
        'Salesforce refused the refresh token: invalid_grant (expired access/refresh token).',
      hint: 'Connect the Salesforce account again.',
    });
  });

  it('fails with invalid_grant when the user who connected was deactivated', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(
      http.post(TOKEN_URL, () =>
        HttpResponse.json(
          { error: 'inactive_user', error_description: 'user is inactive' },
          { status: 400 },
        ),
      ),
    );

    await expect(provider.refresh(tokens)).rejects.toMatchObject({ code: 'invalid_grant' });
  });

  it('fails with invalid_grant, without asking Salesforce, when there is no refresh token', async () => {
    const { fake, provider } = givenSalesforce(server, { scopes: ['api'] });
    const { tokens } = await connect(provider, fake);
    const sent = fake.received.length;

    await expect(provider.refresh(tokens)).rejects.toMatchObject({ code: 'invalid_grant' });
    expect(fake.received).toHaveLength(sent);
  });

  it('fails with provider_error, not invalid_grant, when Salesforce rejects the client', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    const misconfigured = createSalesforceProvider({
      clientId: 'retired-consumer-key',
      clientSecret: CLIENT_SECRET,
    });

    await expect(misconfigured.refresh(tokens)).rejects.toMatchObject({
      code: 'provider_error',
      message:
        'Salesforce refused the refresh token: invalid_client_id (client identifier invalid).',
      hint: expect.stringContaining('SALESFORCE_CLIENT_ID'),
    });
    expect(fake.received.at(-1)?.form.get('client_id')).toBe('retired-consumer-key');
  });

  it.each([
    ['503', () => HttpResponse.html('<html>Maintenance</html>', { status: 503 })],
    [
      '500',
      () =>
        HttpResponse.json(
          { error: 'unknown_error', error_description: 'retry your request' },
          { status: 500 },
        ),
    ],
    ['429', () => new HttpResponse(null, { status: 429 })],
    [
      '400 unknown_error',
      () =>
        HttpResponse.json(
          { error: 'unknown_error', error_description: 'retry your request' },
          { status: 400 },
        ),
    ],
    ['a network error', () => HttpResponse.error()],
  ])('fails with provider_unavailable on %s', async (_, answer) => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(http.post(TOKEN_URL, answer));

    await expect(provider.refresh(tokens)).rejects.toMatchObject({ code: 'provider_unavailable' });
  });
});
