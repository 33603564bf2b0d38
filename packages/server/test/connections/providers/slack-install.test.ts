import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createSlackProvider } from '../../../src/connections/providers/slack-provider.js';
import { OAuthError } from '../../../src/connections/types.js';
import {
  answerSlack,
  BOT_REFRESH_TOKEN,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  ORG_AUTH_TEST,
  ORG_INSTALL,
  REDIRECT_URI,
  ROTATING_BOT_TOKEN,
  ROTATING_INSTALL,
  ROTATING_USER_TOKEN,
  SECRETS,
  SLACK_API,
  slackError,
  USER_REFRESH_TOKEN,
  USER_TOKEN,
  WEBHOOK_URL,
  WORKSPACE_AUTH_TEST,
  WORKSPACE_INSTALL,
} from './slack-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const provider = createSlackProvider({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  scopes: ['commands', 'chat:write', 'files:read'],
  userScopes: ['search:read'],
});

const exchange = {
  code: CODE,
  codeVerifier: 'unused-by-slack',
  redirectUri: REDIRECT_URI,
  query: { code: CODE, state: 'state-1' },
};

describe('the Slack install URL', () => {
  it("is Slack's OAuth v2 authorize URL with the hub's state, scopes and redirect URI", async () => {
    const url = new URL(
      await provider.authorizationUrl({
        state: 'hub-state-Zq3',
        codeChallenge: 'ignored',
        redirectUri: REDIRECT_URI,
      }),
    );

    expect(`${url.origin}${url.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      client_id: CLIENT_ID,
      scope: 'commands,chat:write,files:read',
      user_scope: 'search:read',
      redirect_uri: REDIRECT_URI,
      state: 'hub-state-Zq3',
    });
  });

  it('asks for no PKCE: Slack takes it only from public-client apps', async () => {
    expect(provider.supportsPkce).toBe(false);
    const url = await provider.authorizationUrl({
      state: 's',
      codeChallenge: 'challenge',
      redirectUri: REDIRECT_URI,
    });
    expect(url).not.toContain('code_challenge');
  });

  it("asks for Prism's default bot scopes and no user scope unless told", async () => {
    const defaults = createSlackProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });
    const url = new URL(
      await defaults.authorizationUrl({
        state: 's',
        codeChallenge: 'c',
        redirectUri: REDIRECT_URI,
      }),
    );
    expect(url.searchParams.get('scope')?.split(',')).toEqual(
      expect.arrayContaining(['commands', 'chat:write', 'files:read']),
    );
    expect(url.searchParams.has('user_scope')).toBe(false);
  });

  it('refuses settings without a client secret or without any scope', () => {
    expect(() => createSlackProvider({ clientId: CLIENT_ID, clientSecret: '' })).toThrow(
      expect.objectContaining({ code: 'provider_not_configured' }),
    );
    expect(() =>
      createSlackProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET, scopes: [] }),
    ).toThrow(expect.objectContaining({ code: 'provider_not_configured' }));
  });
});

describe('a Slack workspace install', () => {
  it('exchanges the code with oauth.v2.access and keeps the bot token, team and webhook', async () => {
    const calls = answerSlack(server, {
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(WORKSPACE_INSTALL),
      [SLACK_API.authTest]: () => HttpResponse.json(WORKSPACE_AUTH_TEST),
    });

    const result = await provider.exchangeCode(exchange);

    expect(result.account).toEqual({ id: 'T9TK3CUKW', name: 'Slack Softball Team' });
    expect(result.scopes).toEqual(['commands', 'chat:write', 'files:read', 'incoming-webhook']);
    expect(result.tokens).toEqual({
      accessToken: BOT_TOKEN,
      refreshToken: null,
      expiresAt: null,
      extra: {
        tokenType: 'bot',
        appId: 'A0KRD7HC3',
        teamId: 'T9TK3CUKW',
        teamName: 'Slack Softball Team',
        isEnterpriseInstall: 'false',
        botId: 'B0KRQLJ9H',
        botUserId: 'U0KRQLJ9H',
        botScopes: 'commands,chat:write,files:read,incoming-webhook',
        userId: 'U1234',
        userScopes: 'search:read',
        userToken: USER_TOKEN,
        incomingWebhookUrl: WEBHOOK_URL,
        incomingWebhookChannel: '#reviews',
        incomingWebhookChannelId: 'C024BE91L',
        incomingWebhookConfigurationUrl: 'https://slacksoftballteam.slack.com/services/B0KRQLJ9H',
      },
    });

    const [access, authTest] = calls;
    expect(access?.url).toBe(SLACK_API.oauthV2Access);
    expect(Object.fromEntries(access?.form ?? [])).toEqual({
      code: CODE,
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      redirect_uri: REDIRECT_URI,
    });
    expect(authTest?.url).toBe(SLACK_API.authTest);
    expect(authTest?.authorization).toBe(`Bearer ${BOT_TOKEN}`);
  });

  it('keeps the refresh tokens and expiries when the app has token rotation on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-05-04T08:00:00.000Z'));
    answerSlack(server, {
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(ROTATING_INSTALL),
      [SLACK_API.authTest]: () => HttpResponse.json(WORKSPACE_AUTH_TEST),
    });

    const { tokens } = await provider.exchangeCode(exchange);

    expect(tokens.accessToken).toBe(ROTATING_BOT_TOKEN);
    expect(tokens.refreshToken).toBe(BOT_REFRESH_TOKEN);
    expect(tokens.expiresAt).toBe('2026-05-04T20:00:00.000Z');
    expect(tokens.extra).toMatchObject({
      userToken: ROTATING_USER_TOKEN,
      userRefreshToken: USER_REFRESH_TOKEN,
      userTokenExpiresAt: '2026-05-04T20:00:00.000Z',
    });
  });

  it("connects the installing user's token when the app asks only for user scopes", async () => {
    const { access_token, bot_user_id, scope, token_type, ...userOnly } = WORKSPACE_INSTALL;
    const calls = answerSlack(server, {
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(userOnly),
    });

    const result = await provider.exchangeCode(exchange);

    expect(result.tokens.accessToken).toBe(USER_TOKEN);
    expect(result.tokens.extra).toMatchObject({ tokenType: 'user', userId: 'U1234' });
    expect(result.tokens.extra).not.toHaveProperty('userToken');
    expect(result.scopes).toEqual(['search:read']);
    expect(calls.map((call) => call.url)).toEqual([SLACK_API.oauthV2Access]);
  });
});

describe('an Enterprise Grid org-wide install', () => {
  it('connects the organisation, which has no team', async () => {
    answerSlack(server, {
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(ORG_INSTALL),
      [SLACK_API.authTest]: () => HttpResponse.json(ORG_AUTH_TEST),
    });

    const result = await provider.exchangeCode(exchange);

    expect(result.account).toEqual({ id: 'E12345678', name: 'Starship' });
    expect(result.tokens.accessToken).toBe(BOT_TOKEN);
    expect(result.tokens.extra).toMatchObject({
      enterpriseId: 'E12345678',
      enterpriseName: 'Starship',
      enterpriseUrl: 'https://starship.enterprise.slack.com/',
      isEnterpriseInstall: 'true',
      botId: 'B0ORGBOT1',
    });
    expect(result.tokens.extra).not.toHaveProperty('teamId');
  });
});

describe('a refused code exchange', () => {
  it.each([
    ['invalid_code', 'connect the Slack workspace again'],
    ['bad_redirect_uri', '/oauth/slack/callback'],
    ['bad_client_secret', 'SLACK_CLIENT_SECRET'],
  ])("is a provider_error naming Slack's %s", async (slackCode, hint) => {
    answerSlack(server, { [SLACK_API.oauthV2Access]: () => slackError(slackCode) });

    const error = await provider.exchangeCode(exchange).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(OAuthError);
    expect(error).toMatchObject({
      code: 'provider_error',
      message: expect.stringContaining(slackCode),
    });
    expect((error as OAuthError).hint).toContain(hint);
    for (const secret of SECRETS) {
      expect((error as OAuthError).message).not.toContain(secret);
      expect((error as OAuthError).hint).not.toContain(secret);
    }
  });

  it('fails when auth.test refuses the new bot token', async () => {
    answerSlack(server, {
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(WORKSPACE_INSTALL),
      [SLACK_API.authTest]: () => slackError('invalid_auth'),
    });

    await expect(provider.exchangeCode(exchange)).rejects.toMatchObject({
      code: 'provider_error',
      message: expect.stringContaining('invalid_auth'),
    });
  });
});
