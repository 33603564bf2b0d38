import type { ConnectionProvider } from '@prism/sdk';
import { PrismError, type PrismErrorOptions } from '@prism/sdk';

/**
 * The secrets Prism keeps for a connection, always encrypted at rest (see `Vault`): what the
 * provider's token endpoint gave, and whatever else the provider needs to refresh or revoke.
 */
export interface ConnectionTokens {
  /** The current access token. */
  accessToken: string;
  /** The refresh token, when the provider gave one. */
  refreshToken: string | null;
  /** When `accessToken` expires (ISO 8601), or null when the provider did not say. */
  expiresAt: string | null;
  /**
   * Provider-specific secrets and settings kept with the tokens, e.g. MSAL's serialized token
   * cache (`msalCache`) and account (`homeAccountId`), Salesforce's `instanceUrl`, Slack's
   * `teamId` / `enterpriseId` and bot user.
   */
  extra: Record<string, string>;
}

/** The account a connection reaches, as the provider names it. */
export interface ConnectedAccount {
  /** The organisation, tenant or workspace id. */
  id: string;
  /** Its display name, when known. */
  name: string | null;
}

/** What a provider needs to build its authorization URL. */
export interface AuthorizationRequest {
  /** The single-use `state` (opaque, random). */
  state: string;
  /** The PKCE code challenge (S256 of the verifier), for providers that support PKCE. */
  codeChallenge: string;
  /** The redirect URI, exactly as configured: `<PRISM_PUBLIC_URL>/oauth/<provider>/callback`. */
  redirectUri: string;
}

/** What a provider needs to exchange the callback's code for tokens. */
export interface CodeExchange {
  /** The `code` of the callback. */
  code: string;
  /** The PKCE verifier kept with the state. */
  codeVerifier: string;
  /** The same redirect URI as in the authorization request. */
  redirectUri: string;
  /** Every query parameter of the callback (some providers send more, e.g. Salesforce's). */
  query: Readonly<Record<string, string>>;
}

/** The outcome of a code exchange. */
export interface ExchangeResult {
  /** The tokens to keep, encrypted. */
  tokens: ConnectionTokens;
  /** The account connected. */
  account: ConnectedAccount;
  /** The scopes granted. */
  scopes: string[];
}

/**
 * One OAuth provider behind the hub: it builds authorization URLs and talks to the provider's
 * token and revocation endpoints. The hub owns state, PKCE verifiers, storage and locking.
 */
export interface OAuthProvider {
  /** Which provider. */
  readonly name: ConnectionProvider;
  /** Whether the provider takes a PKCE challenge (then the hub always sends one). */
  readonly supportsPkce: boolean;
  /** The URL to send the user to. */
  authorizationUrl(request: AuthorizationRequest): Promise<string>;
  /**
   * Exchanges the callback's code for tokens.
   *
   * @throws {OAuthError} `provider_error` (the provider refused it, with its error), or
   *   `provider_unavailable`.
   */
  exchangeCode(exchange: CodeExchange): Promise<ExchangeResult>;
  /**
   * New tokens from the refresh token (a rotated refresh token replaces the old one).
   *
   * @throws {OAuthError} `invalid_grant` when the provider refused the refresh token (revoked,
   *   expired, rotated away), `provider_unavailable` when it could not be reached.
   */
  refresh(tokens: ConnectionTokens): Promise<ConnectionTokens>;
  /** Revokes the tokens at the provider (a token already invalid is not an error). */
  revoke(tokens: ConnectionTokens): Promise<void>;
}

/** The stable codes of an {@link OAuthError}. */
export type OAuthErrorCode =
  /** The provider has no settings here (its client id and secret are not configured). */
  | 'provider_not_configured'
  /** The callback's `state` is missing, unknown, used already, expired or another tenant's. */
  | 'oauth_state_invalid'
  /** The provider answered the flow with an error (`error`, `error_description`). */
  | 'provider_error'
  /** The provider refused the refresh token: connect again. */
  | 'invalid_grant'
  /** A connection was connected again with an account other than its own. */
  | 'account_mismatch'
  /** The provider could not be reached or failed (5xx, network). */
  | 'provider_unavailable';

/** A failure of an OAuth flow or of a token refresh, with a stable code and a hint. */
export class OAuthError extends PrismError {
  declare readonly code: OAuthErrorCode;

  constructor(code: OAuthErrorCode, message: string, options: PrismErrorOptions = {}) {
    super(code, message, options);
  }
}
