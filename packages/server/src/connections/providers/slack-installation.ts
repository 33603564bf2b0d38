import type { Installation } from '@slack/oauth';
import { type ConnectionTokens, type ExchangeResult, OAuthError } from '../types.js';

/**
 * The keys of `ConnectionTokens.extra` for a Slack connection. Every value is a string; scopes
 * are comma-separated as Slack writes them; absent values are left out.
 *
 * - `tokenType`: `bot` when `accessToken` is the bot token (`xoxb-`), `user` when the app asked
 *   only for user scopes and `accessToken` is the installing user's token (`xoxp-`).
 * - `appId`; `teamId`, `teamName` (a workspace install); `enterpriseId`, `enterpriseName`
 *   (Enterprise Grid); `isEnterpriseInstall` (`true` for an org-wide install, which has no team);
 *   `enterpriseUrl` (the org's landing page, for org-wide installs).
 * - `botId`, `botUserId`, `botScopes`.
 * - `userId` (who installed), `userScopes`; and when the installation holds a user token beside
 *   the bot token: `userToken`, with token rotation `userRefreshToken` and `userTokenExpiresAt`
 *   (ISO 8601).
 * - `incomingWebhookUrl` (a secret: anyone with it can post), `incomingWebhookChannel`,
 *   `incomingWebhookChannelId`, `incomingWebhookConfigurationUrl`, when the app asked for the
 *   `incoming-webhook` scope.
 */
export type SlackExtraKey =
  | 'tokenType'
  | 'appId'
  | 'teamId'
  | 'teamName'
  | 'enterpriseId'
  | 'enterpriseName'
  | 'enterpriseUrl'
  | 'isEnterpriseInstall'
  | 'botId'
  | 'botUserId'
  | 'botScopes'
  | 'userId'
  | 'userScopes'
  | 'userToken'
  | 'userRefreshToken'
  | 'userTokenExpiresAt'
  | 'incomingWebhookUrl'
  | 'incomingWebhookChannel'
  | 'incomingWebhookChannelId'
  | 'incomingWebhookConfigurationUrl';

/**
 * Maps the `Installation` that `@slack/oauth` builds from `oauth.v2.access` (and `auth.test`)
 * into what the hub keeps. The connection's token is the bot token, or the user token when
 * there is no bot; with token rotation on, its refresh token (`xoxe-1-`) and expiry come along,
 * without it both are null (Slack's tokens then never expire). The account is the workspace, or
 * the Enterprise Grid organisation for an org-wide install; the scopes are the token's.
 */
export function installationToExchange(installation: Installation): ExchangeResult {
  const { bot, user } = installation;
  const primary = bot ?? (user.token === undefined ? undefined : { ...user, token: user.token });
  if (primary === undefined) throw unexpectedAnswer('no token');
  const extra: Partial<Record<SlackExtraKey, string | undefined>> = {
    tokenType: bot === undefined ? 'user' : 'bot',
    appId: installation.appId,
    teamId: installation.team?.id,
    teamName: installation.team?.name,
    enterpriseId: installation.enterprise?.id,
    enterpriseName: installation.enterprise?.name,
    enterpriseUrl: installation.enterpriseUrl,
    isEnterpriseInstall: String(installation.isEnterpriseInstall === true),
    botId: bot?.id,
    botUserId: bot?.userId,
    botScopes: bot?.scopes.join(','),
    userId: user.id,
    userScopes: user.scopes?.join(','),
    incomingWebhookUrl: installation.incomingWebhook?.url,
    incomingWebhookChannel: installation.incomingWebhook?.channel,
    incomingWebhookChannelId: installation.incomingWebhook?.channelId,
    incomingWebhookConfigurationUrl: installation.incomingWebhook?.configurationUrl,
  };
  if (bot !== undefined && user.token !== undefined) {
    extra.userToken = user.token;
    extra.userRefreshToken = user.refreshToken;
    extra.userTokenExpiresAt = epochSecondsToIso(user.expiresAt);
  }
  const tokens: ConnectionTokens = {
    accessToken: primary.token,
    refreshToken: primary.refreshToken ?? null,
    expiresAt: epochSecondsToIso(primary.expiresAt) ?? null,
    extra: withoutAbsent(extra),
  };
  return { tokens, account: installedAccount(installation), scopes: primary.scopes ?? [] };
}

/** The workspace installed, or the organisation for an org-wide install. */
function installedAccount(installation: Installation): ExchangeResult['account'] {
  const owner =
    installation.isEnterpriseInstall === true ? installation.enterprise : installation.team;
  if (owner === undefined) throw unexpectedAnswer('no team or enterprise');
  return { id: owner.id, name: owner.name ?? null };
}

/** Seconds since the epoch (as Slack and `@slack/oauth` count expiry) as ISO 8601. */
export function epochSecondsToIso(seconds: number | undefined): string | undefined {
  return seconds === undefined ? undefined : new Date(seconds * 1000).toISOString();
}

/** The entries of `record` that have a value. */
export function withoutAbsent(
  record: Partial<Record<string, string | undefined>>,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined && value !== '') kept[key] = value;
  }
  return kept;
}

/** Slack answered `ok: true` without what every answer of its kind holds. */
export function unexpectedAnswer(missing: string): OAuthError {
  return new OAuthError(
    'provider_error',
    `Slack answered without the expected fields (${missing}).`,
    {
      hint: 'Connect the Slack workspace again; if it keeps failing, Slack may have changed its API.',
    },
  );
}
