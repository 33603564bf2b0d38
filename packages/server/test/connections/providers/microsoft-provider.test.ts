import { createHash } from 'node:crypto';
import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../src/config.js';
import { configuredProviders } from '../../../src/connections/configured-providers.js';
import { createMicrosoftProvider } from '../../../src/connections/providers/microsoft-provider.js';
import { MICROSOFT_SCOPES } from '../../../src/connections/providers/microsoft-scopes.js';
import {
  type ConnectionTokens,
  OAuthError,
  type OAuthProvider,
} from '../../../src/connections/types.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  entraError,
  entraJson,
  graphAccessToken,
  LOGIN,
  onToken,
  REDIRECT_URI,
  setupMockEntra,
  TENANT_ID,
  USER_OID,
  userTokenResponse,
} from './microsoft-entra.js';

const entra = setupMockEntra();

const STATE = 'mJ3tq0Yl3c2Xv1Hn8sYw4A';
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk.prism-test-verifier';
const CHALLENGE = createHash('sha256').update(VERIFIER).digest('base64url');
const CODE =
  '1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWemFK5Jl7xuuplpOR5xAMA.AgABBAIAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P-code';
const REFRESH_TOKEN =
  '1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWemFK5Jl7xuuplpOR5xAMA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P-rt-first';
const ROTATED_REFRESH_TOKEN =
  '1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWemFK5Jl7xuuplpOR5xAMA.AgABAwEAAAApTwJmzXqdR4BN2miheQMYAgDs_wUA9P-rt-rotated';
const GRANTED = 'Files.ReadWrite.All Sites.ReadWrite.All User.Read openid profile email';
const FIRST_ACCESS_TOKEN = graphAccessToken(GRANTED);
const HOME_ACCOUNT_ID = `${USER_OID}.${TENANT_ID}`;

const SETTINGS = { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET };

afterEach(() => {
  vi.useRealTimers();
});

/** Connects through the code exchange, Entra ID answering with the first tokens. */
async function connected(provider: OAuthProvider): Promise<ConnectionTokens> {
  entra.use(
    onToken('common', () =>
      entraJson(
        userTokenResponse({
          accessToken: FIRST_ACCESS_TOKEN,
          refreshToken: REFRESH_TOKEN,
          scope: GRANTED,
        }),
      ),
    ),
  );
  const { tokens } = await provider.exchangeCode({
    code: CODE,
    codeVerifier: VERIFIER,
    redirectUri: REDIRECT_URI,
    query: { code: CODE, state: STATE },
  });
  entra.requests.length = 0;
  return tokens;
}

/** The failure of `promise`, which must fail. */
async function failure(promise: Promise<unknown>): Promise<OAuthError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a failure');
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return error as OAuthError;
}

/** Checks that nothing a user could paste into a ticket holds a secret of the flow. */
function expectNoSecrets(error: OAuthError): void {
  const shown = `${error.message} ${error.hint ?? ''} ${JSON.stringify(error)}`;
  for (const secret of [CODE, VERIFIER, CLIENT_SECRET, REFRESH_TOKEN, FIRST_ACCESS_TOKEN]) {
    expect(shown).not.toContain(secret);
  }
}

describe('the Microsoft authorization URL', () => {
  it('sends the user to the authorize endpoint with PKCE S256, the state, the exact redirect URI and the scopes', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const url = new URL(
      await provider.authorizationUrl({
        state: STATE,
        codeChallenge: CHALLENGE,
        redirectUri: REDIRECT_URI,
      }),
    );

    expect(provider.supportsPkce).toBe(true);
    expect(`${url.origin}${url.pathname}`).toBe(`${LOGIN}/common/oauth2/v2.0/authorize`);
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('response_mode')).toBe('query');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.get('state')).toBe(STATE);
    expect(url.searchParams.get('code_challenge')).toBe(CHALLENGE);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('prompt')).toBe('select_account');
    expect(new Set(url.searchParams.get('scope')?.split(' '))).toEqual(
      new Set([
        'User.Read',
        'Files.ReadWrite.All',
        'Sites.ReadWrite.All',
        'openid',
        'profile',
        'offline_access',
      ]),
    );
    expect(url.href).not.toContain(CLIENT_SECRET);
    expect(entra.requests).toEqual([]);
  });

  it('asks for the permissions of MICROSOFT_SCOPES when the server sets them', async () => {
    const config = loadConfig({
      MICROSOFT_CLIENT_ID: CLIENT_ID,
      MICROSOFT_CLIENT_SECRET: CLIENT_SECRET,
      MICROSOFT_SCOPES: 'User.Read, Files.ReadWrite.All Sites.ReadWrite.All,Sites.Manage.All',
    });
    const provider = configuredProviders(config).microsoft;
    const url = new URL(
      (await provider?.authorizationUrl({
        state: STATE,
        codeChallenge: CHALLENGE,
        redirectUri: REDIRECT_URI,
      })) ?? '',
    );

    expect(url.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining([
        'User.Read',
        'Files.ReadWrite.All',
        'Sites.ReadWrite.All',
        'Sites.Manage.All',
        'offline_access',
      ]),
    );
    expect(() => loadConfig({ MICROSOFT_SCOPES: ' , ' })).toThrow(/MICROSOFT_SCOPES/);
  });

  it('asks one tenant for the configured scopes, without a prompt when told so', async () => {
    const provider = createMicrosoftProvider({
      ...SETTINGS,
      tenantId: TENANT_ID,
      scopes: [...MICROSOFT_SCOPES.signIn, ...MICROSOFT_SCOPES.files],
      prompt: null,
    });
    const url = new URL(
      await provider.authorizationUrl({
        state: STATE,
        codeChallenge: CHALLENGE,
        redirectUri: REDIRECT_URI,
      }),
    );

    expect(url.pathname).toBe(`/${TENANT_ID}/oauth2/v2.0/authorize`);
    expect(url.searchParams.has('prompt')).toBe(false);
    expect(url.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['User.Read', 'Files.ReadWrite.All', 'offline_access']),
    );
    expect(url.searchParams.get('scope')).not.toContain('Sites.ReadWrite.All');
  });
});

describe('the Microsoft code exchange', () => {
  it('redeems the code with its verifier and keeps the tokens, the tenant and MSAL’s cache', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-02T09:00:00.000Z'));
    entra.use(
      onToken('common', () =>
        entraJson(
          userTokenResponse({
            accessToken: FIRST_ACCESS_TOKEN,
            refreshToken: REFRESH_TOKEN,
            scope: GRANTED,
          }),
        ),
      ),
    );
    const provider = createMicrosoftProvider(SETTINGS);

    const result = await provider.exchangeCode({
      code: CODE,
      codeVerifier: VERIFIER,
      redirectUri: REDIRECT_URI,
      query: { code: CODE, state: STATE, session_state: '2b1c0b6e-61f3-4d4c-8c7e-5a3f9d2e1b0a' },
    });

    expect(result.account).toEqual({ id: TENANT_ID, name: 'contoso.com' });
    expect(result.scopes).toEqual(expect.arrayContaining(GRANTED.split(' ')));
    expect(result.tokens).toMatchObject({
      accessToken: FIRST_ACCESS_TOKEN,
      refreshToken: REFRESH_TOKEN,
      expiresAt: '2026-03-02T09:59:59.000Z',
    });
    expect(result.tokens.extra.homeAccountId).toBe(HOME_ACCOUNT_ID);
    const cache = JSON.parse(result.tokens.extra.msalCache ?? '{}') as {
      RefreshToken: Record<string, { secret: string }>;
      Account: Record<string, { realm: string }>;
    };
    expect(Object.values(cache.RefreshToken).map(({ secret }) => secret)).toEqual([REFRESH_TOKEN]);
    expect(Object.values(cache.Account).map(({ realm }) => realm)).toEqual([TENANT_ID]);

    // One token request and nothing else: MSAL knows the global cloud's endpoints.
    expect(entra.requests).toHaveLength(1);
    const [request] = entra.requests;
    expect(request?.url.split('?')[0]).toBe(`${LOGIN}/common/oauth2/v2.0/token`);
    expect(request?.form.get('grant_type')).toBe('authorization_code');
    expect(request?.form.get('code')).toBe(CODE);
    expect(request?.form.get('code_verifier')).toBe(VERIFIER);
    expect(request?.form.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(request?.form.get('client_id')).toBe(CLIENT_ID);
    expect(request?.form.get('client_secret')).toBe(CLIENT_SECRET);
    expect(request?.form.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['User.Read', 'Files.ReadWrite.All', 'offline_access', 'openid']),
    );
  });

  it('says clearly when the PKCE verifier does not match the challenge', async () => {
    entra.use(
      onToken('common', () =>
        entraError(
          400,
          'invalid_grant',
          501481,
          'The Code_Verifier does not match the code_challenge supplied in the authorization request.',
        ),
      ),
    );
    const provider = createMicrosoftProvider(SETTINGS);

    const error = await failure(
      provider.exchangeCode({
        code: CODE,
        codeVerifier: VERIFIER,
        redirectUri: REDIRECT_URI,
        query: {},
      }),
    );

    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('invalid_grant');
    expect(error.message).toContain('AADSTS501481');
    expect(error.message).toContain(
      'the PKCE code verifier does not match the code challenge of the authorization request',
    );
    expect(error.hint).toMatch(/connect the Microsoft account again/i);
    expectNoSecrets(error);
  });

  it('passes on Entra ID’s reason when it refuses an expired code', async () => {
    entra.use(
      onToken('common', () =>
        entraError(
          400,
          'invalid_grant',
          70008,
          'The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.',
        ),
      ),
    );
    const provider = createMicrosoftProvider(SETTINGS);

    const error = await failure(
      provider.exchangeCode({
        code: CODE,
        codeVerifier: VERIFIER,
        redirectUri: REDIRECT_URI,
        query: {},
      }),
    );

    expect(error.code).toBe('provider_error');
    expect(error.message).toContain(
      'AADSTS70008: The provided authorization code or refresh token has expired due to inactivity.',
    );
    expect(error.message).not.toContain('Trace ID');
    expectNoSecrets(error);
  });

  it('masks a secret should Entra ID’s description echo one', async () => {
    entra.use(
      onToken('common', (form) =>
        entraError(
          400,
          'invalid_request',
          900144,
          `The request body must contain the following parameter: 'scope'. Received: code=${form.get('code')}`,
        ),
      ),
    );
    const provider = createMicrosoftProvider(SETTINGS);

    const error = await failure(
      provider.exchangeCode({
        code: CODE,
        codeVerifier: VERIFIER,
        redirectUri: REDIRECT_URI,
        query: {},
      }),
    );

    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('code=[redacted]');
    expectNoSecrets(error);
  });

  it('reports Entra ID as unavailable when the token endpoint fails', async () => {
    entra.use(
      onToken('common', () =>
        entraError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred.'),
      ),
    );
    const provider = createMicrosoftProvider(SETTINGS);

    const error = await failure(
      provider.exchangeCode({
        code: CODE,
        codeVerifier: VERIFIER,
        redirectUri: REDIRECT_URI,
        query: {},
      }),
    );

    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toBe('Microsoft Entra ID answered HTTP 503.');
  });
});

describe('the Microsoft refresh', () => {
  it('refreshes from the stored MSAL cache in the connection’s tenant and keeps the rotated refresh token', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);
    const secondAccessToken = graphAccessToken(GRANTED);
    entra.use(
      onToken(TENANT_ID, (form) =>
        entraJson(
          userTokenResponse({
            accessToken:
              form.get('refresh_token') === REFRESH_TOKEN ? secondAccessToken : 'unexpected',
            refreshToken: ROTATED_REFRESH_TOKEN,
            scope: GRANTED,
          }),
        ),
      ),
    );

    const refreshed = await provider.refresh(tokens);

    expect(refreshed.accessToken).toBe(secondAccessToken);
    expect(refreshed.refreshToken).toBe(ROTATED_REFRESH_TOKEN);
    expect(refreshed.extra.homeAccountId).toBe(HOME_ACCOUNT_ID);
    expect(refreshed.extra.msalCache).toContain(ROTATED_REFRESH_TOKEN);
    expect(refreshed.extra.msalCache).not.toContain(REFRESH_TOKEN);
    expect(entra.requests).toHaveLength(1);
    const [request] = entra.requests;
    expect(request?.url.split('?')[0]).toBe(`${LOGIN}/${TENANT_ID}/oauth2/v2.0/token`);
    expect(request?.form.get('grant_type')).toBe('refresh_token');
    expect(request?.form.get('refresh_token')).toBe(REFRESH_TOKEN);
    expect(request?.form.get('client_id')).toBe(CLIENT_ID);
    expect(request?.form.get('client_secret')).toBe(CLIENT_SECRET);
    expect(request?.form.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['User.Read', 'Files.ReadWrite.All', 'Sites.ReadWrite.All']),
    );
  });

  it('refreshes the next time with the rotated refresh token', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);
    let next = ROTATED_REFRESH_TOKEN;
    entra.use(
      onToken(TENANT_ID, () => {
        const refreshToken = next;
        next = `${next}-again`;
        return entraJson(
          userTokenResponse({
            accessToken: graphAccessToken(GRANTED),
            refreshToken,
            scope: GRANTED,
          }),
        );
      }),
    );

    const once = await provider.refresh(tokens);
    const twice = await provider.refresh(once);

    expect(entra.requests.map(({ form }) => form.get('refresh_token'))).toEqual([
      REFRESH_TOKEN,
      ROTATED_REFRESH_TOKEN,
    ]);
    expect(twice.refreshToken).toBe(`${ROTATED_REFRESH_TOKEN}-again`);
  });

  it('keeps asking for the scopes the user consented to after the settings change', async () => {
    const tokens = await connected(createMicrosoftProvider(SETTINGS));
    entra.use(
      onToken(TENANT_ID, () =>
        entraJson(
          userTokenResponse({
            accessToken: graphAccessToken(GRANTED),
            refreshToken: ROTATED_REFRESH_TOKEN,
            scope: GRANTED,
          }),
        ),
      ),
    );
    const widened = createMicrosoftProvider({
      ...SETTINGS,
      scopes: [...MICROSOFT_SCOPES.signIn, ...MICROSOFT_SCOPES.teamsMessages],
    });

    await widened.refresh(tokens);

    const scope = entra.requests[0]?.form.get('scope') ?? '';
    expect(scope.split(' ')).toEqual(expect.arrayContaining(['Files.ReadWrite.All']));
    expect(scope).not.toContain('ChannelMessage.Send');
  });

  it('asks to connect again when Entra ID refuses the refresh token', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);
    entra.use(
      onToken(TENANT_ID, () =>
        entraError(
          400,
          'invalid_grant',
          700082,
          'The refresh token has expired due to inactivity. The token was issued on 2025-11-28T09:00:00.0000000Z and was inactive for 90.00:00:00.',
        ),
      ),
    );

    const error = await failure(provider.refresh(tokens));

    expect(error.code).toBe('invalid_grant');
    expect(error.message).toContain('AADSTS700082');
    expect(error.hint).toBe('Connect the Microsoft account again.');
    expectNoSecrets(error);
  });

  it('asks to connect again when Entra ID wants the user back (MFA)', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);
    entra.use(
      onToken(TENANT_ID, () =>
        entraError(
          400,
          'interaction_required',
          50076,
          "Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0000-c000-000000000000'.",
          { suberror: 'basic_action', claims: '{"access_token":{"capolids":{"essential":true}}}' },
        ),
      ),
    );

    const error = await failure(provider.refresh(tokens));

    expect(error.code).toBe('invalid_grant');
    expect(error.message).toContain('AADSTS50076');
    expectNoSecrets(error);
  });

  it('does not blame the connection when the app’s client secret has expired', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);
    entra.use(
      onToken(TENANT_ID, () =>
        entraError(
          401,
          'invalid_client',
          7000222,
          `The provided client secret keys for app '${CLIENT_ID}' are expired. Visit the Azure portal to create new keys for your app.`,
        ),
      ),
    );

    const error = await failure(provider.refresh(tokens));

    expect(error.code).toBe('provider_error');
    expect(error.message).toContain('the client secret has expired');
    expectNoSecrets(error);
  });

  it('reports Entra ID as unavailable on a 503 and on a connection failure', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);

    entra.use(onToken(TENANT_ID, () => new HttpResponse('Service Unavailable', { status: 503 })));
    const outage = await failure(provider.refresh(tokens));
    entra.use(onToken(TENANT_ID, () => HttpResponse.error()));
    const unreachable = await failure(provider.refresh(tokens));

    expect(outage.code).toBe('provider_unavailable');
    expect(outage.message).toBe('Microsoft Entra ID answered HTTP 503.');
    expect(unreachable.code).toBe('provider_unavailable');
    expect(unreachable.message).toBe('Microsoft Entra ID could not be reached.');
    expectNoSecrets(outage);
    expectNoSecrets(unreachable);
  });

  it('gives up on a token endpoint that does not answer', async () => {
    const tokens = await connected(createMicrosoftProvider(SETTINGS));
    entra.use(onToken(TENANT_ID, () => new Promise<never>(() => undefined)));
    const impatient = createMicrosoftProvider({ ...SETTINGS, timeoutMs: 5 });

    const error = await failure(impatient.refresh(tokens));

    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toBe('Microsoft Entra ID did not answer within 5 ms.');
  });

  it('does not ask to connect again when Entra ID says it is too busy', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);
    entra.use(
      onToken(TENANT_ID, () =>
        entraError(
          400,
          'temporarily_unavailable',
          90033,
          'A transient error has occurred. Please try again.',
        ),
      ),
    );

    const error = await failure(provider.refresh(tokens));

    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toContain('temporarily_unavailable, AADSTS90033');
  });

  it('asks to connect again, without calling Entra ID, when the tokens hold no MSAL cache', async () => {
    const provider = createMicrosoftProvider(SETTINGS);

    const error = await failure(
      provider.refresh({
        accessToken: FIRST_ACCESS_TOKEN,
        refreshToken: REFRESH_TOKEN,
        expiresAt: null,
        extra: {},
      }),
    );

    expect(error.code).toBe('invalid_grant');
    expect(entra.requests).toEqual([]);
  });
});

describe('the Microsoft revocation', () => {
  it('forgets the tokens without calling Microsoft, which has no revocation endpoint', async () => {
    const provider = createMicrosoftProvider(SETTINGS);
    const tokens = await connected(provider);

    await expect(provider.revoke(tokens)).resolves.toBeUndefined();
    expect(entra.requests).toEqual([]);
  });
});
