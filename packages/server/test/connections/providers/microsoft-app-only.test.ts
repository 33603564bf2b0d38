import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMicrosoftAppOnlyTokenSource } from '../../../src/connections/providers/microsoft-app-only.js';
import { OAuthError } from '../../../src/connections/types.js';
import {
  appTokenResponse,
  CLIENT_ID,
  CLIENT_SECRET,
  entraError,
  entraJson,
  LOGIN,
  onToken,
  setupMockEntra,
  TENANT_ID,
} from './microsoft-entra.js';

const entra = setupMockEntra();

const SETTINGS = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, tenantId: TENANT_ID };
const APP_TOKEN = `eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.${randomBytes(96).toString('base64url')}.sig`;

afterEach(() => {
  vi.useRealTimers();
});

describe('app-only Microsoft Graph tokens', () => {
  it('asks the tenant for a Graph .default token with the client credentials, then reuses it while fresh', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-02T09:00:00.000Z'));
    entra.use(onToken(TENANT_ID, () => entraJson(appTokenResponse(APP_TOKEN))));
    const source = createMicrosoftAppOnlyTokenSource(SETTINGS);

    const first = await source.accessToken();
    const second = await source.accessToken();

    expect(first).toEqual({ accessToken: APP_TOKEN, expiresAt: '2026-03-02T09:59:59.000Z' });
    expect(second).toEqual(first);
    expect(entra.requests).toHaveLength(1);
    const [request] = entra.requests;
    expect(request?.url.split('?')[0]).toBe(`${LOGIN}/${TENANT_ID}/oauth2/v2.0/token`);
    expect(request?.form.get('grant_type')).toBe('client_credentials');
    expect(request?.form.get('scope')).toBe('https://graph.microsoft.com/.default');
    expect(request?.form.get('client_id')).toBe(CLIENT_ID);
    expect(request?.form.get('client_secret')).toBe(CLIENT_SECRET);
  });

  it('says the client secret is wrong, without showing it', async () => {
    entra.use(
      onToken(TENANT_ID, () =>
        entraError(
          401,
          'invalid_client',
          7000215,
          `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${CLIENT_ID}'.`,
        ),
      ),
    );
    const source = createMicrosoftAppOnlyTokenSource(SETTINGS);

    const error = await source.accessToken().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({ code: 'provider_error' });
    const { message, hint } = error as OAuthError;
    expect(message).toBe(
      'Microsoft Entra ID refused the app credentials (invalid_client, AADSTS7000215: the client secret is not valid).',
    );
    expect(hint).toContain('MICROSOFT_CLIENT_SECRET');
    expect(`${message} ${hint}`).not.toContain(CLIENT_SECRET);
  });

  it('reports Entra ID as unavailable when it fails', async () => {
    entra.use(
      onToken(TENANT_ID, () =>
        entraError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred.'),
      ),
    );
    const source = createMicrosoftAppOnlyTokenSource(SETTINGS);

    await expect(source.accessToken()).rejects.toMatchObject({ code: 'provider_unavailable' });
  });

  it('refuses a multi-tenant authority, since an app token is for one tenant', () => {
    expect(() => createMicrosoftAppOnlyTokenSource({ ...SETTINGS, tenantId: 'common' })).toThrow(
      expect.objectContaining({ code: 'provider_not_configured' }),
    );
    expect(entra.requests).toEqual([]);
  });
});
