import { OAuthError, type OAuthProvider } from '../types.js';
import { SLACK_DEFAULT_TIMEOUT_MS } from './slack-client-options.js';
import { slackInstallFromCallback, slackInstallUrl } from './slack-install.js';
import { installationToExchange } from './slack-installation.js';
import { revokeSlackTokens } from './slack-revocation.js';
import { rotateSlackTokens } from './slack-rotation.js';

/**
 * The bot scopes Prism asks for by default: `/prism` (`commands`), answering in threads
 * (`chat:write`), reading the documents shared with it (`files:read`), mentions
 * (`app_mentions:read`), and the channels a watch observes (`channels:history`,
 * `groups:history`).
 */
export const SLACK_DEFAULT_SCOPES: readonly string[] = [
  'app_mentions:read',
  'channels:history',
  'chat:write',
  'commands',
  'files:read',
  'groups:history',
];

/** The settings of the Slack adapter. */
export interface SlackProviderSettings {
  /** The Slack app's client id (SLACK_CLIENT_ID). */
  clientId: string;
  /** The Slack app's client secret (SLACK_CLIENT_SECRET). */
  clientSecret: string;
  /** The bot scopes to ask for; {@link SLACK_DEFAULT_SCOPES} by default. */
  scopes?: readonly string[];
  /** The user scopes to ask for (a user token beside the bot token); none by default. */
  userScopes?: readonly string[];
  /** How long one call to Slack may take, in milliseconds; 10 s by default. */
  timeoutMs?: number;
}

/**
 * The Slack adapter of the connection hub, through `@slack/oauth`'s `InstallProvider` (Bolt's)
 * and `@slack/web-api`.
 *
 * - State: the hub's. The install URL carries it (`generateInstallUrl` with the state passed
 *   in), and the callback is handled with `stateVerification: false` once the hub has verified
 *   and spent it, so Slack's cookie-and-signed-state store (and a state secret) play no part.
 * - Installation store: the hub's vault. `handleCallback` exchanges the code
 *   (`oauth.v2.access`), looks up the bot id (`auth.test`) and stores Slack's `Installation`
 *   into a store that hands it back; it becomes `ConnectionTokens` (see `SlackExtraKey`) that the
 *   hub encrypts. The account is the workspace, or the organisation for an Enterprise Grid
 *   org-wide install.
 * - PKCE: off. Slack takes PKCE only from apps switched, for good, to public clients (whose
 *   refresh tokens then expire in 30 days), and `InstallProvider` does not send a verifier; a
 *   server with a client secret does not need it.
 * - Refresh: token rotation (`oauth.v2.access`, `grant_type=refresh_token`) when the app has it
 *   on; without it tokens never expire and `refresh` throws `invalid_grant`.
 * - Revoke: `auth.revoke`; a token already revoked or invalid is not an error.
 *
 * @throws {OAuthError} `provider_not_configured` when the client id or secret is empty or no
 *   scope is asked for.
 */
export function createSlackProvider(settings: SlackProviderSettings): OAuthProvider {
  if (settings.clientId === '' || settings.clientSecret === '') {
    throw new OAuthError(
      'provider_not_configured',
      'Slack connections need a client id and secret.',
      {
        hint: "Set SLACK_CLIENT_ID and SLACK_CLIENT_SECRET from the Slack app's Basic Information.",
      },
    );
  }
  const scopes = settings.scopes ?? SLACK_DEFAULT_SCOPES;
  const userScopes = settings.userScopes ?? [];
  if (scopes.length === 0 && userScopes.length === 0) {
    throw new OAuthError('provider_not_configured', 'Slack connections need at least one scope.', {
      hint: 'Ask for bot scopes, user scopes, or both.',
    });
  }
  const install = {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    scopes,
    userScopes,
    timeoutMs: settings.timeoutMs ?? SLACK_DEFAULT_TIMEOUT_MS,
  };
  return {
    name: 'slack',
    supportsPkce: false,
    authorizationUrl: (request) => slackInstallUrl(install, request),
    exchangeCode: async (exchange) =>
      installationToExchange(await slackInstallFromCallback(install, exchange)),
    refresh: (tokens) => rotateSlackTokens(install, tokens),
    revoke: (tokens) => revokeSlackTokens(install, tokens),
  };
}
