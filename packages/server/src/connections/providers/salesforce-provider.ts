import { OAuth2 } from 'jsforce/lib/oauth2.js';
import {
  type ConnectionTokens,
  type ExchangeResult,
  OAuthError,
  type OAuthProvider,
} from '../types.js';
import { fetchOrganizationName } from './salesforce-organization.js';
import { isTokenAlreadyInvalid, toOAuthError } from './salesforce-refusal.js';
import { readTokenAnswer, type SalesforceTokenAnswer } from './salesforce-token-answer.js';
import { SalesforceOAuthTransport } from './salesforce-transport.js';

/** Where Salesforce users log in unless configured otherwise (production orgs). */
export const SALESFORCE_DEFAULT_LOGIN_URL = 'https://login.salesforce.com';

/**
 * The scopes asked for unless configured otherwise: the least that lets connectors work while
 * nobody is signed in. `api` reaches the REST and SOAP APIs (where documents are read and reviews
 * written back); `refresh_token` (Salesforce's name for `offline_access`) gets new access tokens
 * without the user. Not `id`, `openid` or `profile`: the token response's identity URL already
 * names the org, and its name comes from an `api` query. Never `full` or `web`.
 */
export const SALESFORCE_DEFAULT_SCOPES: readonly string[] = ['api', 'refresh_token'];

/**
 * How long an access token is taken to last unless configured otherwise: 15 minutes, the shortest
 * session timeout an org, profile or connected app can set. Salesforce says nothing of expiry in
 * its token response (a session ends after the org's configured inactivity timeout, 2 hours by
 * default), so this makes the hub refresh before any org's timeout could have ended the session.
 */
export const SALESFORCE_DEFAULT_ACCESS_TOKEN_TTL_MS = 15 * 60_000;

const DEFAULT_TIMEOUT_MS = 30_000;
/** The org-name lookup is a nicety: it may hold up the callback this long at most. */
const ORGANIZATION_NAME_TIMEOUT_MS = 5_000;

/** The settings of the Salesforce provider (a connected app or external client app). */
export interface SalesforceProviderSettings {
  /** The connected app's consumer key (`SALESFORCE_CLIENT_ID`). */
  clientId: string;
  /** The connected app's consumer secret (`SALESFORCE_CLIENT_SECRET`). */
  clientSecret: string;
  /**
   * Where users log in (`SALESFORCE_LOGIN_URL`): `https://login.salesforce.com` (the default),
   * `https://test.salesforce.com` for sandboxes, or a My Domain, `https://<domain>.my.salesforce.com`.
   * A connection keeps the one it was made with for refreshing and revoking.
   */
  loginUrl?: string;
  /** The scopes to ask for; {@link SALESFORCE_DEFAULT_SCOPES} unless given. */
  scopes?: readonly string[];
  /**
   * How long an access token is taken to last, from when it was received: `expiresAt` is set that
   * far ahead so the hub refreshes in time; {@link SALESFORCE_DEFAULT_ACCESS_TOKEN_TTL_MS} unless
   * given. Null leaves `expiresAt` null, for orgs where refreshing only when Salesforce answers
   * 401 `INVALID_SESSION_ID` is preferred. Either way a connector that meets `INVALID_SESSION_ID`
   * must have the hub refresh: an admin can end sessions at any time.
   */
  accessTokenTtlMs?: number | null;
  /** How long to wait for each answer of Salesforce, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /** The clock `expiresAt` is counted from (default: the system's). */
  now?: () => Date;
}

/** The login URL without a trailing slash, query or fragment. */
function normalizeLoginUrl(loginUrl: string): string {
  let url: URL;
  try {
    url = new URL(loginUrl);
  } catch {
    throw new OAuthError('provider_not_configured', 'SALESFORCE_LOGIN_URL is not a URL.', {
      hint: 'Set it to https://login.salesforce.com, https://test.salesforce.com or a My Domain.',
    });
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * The Salesforce adapter of the connection hub: the OAuth 2.0 web server flow with PKCE (S256)
 * through jsforce's `OAuth2`, against `<loginUrl>/services/oauth2/{authorize,token,revoke}`.
 *
 * A connection's account is its org (id from the identity URL, name from one best-effort REST
 * query). Its tokens keep, in `extra`: `loginUrl`, `instanceUrl` (where the org's APIs are),
 * `identityUrl`, `organizationId` and `userId`.
 *
 * @throws {OAuthError} `provider_not_configured` when the client id or secret is empty or the
 *   login URL is not a URL.
 */
export function createSalesforceProvider(settings: SalesforceProviderSettings): OAuthProvider {
  const { clientId, clientSecret } = settings;
  if (clientId === '' || clientSecret === '') {
    throw new OAuthError('provider_not_configured', 'Salesforce has no client id or secret.', {
      hint: "Set SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET to the connected app's consumer key and secret.",
    });
  }
  const loginUrl = normalizeLoginUrl(settings.loginUrl ?? SALESFORCE_DEFAULT_LOGIN_URL);
  const scopes = [...(settings.scopes ?? SALESFORCE_DEFAULT_SCOPES)];
  const ttlMs =
    settings.accessTokenTtlMs === undefined
      ? SALESFORCE_DEFAULT_ACCESS_TOKEN_TTL_MS
      : settings.accessTokenTtlMs;
  const timeoutMs = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = settings.now ?? (() => new Date());

  function client(atLoginUrl: string, redirectUri?: string): OAuth2 {
    const oauth2 = new OAuth2({ loginUrl: atLoginUrl, clientId, clientSecret, redirectUri });
    oauth2._transport = new SalesforceOAuthTransport(timeoutMs);
    return oauth2;
  }

  function tokensOf(
    answer: SalesforceTokenAnswer,
    refreshToken: string | null,
    extra: Record<string, string>,
  ): ConnectionTokens {
    return {
      accessToken: answer.accessToken,
      refreshToken,
      expiresAt: ttlMs === null ? null : new Date(now().getTime() + ttlMs).toISOString(),
      extra: {
        ...extra,
        instanceUrl: answer.instanceUrl,
        identityUrl: answer.identityUrl,
        organizationId: answer.organizationId,
        userId: answer.userId,
      },
    };
  }

  return {
    name: 'salesforce',
    supportsPkce: true,

    async authorizationUrl({ state, codeChallenge, redirectUri }) {
      return client(loginUrl, redirectUri).getAuthorizationUrl({
        scope: scopes.join(' '),
        state,
        code_challenge: codeChallenge,
        code_challenge_method: 'S256',
      });
    },

    async exchangeCode({ code, codeVerifier, redirectUri }): Promise<ExchangeResult> {
      let response: unknown;
      try {
        response = await client(loginUrl, redirectUri).requestToken(code, {
          code_verifier: codeVerifier,
        });
      } catch (thrown) {
        throw toOAuthError(thrown, 'authorization code', [code, codeVerifier, clientSecret]);
      }
      const answer = readTokenAnswer(response);
      const name = await fetchOrganizationName(
        answer.instanceUrl,
        answer.accessToken,
        Math.min(timeoutMs, ORGANIZATION_NAME_TIMEOUT_MS),
      );
      return {
        tokens: tokensOf(answer, answer.refreshToken, { loginUrl }),
        account: { id: answer.organizationId, name },
        scopes: answer.scopes ?? scopes,
      };
    },

    async refresh(tokens) {
      const { refreshToken } = tokens;
      if (refreshToken === null) {
        throw new OAuthError('invalid_grant', 'This Salesforce connection has no refresh token.', {
          hint: 'Connect the Salesforce account again, with a connected app that allows the refresh_token scope.',
        });
      }
      const atLoginUrl = tokens.extra.loginUrl ?? loginUrl;
      let response: unknown;
      try {
        response = await client(atLoginUrl).refreshToken(refreshToken);
      } catch (thrown) {
        throw toOAuthError(thrown, 'refresh token', [
          refreshToken,
          tokens.accessToken,
          clientSecret,
        ]);
      }
      const answer = readTokenAnswer(response);
      // With refresh token rotation on, Salesforce sends a new one and retires the old one.
      return tokensOf(answer, answer.refreshToken ?? refreshToken, {
        ...tokens.extra,
        loginUrl: atLoginUrl,
      });
    },

    async revoke(tokens) {
      // Revoking the refresh token revokes the whole grant, with every access token it gave.
      const token = tokens.refreshToken ?? tokens.accessToken;
      try {
        await client(tokens.extra.loginUrl ?? loginUrl).revokeToken(token);
      } catch (thrown) {
        if (isTokenAlreadyInvalid(thrown)) return;
        throw toOAuthError(thrown, 'token revocation', [token, tokens.accessToken]);
      }
    },
  };
}
