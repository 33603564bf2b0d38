import { HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackProvider } from '../../../src/connections/providers/slack-provider.js';
import type { ConnectionTokens } from '../../../src/connections/types.js';
import {
  answerSlack,
  BOT_REFRESH_TOKEN,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  ROTATED_BOT_TOKEN,
  ROTATING_BOT_TOKEN,
  rotationAnswer,
  SLACK_API,
  slackError,
  USER_TOKEN,
} from './slack-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const provider = createSlackProvider({ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET });

const connection: ConnectionTokens = {
  accessToken: BOT_TOKEN,
  refreshToken: null,
  expiresAt: null,
  extra: { tokenType: 'bot', teamId: 'T9TK3CUKW', userToken: USER_TOKEN },
};

describe('revoking a Slack connection', () => {
  it('revokes the user token and the bot token with auth.revoke', async () => {
    const calls = answerSlack(server, {
      [SLACK_API.authRevoke]: () => HttpResponse.json({ ok: true, revoked: true }),
    });

    await provider.revoke(connection);

    expect(calls.map((call) => call.authorization)).toEqual([
      `Bearer ${USER_TOKEN}`,
      `Bearer ${BOT_TOKEN}`,
    ]);
    expect(calls.every((call) => call.form.get('test') === null)).toBe(true);
  });

  it.each(['invalid_auth', 'token_revoked', 'account_inactive'])(
    'takes %s as revoked already',
    async (slackCode) => {
      answerSlack(server, { [SLACK_API.authRevoke]: () => slackError(slackCode) });

      await expect(provider.revoke(connection)).resolves.toBeUndefined();
    },
  );

  it('rotates an expired rotating token first, then revokes the new one', async () => {
    let expiredAnswered = false;
    const calls = answerSlack(server, {
      [SLACK_API.authRevoke]: () => {
        if (expiredAnswered) return HttpResponse.json({ ok: true, revoked: true });
        expiredAnswered = true;
        return slackError('token_expired');
      },
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(rotationAnswer('bot')),
    });

    await provider.revoke({
      accessToken: ROTATING_BOT_TOKEN,
      refreshToken: BOT_REFRESH_TOKEN,
      expiresAt: '2026-05-04T20:00:00.000Z',
      extra: { tokenType: 'bot' },
    });

    expect(
      calls.map((call) => [call.url, call.authorization ?? call.form.get('grant_type')]),
    ).toEqual([
      [SLACK_API.authRevoke, `Bearer ${ROTATING_BOT_TOKEN}`],
      [SLACK_API.oauthV2Access, 'refresh_token'],
      [SLACK_API.authRevoke, `Bearer ${ROTATED_BOT_TOKEN}`],
    ]);
  });

  it('takes an expired token whose refresh token Slack refuses as revoked already', async () => {
    answerSlack(server, {
      [SLACK_API.authRevoke]: () => slackError('token_expired'),
      [SLACK_API.oauthV2Access]: () => slackError('invalid_refresh_token'),
    });

    await expect(
      provider.revoke({
        accessToken: ROTATING_BOT_TOKEN,
        refreshToken: BOT_REFRESH_TOKEN,
        expiresAt: '2026-05-04T20:00:00.000Z',
        extra: { tokenType: 'bot' },
      }),
    ).resolves.toBeUndefined();
  });

  it('is a provider_error when Slack refuses for another reason', async () => {
    answerSlack(server, { [SLACK_API.authRevoke]: () => slackError('not_allowed_token_type') });

    await expect(provider.revoke(connection)).rejects.toMatchObject({
      code: 'provider_error',
      message: expect.stringContaining('not_allowed_token_type'),
    });
  });
});
