import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSlackProvider } from '../../../src/connections/providers/slack-provider.js';
import type { ConnectionTokens } from '../../../src/connections/types.js';
import {
  answerSlack,
  BOT_REFRESH_TOKEN,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  ROTATED_BOT_REFRESH_TOKEN,
  ROTATED_BOT_TOKEN,
  ROTATED_USER_REFRESH_TOKEN,
  ROTATED_USER_TOKEN,
  ROTATING_BOT_TOKEN,
  ROTATING_USER_TOKEN,
  rotationAnswer,
  SECRETS,
  SLACK_API,
  slackError,
  USER_REFRESH_TOKEN,
} from './slack-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-05-04T19:30:00.000Z'));
});
afterEach(() => {
  server.resetHandlers();
  vi.useRealTimers();
});
afterAll(() => server.close());

const provider = createSlackProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });

/** A connection of an app with token rotation on, whose bot token is about to expire. */
const rotating: ConnectionTokens = {
  accessToken: ROTATING_BOT_TOKEN,
  refreshToken: BOT_REFRESH_TOKEN,
  expiresAt: '2026-05-04T20:00:00.000Z',
  extra: {
    tokenType: 'bot',
    teamId: 'T9TK3CUKW',
    teamName: 'Slack Softball Team',
    isEnterpriseInstall: 'false',
    botUserId: 'U0KRQLJ9H',
    botScopes: 'commands,chat:write',
  },
};

/** The same with a rotating user token beside the bot token. */
const rotatingWithUser: ConnectionTokens = {
  ...rotating,
  extra: {
    ...rotating.extra,
    userToken: ROTATING_USER_TOKEN,
    userRefreshToken: USER_REFRESH_TOKEN,
    userTokenExpiresAt: '2026-05-04T20:00:00.000Z',
  },
};

/** Answers each refresh token with a rotation, or with the error given for it. */
function rotate(errors: Record<string, string> = {}) {
  return answerSlack(server, {
    [SLACK_API.oauthV2Access]: (form) => {
      const refreshToken = form.get('refresh_token') ?? '';
      const error = errors[refreshToken];
      if (error !== undefined) return slackError(error);
      return HttpResponse.json(
        rotationAnswer(refreshToken === USER_REFRESH_TOKEN ? 'user' : 'bot'),
      );
    },
  });
}

describe('refreshing a Slack connection with token rotation', () => {
  it('trades the refresh token at oauth.v2.access for a new token pair lasting 12 hours', async () => {
    const calls = rotate();

    const tokens = await provider.refresh(rotating);

    expect(tokens).toEqual({
      accessToken: ROTATED_BOT_TOKEN,
      refreshToken: ROTATED_BOT_REFRESH_TOKEN,
      expiresAt: '2026-05-05T07:30:00.000Z',
      extra: {
        ...rotating.extra,
        teamName: 'Slack Softball Team (renamed)',
        botScopes: 'commands,chat:write,files:read',
      },
    });
    expect(calls).toHaveLength(1);
    expect(Object.fromEntries(calls[0]?.form ?? [])).toEqual({
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      grant_type: 'refresh_token',
      refresh_token: BOT_REFRESH_TOKEN,
    });
  });

  it('rotates the user token kept beside the bot token too', async () => {
    const calls = rotate();

    const tokens = await provider.refresh(rotatingWithUser);

    expect(tokens.accessToken).toBe(ROTATED_BOT_TOKEN);
    expect(tokens.extra).toMatchObject({
      userToken: ROTATED_USER_TOKEN,
      userRefreshToken: ROTATED_USER_REFRESH_TOKEN,
      userTokenExpiresAt: '2026-05-05T07:30:00.000Z',
    });
    expect(calls.map((call) => call.form.get('refresh_token'))).toEqual([
      BOT_REFRESH_TOKEN,
      USER_REFRESH_TOKEN,
    ]);
  });

  it('keeps the new bot token when Slack refuses only the user refresh token', async () => {
    rotate({ [USER_REFRESH_TOKEN]: 'invalid_refresh_token' });

    const tokens = await provider.refresh(rotatingWithUser);

    expect(tokens.accessToken).toBe(ROTATED_BOT_TOKEN);
    expect(tokens.refreshToken).toBe(ROTATED_BOT_REFRESH_TOKEN);
    expect(tokens.extra).not.toHaveProperty('userToken');
    expect(tokens.extra).not.toHaveProperty('userRefreshToken');
  });

  it('keeps the new bot token and the old user token when Slack fails to rotate the user token', async () => {
    rotate({ [USER_REFRESH_TOKEN]: 'internal_error' });

    const tokens = await provider.refresh(rotatingWithUser);

    expect(tokens.accessToken).toBe(ROTATED_BOT_TOKEN);
    expect(tokens.extra).toMatchObject({
      userToken: ROTATING_USER_TOKEN,
      userRefreshToken: USER_REFRESH_TOKEN,
    });
  });

  it.each(['invalid_refresh_token', 'token_revoked'])(
    'is invalid_grant when Slack answers %s',
    async (slackCode) => {
      rotate({ [BOT_REFRESH_TOKEN]: slackCode });

      const error = await provider.refresh(rotating).catch((caught: unknown) => caught);

      expect(error).toMatchObject({
        code: 'invalid_grant',
        message: expect.stringContaining(slackCode),
        hint: 'Connect the Slack workspace again.',
      });
      for (const secret of SECRETS) expect(String(error)).not.toContain(secret);
    },
  );
});

describe('refreshing a Slack connection without token rotation', () => {
  it('is invalid_grant without asking Slack: its token never expires', async () => {
    const calls = rotate();
    const lasting: ConnectionTokens = {
      accessToken: BOT_TOKEN,
      refreshToken: null,
      expiresAt: null,
      extra: { tokenType: 'bot', teamId: 'T9TK3CUKW' },
    };

    await expect(provider.refresh(lasting)).rejects.toMatchObject({
      code: 'invalid_grant',
      message: expect.stringContaining('token rotation'),
    });
    expect(calls).toHaveLength(0);
  });
});
