import type { AccountInfo, AuthenticationResult } from '@azure/msal-node';
import {
  type ConnectedAccount,
  type ConnectionTokens,
  OAuthError,
  type OAuthProvider,
} from '../types.js';
import {
  createMicrosoftClient,
  type MicrosoftAppSettings,
  microsoftAuthority,
} from './microsoft-client.js';
import { throwAsOAuthError } from './microsoft-errors.js';
import { MICROSOFT_DEFAULT_TIMEOUT_MS } from './microsoft-network.js';
import { MICROSOFT_DEFAULT_SCOPES } from './microsoft-scopes.js';
import { ConnectionTokenCache } from './microsoft-token-cache.js';

/** How Entra ID treats a user who is already signed in, at the start of a connection. */
export type MicrosoftPrompt = 'select_account' | 'login' | 'consent' | 'none';

/** The settings of {@link createMicrosoftProvider}. */
export interface MicrosoftProviderSettings {
  /** The Entra ID app's client (application) id (`MICROSOFT_CLIENT_ID`). */
  clientId: string;
  /** One of the app's client secrets, its value (`MICROSOFT_CLIENT_SECRET`). */
  clientSecret: string;
  /**
   * Who may connect (`MICROSOFT_TENANT_ID`): `common` (any work, school or personal account;
   * the default), `organizations` (work and school accounts only), or one tenant's id or domain.
   */
  tenantId?: string;
  /**
   * The delegated Graph permissions to ask for; {@link MICROSOFT_DEFAULT_SCOPES} by default
   * (see `MICROSOFT_SCOPES` for what each feature needs). `openid`, `profile` and
   * `offline_access` are always added.
   */
  scopes?: readonly string[];
  /**
   * The `prompt` of the authorization request; `select_account` by default, so a user signed in
   * with several accounts picks the one to connect. `null` sends none.
   */
  prompt?: MicrosoftPrompt | null;
  /** Milliseconds a request to Entra ID may take; 10 seconds by default. */
  timeoutMs?: number;
}

/**
 * The Microsoft (Entra ID) provider of the connection hub, on MSAL's confidential client:
 * authorization code flow with PKCE (S256) and `response_mode=query`, against the configured
 * tenant's authority (multi-tenant with `common` or `organizations`).
 *
 * - The account of a connection is the tenant it signed in to (`tid`). Its name is the domain
 *   of the user's sign-in name (`preferred_username`, e.g. `contoso.com`): the tenant's own
 *   display name is in no token, and reading it (`GET /organization`) would add a Graph call
 *   to every connection. For a guest the domain is that of their home organisation.
 * - MSAL keeps the refresh token in its token cache, so the tokens keep that cache serialized
 *   (`extra.msalCache`), with the account (`extra.homeAccountId`) and the scopes asked for
 *   (`extra.scopes`, so a refresh asks for what the user consented to even after the settings
 *   change). `refreshToken` mirrors the cache's refresh token; the cache is what refreshes.
 * - A refresh asks the connection's own tenant, so a guest's connection stays in the tenant it
 *   connected rather than moving to the user's home tenant.
 */
export function createMicrosoftProvider(settings: MicrosoftProviderSettings): OAuthProvider {
  const app: MicrosoftAppSettings = {
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    timeoutMs: settings.timeoutMs ?? MICROSOFT_DEFAULT_TIMEOUT_MS,
  };
  const tenant = settings.tenantId ?? 'common';
  const authority = microsoftAuthority(tenant);
  const scopes = [...(settings.scopes ?? MICROSOFT_DEFAULT_SCOPES)];
  const prompt = settings.prompt === undefined ? 'select_account' : settings.prompt;

  return {
    name: 'microsoft',
    supportsPkce: true,

    async authorizationUrl({ state, codeChallenge, redirectUri }) {
      return createMicrosoftClient(app, authority).getAuthCodeUrl({
        scopes,
        redirectUri,
        state,
        codeChallenge,
        codeChallengeMethod: 'S256',
        responseMode: 'query',
        ...(prompt ? { prompt } : {}),
      });
    },

    async exchangeCode({ code, codeVerifier, redirectUri }) {
      const cache = new ConnectionTokenCache();
      let result: AuthenticationResult;
      try {
        result = await createMicrosoftClient(app, authority, cache).acquireTokenByCode({
          code,
          codeVerifier,
          redirectUri,
          scopes,
        });
      } catch (error) {
        throwAsOAuthError(error, 'authorization_code', [code, codeVerifier, app.clientSecret]);
      }
      if (!result.account) {
        throw new OAuthError(
          'provider_error',
          'Microsoft Entra ID answered the authorization code without an ID token.',
          {
            hint: 'Check that the Entra ID app allows sign-in with the openid and profile scopes.',
          },
        );
      }
      return {
        tokens: connectionTokens(result, result.account, cache, scopes),
        account: connectedAccount(result.account),
        scopes: result.scopes,
      };
    },

    async refresh(tokens) {
      const { msalCache, homeAccountId } = tokens.extra;
      const cache = new ConnectionTokenCache(msalCache);
      const client = createMicrosoftClient(app, authority, cache);
      const account = homeAccountId
        ? await client.getTokenCache().getAccountByHomeId(homeAccountId)
        : null;
      if (!account) {
        throw new OAuthError(
          'invalid_grant',
          'The Microsoft connection holds no token cache to refresh from.',
          { hint: 'Connect the Microsoft account again.' },
        );
      }
      const granted = tokens.extra.scopes ? tokens.extra.scopes.split(' ') : scopes;
      let result: AuthenticationResult;
      try {
        result = await client.acquireTokenSilent({
          account,
          scopes: granted,
          forceRefresh: true,
          authority: microsoftAuthority(account.tenantId || tenant),
        });
      } catch (error) {
        throwAsOAuthError(error, 'refresh_token', [
          tokens.accessToken,
          tokens.refreshToken,
          cache.refreshTokenOf(account.homeAccountId),
          app.clientSecret,
        ]);
      }
      return connectionTokens(result, account, cache, granted);
    },

    /**
     * Forgets the tokens without calling Microsoft: the Microsoft identity platform has no
     * revocation endpoint for tokens of the authorization code flow. The refresh token lives
     * only in the connection's MSAL cache, which the hub deletes with the tokens, so nothing
     * can refresh again; the access token stays valid until it expires (about an hour). Ending
     * the user's sessions at Microsoft (`POST /users/{id}/revokeSignInSessions`) is an
     * administrator's action that signs the user out of every app, too broad for a disconnect;
     * removing the app's consent is done in the user's My Apps page or by an administrator.
     */
    async revoke() {},
  };
}

/** The tokens to keep after `result`, with MSAL's cache as `cache` holds it now. */
function connectionTokens(
  result: AuthenticationResult,
  account: AccountInfo,
  cache: ConnectionTokenCache,
  scopes: readonly string[],
): ConnectionTokens {
  return {
    accessToken: result.accessToken,
    refreshToken: cache.refreshTokenOf(account.homeAccountId),
    expiresAt: result.expiresOn ? result.expiresOn.toISOString() : null,
    extra: {
      msalCache: cache.serialized,
      homeAccountId: account.homeAccountId,
      scopes: scopes.join(' '),
    },
  };
}

/** The tenant signed in to, named by the domain of the user's sign-in name. */
function connectedAccount(account: AccountInfo): ConnectedAccount {
  const domain = account.username.split('@')[1];
  return { id: account.tenantId, name: domain ? domain.toLowerCase() : null };
}
