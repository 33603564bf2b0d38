import { HttpResponse, http } from 'msw';
import type { SetupServer } from 'msw/node';

/** Slack's Web API methods the adapter calls, at their real URLs. */
export const SLACK_API = {
  oauthV2Access: 'https://slack.com/api/oauth.v2.access',
  authTest: 'https://slack.com/api/auth.test',
  authRevoke: 'https://slack.com/api/auth.revoke',
} as const;

/** The test Slack app. */
export const CLIENT_ID = '2141029472.691202649728';
export const CLIENT_SECRET = 'e1b9e11dfcd19c1982d5de12921e17e8c';

/** Where Prism's callback is. */
export const REDIRECT_URI = 'https://prism.example.com/oauth/slack/callback';

/** A code as the callback brings it. */
export const CODE =
  '4724469134.4644010092847.232b4e6d82c333b475fc30f5f5a341d294feb1a94392c2fd791f7ab7731a443d1a';

/** Tokens as Slack issues them. */
export const BOT_TOKEN = 'xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy';
export const USER_TOKEN = 'xoxp-17653672481-19874698323-21653712812-2b7f3e0b1a9c';
export const ROTATING_BOT_TOKEN = 'xoxe.xoxb-1-MS0yLTE3NjUzNjcyNDgxLTE5ODc0Njk4MzIz';
export const BOT_REFRESH_TOKEN = 'xoxe-1-My0xLTE3NjUzNjcyNDgxLTE5ODc0Njk4MzIzLWJvdA';
export const ROTATED_BOT_TOKEN = 'xoxe.xoxb-1-MS0yLTE3NjUzNjcyNDgxLXJvdGF0ZWQ';
export const ROTATED_BOT_REFRESH_TOKEN = 'xoxe-1-My0xLTE3NjUzNjcyNDgxLXJvdGF0ZWQtYm90';
export const ROTATING_USER_TOKEN = 'xoxe.xoxp-1-Mi0yLTE3NjUzNjcyNDgxLXVzZXI';
export const USER_REFRESH_TOKEN = 'xoxe-1-My0xLTE3NjUzNjcyNDgxLXVzZXI';
export const ROTATED_USER_TOKEN = 'xoxe.xoxp-1-Mi0yLTE3NjUzNjcyNDgxLXJvdGF0ZWQtdXNlcg';
export const ROTATED_USER_REFRESH_TOKEN = 'xoxe-1-My0xLTE3NjUzNjcyNDgxLXJvdGF0ZWQtdXNlcg';
export const WEBHOOK_URL =
  'https://hooks.slack.com/services/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';

/** Every secret of the fixtures: none may appear in an error's message or hint. */
export const SECRETS = [
  CLIENT_SECRET,
  CODE,
  BOT_TOKEN,
  USER_TOKEN,
  ROTATING_BOT_TOKEN,
  BOT_REFRESH_TOKEN,
  ROTATED_BOT_TOKEN,
  ROTATED_BOT_REFRESH_TOKEN,
  ROTATING_USER_TOKEN,
  USER_REFRESH_TOKEN,
  ROTATED_USER_TOKEN,
  ROTATED_USER_REFRESH_TOKEN,
  WEBHOOK_URL,
];

/** `oauth.v2.access` for a workspace install with a user token and an incoming webhook. */
export const WORKSPACE_INSTALL = {
  ok: true,
  access_token: BOT_TOKEN,
  token_type: 'bot',
  scope: 'commands,chat:write,files:read,incoming-webhook',
  bot_user_id: 'U0KRQLJ9H',
  app_id: 'A0KRD7HC3',
  team: { name: 'Slack Softball Team', id: 'T9TK3CUKW' },
  enterprise: null,
  is_enterprise_install: false,
  authed_user: { id: 'U1234', scope: 'search:read', access_token: USER_TOKEN, token_type: 'user' },
  incoming_webhook: {
    channel: '#reviews',
    channel_id: 'C024BE91L',
    configuration_url: 'https://slacksoftballteam.slack.com/services/B0KRQLJ9H',
    url: WEBHOOK_URL,
  },
};

/** `auth.test` with the bot token of {@link WORKSPACE_INSTALL}. */
export const WORKSPACE_AUTH_TEST = {
  ok: true,
  url: 'https://slacksoftballteam.slack.com/',
  team: 'Slack Softball Team',
  user: 'prism',
  team_id: 'T9TK3CUKW',
  user_id: 'U0KRQLJ9H',
  bot_id: 'B0KRQLJ9H',
  is_enterprise_install: false,
};

/** `oauth.v2.access` for an Enterprise Grid org-wide install: no team. */
export const ORG_INSTALL = {
  ok: true,
  access_token: BOT_TOKEN,
  token_type: 'bot',
  scope: 'commands,chat:write',
  bot_user_id: 'W0KRQLJ9H',
  app_id: 'A0KRD7HC3',
  team: null,
  enterprise: { id: 'E12345678', name: 'Starship' },
  is_enterprise_install: true,
  authed_user: { id: 'W1234', scope: '', token_type: 'user' },
};

/** `auth.test` with the bot token of {@link ORG_INSTALL}. */
export const ORG_AUTH_TEST = {
  ok: true,
  url: 'https://starship.enterprise.slack.com/',
  team: 'Starship',
  user: 'prism',
  team_id: 'E12345678',
  user_id: 'W0KRQLJ9H',
  bot_id: 'B0ORGBOT1',
  enterprise_id: 'E12345678',
  is_enterprise_install: true,
};

/** `oauth.v2.access` for a workspace install of an app with token rotation on. */
export const ROTATING_INSTALL = {
  ok: true,
  access_token: ROTATING_BOT_TOKEN,
  token_type: 'bot',
  scope: 'commands,chat:write',
  bot_user_id: 'U0KRQLJ9H',
  app_id: 'A0KRD7HC3',
  team: { name: 'Slack Softball Team', id: 'T9TK3CUKW' },
  enterprise: null,
  is_enterprise_install: false,
  expires_in: 43200,
  refresh_token: BOT_REFRESH_TOKEN,
  authed_user: {
    id: 'U1234',
    scope: 'search:read',
    access_token: ROTATING_USER_TOKEN,
    token_type: 'user',
    expires_in: 43200,
    refresh_token: USER_REFRESH_TOKEN,
  },
};

/** `oauth.v2.access` with `grant_type=refresh_token`, for a bot or a user refresh token. */
export function rotationAnswer(tokenType: 'bot' | 'user'): Record<string, unknown> {
  return {
    ok: true,
    app_id: 'A0KRD7HC3',
    scope: tokenType === 'bot' ? 'commands,chat:write,files:read' : 'search:read',
    token_type: tokenType,
    access_token: tokenType === 'bot' ? ROTATED_BOT_TOKEN : ROTATED_USER_TOKEN,
    refresh_token: tokenType === 'bot' ? ROTATED_BOT_REFRESH_TOKEN : ROTATED_USER_REFRESH_TOKEN,
    expires_in: 43200,
    ...(tokenType === 'bot' ? { bot_user_id: 'U0KRQLJ9H' } : {}),
    team: { name: 'Slack Softball Team (renamed)', id: 'T9TK3CUKW' },
    enterprise: null,
    is_enterprise_install: false,
  };
}

/** Slack's answer to a call it refused: HTTP 200, `ok: false`. */
export function slackError(error: string): HttpResponse<Record<string, unknown>> {
  return HttpResponse.json({ ok: false, error });
}

/** Slack's rate limit: HTTP 429 with `Retry-After` in seconds. */
export function rateLimited(seconds: number): HttpResponse<Record<string, unknown>> {
  return HttpResponse.json(
    { ok: false, error: 'ratelimited' },
    { status: 429, headers: { 'Retry-After': String(seconds) } },
  );
}

/** A request to a Slack Web API method, as the test saw it. */
export interface SlackCall {
  /** The method's URL. */
  url: string;
  /** The `Authorization` header, if any. */
  authorization: string | null;
  /** The form fields of the body. */
  form: URLSearchParams;
}

/**
 * Answers Slack Web API calls with `answer`, one per method URL, and records every call (the
 * form-encoded bodies the Web API takes).
 */
export function answerSlack(
  server: SetupServer,
  answers: Partial<Record<string, (form: URLSearchParams) => Response | Promise<Response>>>,
): SlackCall[] {
  const calls: SlackCall[] = [];
  server.use(
    ...Object.entries(answers).map(([url, answer]) =>
      http.post(url, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        calls.push({ url, authorization: request.headers.get('authorization'), form });
        if (answer === undefined) throw new Error(`no answer for ${url}`);
        return answer(form);
      }),
    ),
  );
  return calls;
}
