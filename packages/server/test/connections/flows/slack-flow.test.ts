import { HttpResponse } from 'msw';
import { describe, expect, it, vi } from 'vitest';
import {
  answerSlack,
  BOT_REFRESH_TOKEN,
  BOT_TOKEN,
  CLIENT_ID,
  CLIENT_SECRET,
  CODE,
  REDIRECT_URI,
  ROTATED_BOT_REFRESH_TOKEN,
  ROTATED_BOT_TOKEN,
  ROTATED_USER_REFRESH_TOKEN,
  ROTATED_USER_TOKEN,
  ROTATING_BOT_TOKEN,
  ROTATING_INSTALL,
  ROTATING_USER_TOKEN,
  rotationAnswer,
  SECRETS,
  SLACK_API,
  type SlackCall,
  slackError,
  USER_REFRESH_TOKEN,
  USER_TOKEN,
  WORKSPACE_AUTH_TEST,
  WORKSPACE_INSTALL,
} from '../providers/slack-fixtures.js';
import { useFlowServer } from './flow-context.js';
import { TENANT } from './flow-server.js';
import { callback, connectionOf, disconnect, hasStoredTokens } from './flow-steps.js';
import { setupProviderNetwork } from './provider-network.js';

vi.mock('../../../src/server.js', async (importOriginal) =>
  (await import('./built-servers.js')).recordBuiltServers(await importOriginal()),
);

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

/** Longer than a rotating Slack token lasts (12 hours). */
const PAST_EXPIRY_MS = 13 * 3_600_000;

const network = setupProviderNetwork();
const flow = useFlowServer(network, {
  SLACK_CLIENT_ID: CLIENT_ID,
  SLACK_CLIENT_SECRET: CLIENT_SECRET,
});

/** Slack answering the Web API methods with `answers` from now on; the calls it receives. */
function slackAnswers(answers: Parameters<typeof answerSlack>[1]): SlackCall[] {
  network.answer();
  return answerSlack(network.server, answers);
}

/** `auth.revoke` as Slack answers a token it revoked. */
const revokes = () => HttpResponse.json({ ok: true, revoked: true });

/** Installs the app: the flow started, the user allows it, Slack redirects back. */
async function install(access: Record<string, unknown>) {
  const calls = slackAnswers({
    [SLACK_API.oauthV2Access]: () => HttpResponse.json(access),
    [SLACK_API.authTest]: () => HttpResponse.json(WORKSPACE_AUTH_TEST),
  });
  const started = await flow.startConnecting('slack');
  const page = await callback(flow.server.api, 'slack', { code: CODE, state: started.state });
  return { started, page, calls };
}

describe('a Slack workspace connected through a running server', () => {
  let connectionId: string;

  it('connects: the install URL with the state, the callback, then active with the workspace and scopes', async () => {
    const { started, page, calls } = await install(ROTATING_INSTALL);
    connectionId = started.connectionId;

    const url = started.authorizationUrl;
    expect(`${url.origin}${url.pathname}`).toBe('https://slack.com/oauth/v2/authorize');
    expect(url.searchParams.get('client_id')).toBe(CLIENT_ID);
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URI);
    expect(url.searchParams.has('code_challenge')).toBe(false);
    expect(page.status).toBe(200);
    expect(page.body).toContain('Prism is connected to Slack Softball Team');
    expect(calls.map((call) => call.url)).toEqual([SLACK_API.oauthV2Access, SLACK_API.authTest]);
    expect(calls[0]?.form.get('code')).toBe(CODE);
    expect(calls[0]?.form.get('redirect_uri')).toBe(REDIRECT_URI);

    expect(await connectionOf(flow.server.api, connectionId)).toMatchObject({
      provider: 'slack',
      status: 'active',
      account: { id: 'T9TK3CUKW', name: 'Slack Softball Team' },
      scopes: ['commands', 'chat:write'],
    });
    const created = await flow.consumer.event('connection.created');
    expect(created.data).toMatchObject({ connection: { id: connectionId, status: 'active' } });
  });

  it('hands out the bot token while it is fresh, without the user token or refresh tokens', async () => {
    const before = network.requests.length;

    const token = await flow.tokens.getAccessToken(TENANT, connectionId);

    expect(token.accessToken).toBe(ROTATING_BOT_TOKEN);
    expect(token.extra).toMatchObject({ teamId: 'T9TK3CUKW', botUserId: 'U0KRQLJ9H' });
    expect(Object.values(token.extra)).not.toContain(ROTATING_USER_TOKEN);
    expect(Object.values(token.extra)).not.toContain(USER_REFRESH_TOKEN);
    expect(network.requests).toHaveLength(before);
  });

  it('rotates an expired token once for concurrent callers and stores the new refresh tokens', async () => {
    const calls = slackAnswers({
      [SLACK_API.oauthV2Access]: (form) => {
        const refreshToken = form.get('refresh_token');
        if (form.get('grant_type') !== 'refresh_token') return slackError('invalid_grant_type');
        if (refreshToken === BOT_REFRESH_TOKEN) return HttpResponse.json(rotationAnswer('bot'));
        if (refreshToken === USER_REFRESH_TOKEN) return HttpResponse.json(rotationAnswer('user'));
        return slackError('invalid_refresh_token');
      },
    });
    flow.clock.advance(PAST_EXPIRY_MS);

    const answers = await Promise.all([
      flow.tokens.getAccessToken(TENANT, connectionId),
      flow.tokens.getAccessToken(TENANT, connectionId),
      flow.tokens.getAccessToken(TENANT, connectionId),
    ]);

    expect(answers.map((answer) => answer.accessToken)).toEqual([
      ROTATED_BOT_TOKEN,
      ROTATED_BOT_TOKEN,
      ROTATED_BOT_TOKEN,
    ]);
    expect(calls.map((call) => call.form.get('refresh_token'))).toEqual([
      BOT_REFRESH_TOKEN,
      USER_REFRESH_TOKEN,
    ]);
    const stored = await flow.server.secrets.read(TENANT, connectionId);
    expect(stored?.version).toBe(2);
    expect(stored?.tokens).toMatchObject({
      accessToken: ROTATED_BOT_TOKEN,
      refreshToken: ROTATED_BOT_REFRESH_TOKEN,
      extra: { userToken: ROTATED_USER_TOKEN, userRefreshToken: ROTATED_USER_REFRESH_TOKEN },
    });
  });

  it('marks the connection needs_reauth when Slack refuses the refresh token, and tells the webhook once', async () => {
    slackAnswers({ [SLACK_API.oauthV2Access]: () => slackError('invalid_refresh_token') });
    flow.clock.advance(PAST_EXPIRY_MS);

    await flow.expectNeedsReauthOnce(connectionId);
  });

  it('disconnects: revokes the user and bot tokens with auth.revoke, then forgets them', async () => {
    const { started } = await install(WORKSPACE_INSTALL);
    const calls = slackAnswers({ [SLACK_API.authRevoke]: revokes });

    await disconnect(flow.server.api, started.connectionId);
    await disconnect(flow.server.api, connectionId);

    expect(calls.map((call) => [call.url, call.authorization])).toEqual([
      [SLACK_API.authRevoke, `Bearer ${USER_TOKEN}`],
      [SLACK_API.authRevoke, `Bearer ${BOT_TOKEN}`],
      [SLACK_API.authRevoke, `Bearer ${ROTATED_USER_TOKEN}`],
      [SLACK_API.authRevoke, `Bearer ${ROTATED_BOT_TOKEN}`],
    ]);
    for (const id of [started.connectionId, connectionId]) {
      expect(await connectionOf(flow.server.api, id)).toBeUndefined();
      expect(await hasStoredTokens(flow.server, id)).toBe(false);
    }
    const event = await flow.consumer.event('connection.revoked');
    expect(event.data).toMatchObject({ connection: { status: 'revoked' } });
  });

  it('shows a page naming the refusal when Slack refuses the code, and refuses a replayed callback', async () => {
    slackAnswers({ [SLACK_API.oauthV2Access]: () => slackError('invalid_code') });
    const started = await flow.startConnecting('slack');

    const refused = await callback(flow.server.api, 'slack', { code: CODE, state: started.state });
    const replayed = await callback(flow.server.api, 'slack', { code: CODE, state: started.state });
    const denied = await flow.startConnecting('slack');
    const declined = await callback(flow.server.api, 'slack', {
      state: denied.state,
      error: 'access_denied',
    });

    expect(refused.status).toBe(400);
    expect(refused.body).toContain('invalid_code');
    expect(replayed.status).toBe(400);
    expect(replayed.body).toContain('This connection link is not valid.');
    expect(declined.status).toBe(400);
    expect(declined.body).toContain('Slack did not grant access (access_denied)');
    expect(await connectionOf(flow.server.api, denied.connectionId)).toBeUndefined();
  });

  it('shows no token, code, PKCE verifier, webhook URL or client secret in logs, metrics, answers, pages, errors or the database', async () => {
    expect(JSON.stringify(flow.logLines())).toContain(
      '/oauth/slack/callback?code=[redacted]&state=',
    );

    const secrets = await flow.expectNoSecretShows([CLIENT_SECRET, ...SECRETS]);

    expect(secrets).toEqual(
      expect.arrayContaining([
        CODE,
        ROTATING_BOT_TOKEN,
        ROTATED_BOT_REFRESH_TOKEN,
        ROTATED_USER_TOKEN,
        ...flow.verifiers,
      ]),
    );
  });
});
