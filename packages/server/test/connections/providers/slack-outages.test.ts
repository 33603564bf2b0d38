import { delay, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSlackProvider } from '../../../src/connections/providers/slack-provider.js';
import { OAuthError, type OAuthProvider } from '../../../src/connections/types.js';
import {
  answerSlack,
  BOT_REFRESH_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  REDIRECT_URI,
  ROTATING_BOT_TOKEN,
  ROTATING_USER_TOKEN,
  rateLimited,
  SECRETS,
  SLACK_API,
  slackError,
  USER_REFRESH_TOKEN,
  WORKSPACE_INSTALL,
} from './slack-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const provider = createSlackProvider({
  clientId: CLIENT_ID,
  clientSecret: CLIENT_SECRET,
  timeoutMs: 50,
});

const tokens = {
  accessToken: ROTATING_BOT_TOKEN,
  refreshToken: BOT_REFRESH_TOKEN,
  expiresAt: '2026-05-04T20:00:00.000Z',
  extra: {
    tokenType: 'bot',
    userToken: ROTATING_USER_TOKEN,
    userRefreshToken: USER_REFRESH_TOKEN,
  },
};

/** Each operation of the adapter, with the Slack method it calls first. */
const operations: [string, string, (slack: OAuthProvider) => Promise<unknown>][] = [
  [
    'exchangeCode',
    SLACK_API.oauthV2Access,
    (slack) =>
      slack.exchangeCode({
        code: CODE,
        codeVerifier: 'v',
        redirectUri: REDIRECT_URI,
        query: { code: CODE },
      }),
  ],
  ['refresh', SLACK_API.oauthV2Access, (slack) => slack.refresh(tokens)],
  ['revoke', SLACK_API.authRevoke, (slack) => slack.revoke(tokens)],
];

/** What `run` threw, checked to be an OAuthError that gives away no secret. */
async function failureOf(run: () => Promise<unknown>): Promise<OAuthError> {
  const error = await run().then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OAuthError);
  const oauthError = error as OAuthError;
  for (const secret of SECRETS) {
    expect(oauthError.message).not.toContain(secret);
    expect(oauthError.hint ?? '').not.toContain(secret);
    expect(JSON.stringify(oauthError)).not.toContain(secret);
  }
  return oauthError;
}

describe.each(operations)('%s when Slack is unavailable', (_name, method, run) => {
  it('is provider_unavailable on an HTTP 5xx', async () => {
    answerSlack(server, {
      [method]: () => new HttpResponse('upstream connect error', { status: 503 }),
    });

    const error = await failureOf(() => run(provider));

    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toContain('HTTP 503');
  });

  it('is provider_unavailable at once on a rate limit, noting Retry-After', async () => {
    const calls = answerSlack(server, { [method]: () => rateLimited(30) });

    const error = await failureOf(() => run(provider));

    expect(error.code).toBe('provider_unavailable');
    expect(error.message).toContain('retry after 30 s');
    expect(error.hint).toBe('Try again in 30 seconds.');
    expect(calls).toHaveLength(1);
  });

  it('is provider_unavailable when Slack answers internal_error', async () => {
    answerSlack(server, { [method]: () => slackError('internal_error') });

    const error = await failureOf(() => run(provider));

    expect(error).toMatchObject({
      code: 'provider_unavailable',
      message: expect.stringContaining('internal_error'),
    });
  });

  it('is provider_unavailable when the connection drops', async () => {
    answerSlack(server, { [method]: () => HttpResponse.error() });

    expect((await failureOf(() => run(provider))).code).toBe('provider_unavailable');
  });

  it('is provider_unavailable when Slack does not answer in time', async () => {
    answerSlack(server, {
      [method]: async () => {
        await delay('infinite');
        return HttpResponse.json({ ok: true });
      },
    });

    const error = await failureOf(() => run(provider));

    expect(error).toMatchObject({
      code: 'provider_unavailable',
      message: expect.stringContaining('timed out'),
    });
  });

  it('quotes no page Slack answered instead of JSON', async () => {
    answerSlack(server, {
      [method]: () => HttpResponse.html(`<html><body>${CLIENT_SECRET} maintenance</body></html>`),
    });

    const error = await failureOf(() => run(provider));

    expect(error.message).not.toContain('<html>');
  });
});

describe('a code exchange when auth.test fails after oauth.v2.access', () => {
  it('is provider_unavailable and keeps the new bot token out of the error', async () => {
    answerSlack(server, {
      [SLACK_API.oauthV2Access]: () => HttpResponse.json(WORKSPACE_INSTALL),
      [SLACK_API.authTest]: () => new HttpResponse(null, { status: 502 }),
    });

    const [, , exchange] = operations[0] ?? [];
    const error = await failureOf(() => exchange?.(provider) ?? Promise.resolve());

    expect(error.code).toBe('provider_unavailable');
  });
});
