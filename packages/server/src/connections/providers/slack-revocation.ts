import { WebClient } from '@slack/web-api';
import { type ConnectionTokens, OAuthError } from '../types.js';
import { slackClientOptions } from './slack-client-options.js';
import { SLACK_TOKEN_GONE_ERRORS, slackErrorCode, slackFailure } from './slack-errors.js';
import { rotateSlackToken, type SlackRotationSettings } from './slack-rotation.js';

/**
 * Revokes a Slack connection with `auth.revoke` (the token in the `Authorization` header): its
 * token, and the installing user's token when one is kept beside the bot token. A token Slack
 * no longer accepts (`invalid_auth`, `token_revoked`, `account_inactive`, `not_authed`) is
 * revoked already. A rotating token that expired (`token_expired`) cannot be revoked itself:
 * its refresh token is traded for a fresh one, which is revoked; a refused refresh token means
 * the connection is dead already.
 *
 * @throws {OAuthError} `provider_error` when Slack refused, `provider_unavailable` when it failed
 *   or could not be reached.
 */
export async function revokeSlackTokens(
  settings: SlackRotationSettings,
  tokens: ConnectionTokens,
): Promise<void> {
  const userToken = tokens.extra.userToken;
  if (userToken !== undefined) {
    await revokeToken(settings, userToken, tokens.extra.userRefreshToken ?? null);
  }
  await revokeToken(settings, tokens.accessToken, tokens.refreshToken);
}

async function revokeToken(
  settings: SlackRotationSettings,
  accessToken: string,
  refreshToken: string | null,
): Promise<void> {
  if ((await callRevoke(settings, accessToken)) !== 'expired' || refreshToken === null) return;
  const fresh = await rotateSlackToken(settings, refreshToken).catch((error: unknown) => {
    if (error instanceof OAuthError && error.code === 'invalid_grant') return undefined;
    throw error;
  });
  if (fresh !== undefined) await callRevoke(settings, fresh.accessToken);
}

/** `auth.revoke` for one token: `revoked`, or `expired` when it is a rotating token past its time. */
async function callRevoke(
  settings: SlackRotationSettings,
  token: string,
): Promise<'revoked' | 'expired'> {
  const client = new WebClient(token, slackClientOptions(settings.timeoutMs));
  try {
    await client.auth.revoke();
    return 'revoked';
  } catch (error) {
    const slackCode = slackErrorCode(error);
    if (slackCode === 'token_expired') return 'expired';
    if (slackCode !== undefined && SLACK_TOKEN_GONE_ERRORS.has(slackCode)) return 'revoked';
    throw slackFailure(error, 'revoke');
  }
}
