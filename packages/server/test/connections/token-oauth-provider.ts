import {
  type ConnectionTokens,
  OAuthError,
  type OAuthProvider,
} from '../../src/connections/types.js';

/** Options of {@link tokenEndpointProvider}. */
export interface TokenEndpointProviderOptions {
  /** The token endpoint's URL. */
  tokenUrl: string;
  /** Called at the start of each refresh, before the request (to act as another instance). */
  beforeRefresh?: (tokens: ConnectionTokens) => Promise<void>;
  /** The current time. */
  now?: () => Date;
}

/**
 * An {@link OAuthProvider} that refreshes at a standard OAuth 2.0 token endpoint: a form POST of
 * the `refresh_token` grant, the answer's `expires_in` turned into `expiresAt`, a 400
 * `invalid_grant` into OAuthError `invalid_grant`, anything else into `provider_unavailable`.
 * Only `refresh` is used by the token provider; the flow methods refuse.
 */
export function tokenEndpointProvider(options: TokenEndpointProviderOptions): OAuthProvider {
  const now = options.now ?? (() => new Date());
  const notInThisTest = () =>
    Promise.reject(new Error('The token provider tests never run an authorization flow.'));
  return {
    name: 'salesforce',
    supportsPkce: true,
    authorizationUrl: notInThisTest,
    exchangeCode: notInThisTest,
    revoke: notInThisTest,
    async refresh(tokens) {
      await options.beforeRefresh?.(tokens);
      const response = await fetch(options.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'refresh_token',
          refresh_token: tokens.refreshToken ?? '',
          client_id: 'test-client',
        }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      if (response.status === 400 && body.error === 'invalid_grant') {
        throw new OAuthError(
          'invalid_grant',
          'Salesforce refused the refresh token (invalid_grant).',
        );
      }
      if (!response.ok) {
        throw new OAuthError('provider_unavailable', `Salesforce answered ${response.status}.`);
      }
      return {
        accessToken: String(body.access_token),
        refreshToken:
          typeof body.refresh_token === 'string' ? body.refresh_token : tokens.refreshToken,
        expiresAt: new Date(now().getTime() + Number(body.expires_in) * 1000).toISOString(),
        extra: tokens.extra,
      };
    },
  };
}
