import type { AuthenticationResult } from '@azure/msal-node';
import { OAuthError } from '../types.js';
import {
  createMicrosoftClient,
  MICROSOFT_MULTI_TENANT_IDS,
  microsoftAuthority,
} from './microsoft-client.js';
import { throwAsOAuthError } from './microsoft-errors.js';
import { MICROSOFT_DEFAULT_TIMEOUT_MS } from './microsoft-network.js';
import { MICROSOFT_GRAPH_APP_SCOPE } from './microsoft-scopes.js';

/** The settings of {@link createMicrosoftAppOnlyTokenSource}. */
export interface MicrosoftAppOnlySettings {
  /** The Entra ID app's client (application) id. */
  clientId: string;
  /** One of the app's client secrets, its value. */
  clientSecret: string;
  /** The tenant whose SharePoint the app reads: its id or domain (not `common`). */
  tenantId: string;
  /** Milliseconds a request to Entra ID may take; 10 seconds by default. */
  timeoutMs?: number;
}

/** An app-only access token for Microsoft Graph. */
export interface MicrosoftAppOnlyToken {
  /** The bearer token. */
  accessToken: string;
  /** When it expires (ISO 8601). */
  expiresAt: string | null;
}

/** App-only Microsoft Graph tokens for one tenant. */
export interface MicrosoftAppOnlyTokenSource {
  /**
   * A token for Microsoft Graph with the app's own permissions: the cached one while it is
   * fresh, else a new one from Entra ID.
   *
   * @throws {OAuthError} `provider_error` (Entra ID refused the app's credentials) or
   *   `provider_unavailable`.
   */
  accessToken(): Promise<MicrosoftAppOnlyToken>;
}

/**
 * Tokens for unattended work (automatic reviews of a SharePoint library) that must not hang on
 * a user's connection: the client credentials grant, in the app's own name, with the
 * application permissions an administrator consented to (`.default`). The least privileged
 * permission for it is `Sites.Selected`, which reaches only the sites an administrator grants
 * the app one by one (`POST /sites/{site-id}/permissions` with role `read` or `write`), rather
 * than `Sites.ReadWrite.All` on every site of the tenant. MSAL keeps the token in memory and
 * asks for a new one shortly before it expires; there is no refresh token.
 *
 * @throws {OAuthError} `provider_not_configured` when `tenantId` is a multi-tenant name: an app
 *   token is always for one tenant.
 */
export function createMicrosoftAppOnlyTokenSource(
  settings: MicrosoftAppOnlySettings,
): MicrosoftAppOnlyTokenSource {
  if (MICROSOFT_MULTI_TENANT_IDS.includes(settings.tenantId.toLowerCase())) {
    throw new OAuthError(
      'provider_not_configured',
      `App-only Microsoft tokens need one tenant, not "${settings.tenantId}".`,
      { hint: "Give the tenant's id (a GUID) or its domain, e.g. contoso.onmicrosoft.com." },
    );
  }
  const client = createMicrosoftClient(
    {
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      timeoutMs: settings.timeoutMs ?? MICROSOFT_DEFAULT_TIMEOUT_MS,
    },
    microsoftAuthority(settings.tenantId),
  );

  return {
    async accessToken() {
      let result: AuthenticationResult | null;
      try {
        result = await client.acquireTokenByClientCredential({
          scopes: [MICROSOFT_GRAPH_APP_SCOPE],
        });
      } catch (error) {
        throwAsOAuthError(error, 'client_credentials', [settings.clientSecret]);
      }
      if (!result) {
        throw new OAuthError('provider_error', 'Microsoft Entra ID answered with no app token.', {
          hint: 'Try again; if it keeps failing, check the Entra ID app registration.',
        });
      }
      return {
        accessToken: result.accessToken,
        expiresAt: result.expiresOn ? result.expiresOn.toISOString() : null,
      };
    },
  };
}
