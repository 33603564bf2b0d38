import { type OauthV2AccessResponse, WebClient } from '@slack/web-api';
import { type ConnectionTokens, OAuthError } from '../types.js';
import { slackClientOptions } from './slack-client-options.js';
import { slackFailure } from './slack-errors.js';
import { unexpectedAnswer, withoutAbsent } from './slack-installation.js';

/** What a refresh needs: the Slack app's credentials and a timeout. */
export interface SlackRotationSettings {
  /** The Slack app's client id. */
  clientId: string;
  /** The Slack app's client secret. */
  clientSecret: string;
  /** How long one call to Slack may take. */
  timeoutMs: number;
}

/** One token rotated by `oauth.v2.access`. */
export interface RotatedSlackToken {
  /** The new access token. */
  accessToken: string;
  /** The new refresh token; the one traded for it no longer works. */
  refreshToken: string;
  /** When the new access token expires (ISO 8601). */
  expiresAt: string;
  /** Slack's whole answer (team, enterprise, scopes). */
  answer: OauthV2AccessResponse;
}

/**
 * Token rotation: trades the connection's refresh token (`xoxe-1-`) at `oauth.v2.access`
 * (`grant_type=refresh_token`) for a new access token, which lasts 12 hours, and a new refresh
 * token. A user token kept beside the bot token is rotated too; if only that second rotation
 * fails, the new bot token is kept all the same (losing it would break the connection): a
 * refused user token is dropped, one Slack could not rotate now keeps its old values.
 *
 * Without token rotation, Slack's tokens never expire and it gives no refresh token, so the hub
 * never needs to refresh; asked anyway, this throws `invalid_grant`.
 *
 * @throws {OAuthError} `invalid_grant` when there is no refresh token or Slack refused it
 *   (`invalid_refresh_token`), `provider_unavailable` when Slack failed or could not be reached.
 */
export async function rotateSlackTokens(
  settings: SlackRotationSettings,
  tokens: ConnectionTokens,
): Promise<ConnectionTokens> {
  if (tokens.refreshToken === null) {
    throw new OAuthError(
      'invalid_grant',
      'This Slack connection has no refresh token: its app has token rotation off, so its token does not expire.',
      { hint: 'Connect the Slack workspace again if its token stopped working.' },
    );
  }
  const rotated = await rotateSlackToken(settings, tokens.refreshToken);
  const extra: Record<string, string | undefined> = {
    ...tokens.extra,
    teamName: rotated.answer.team?.name ?? tokens.extra.teamName,
    enterpriseName: rotated.answer.enterprise?.name ?? tokens.extra.enterpriseName,
  };
  if (tokens.extra.tokenType !== 'user' && rotated.answer.scope !== undefined) {
    extra.botScopes = rotated.answer.scope;
  }
  const userRefreshToken = tokens.extra.userRefreshToken;
  if (userRefreshToken !== undefined) {
    Object.assign(extra, await rotateUserToken(settings, userRefreshToken));
  }
  return {
    accessToken: rotated.accessToken,
    refreshToken: rotated.refreshToken,
    expiresAt: rotated.expiresAt,
    extra: withoutAbsent(extra),
  };
}

/** The user token's new values in `extra`, or what to change when Slack would not rotate it. */
async function rotateUserToken(
  settings: SlackRotationSettings,
  refreshToken: string,
): Promise<Record<string, string | undefined>> {
  try {
    const rotated = await rotateSlackToken(settings, refreshToken);
    return {
      userToken: rotated.accessToken,
      userRefreshToken: rotated.refreshToken,
      userTokenExpiresAt: rotated.expiresAt,
    };
  } catch (error) {
    if (error instanceof OAuthError && error.code === 'invalid_grant') {
      return { userToken: undefined, userRefreshToken: undefined, userTokenExpiresAt: undefined };
    }
    return {};
  }
}

/**
 * Trades one refresh token at `oauth.v2.access` for a new access token and refresh token.
 *
 * @throws {OAuthError} `invalid_grant` when Slack refused the refresh token,
 *   `provider_unavailable` when it failed or could not be reached.
 */
export async function rotateSlackToken(
  settings: SlackRotationSettings,
  refreshToken: string,
): Promise<RotatedSlackToken> {
  const client = new WebClient(undefined, slackClientOptions(settings.timeoutMs));
  let answer: OauthV2AccessResponse;
  try {
    answer = await client.oauth.v2.access({
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
    });
  } catch (error) {
    throw slackFailure(error, 'refresh');
  }
  const { access_token, refresh_token, expires_in } = answer;
  if (access_token === undefined || refresh_token === undefined || expires_in === undefined) {
    throw unexpectedAnswer('access_token, refresh_token, expires_in');
  }
  return {
    accessToken: access_token,
    refreshToken: refresh_token,
    expiresAt: new Date(Date.now() + expires_in * 1000).toISOString(),
    answer,
  };
}
