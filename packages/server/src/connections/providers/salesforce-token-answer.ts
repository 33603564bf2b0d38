import { z } from 'zod';
import { OAuthError } from '../types.js';

/**
 * The fields of an answer of Salesforce's token endpoint (web server and refresh token flows) that
 * Prism keeps. Salesforce also sends `signature`, `token_type`, `issued_at` and, with the `openid`
 * scope, `id_token`; it never sends `expires_in` (see `SalesforceProviderSettings.accessTokenTtlMs`).
 */
const TokenAnswerSchema = z.object({
  access_token: z.string().min(1),
  /** Only when the grant includes the `refresh_token` scope, or when the app rotates them. */
  refresh_token: z.string().min(1).optional(),
  /** Space-separated; absent means "as requested" (RFC 6749 section 5.1). */
  scope: z.string().optional(),
  /** Always https: the access token is sent there. */
  instance_url: z.url({ protocol: /^https$/ }),
  /** The identity URL, `https://login.salesforce.com/id/<org id>/<user id>`. */
  id: z.url({ protocol: /^https$/ }),
});

/** Salesforce org ids start with `00D`, user ids with `005`; both are 15 or 18 characters. */
const IDENTITY_PATH =
  /^\/id\/(00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\/(005[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?)\/?$/;

/** A token endpoint answer, checked and named. */
export interface SalesforceTokenAnswer {
  /** The new access token. */
  accessToken: string;
  /** The refresh token, when this answer has one. */
  refreshToken: string | null;
  /** The scopes granted, or null when the answer did not list them. */
  scopes: string[] | null;
  /** Where the org's APIs are, e.g. `https://acme.my.salesforce.com`. */
  instanceUrl: string;
  /** The identity URL of the user who granted access. */
  identityUrl: string;
  /** The org id, from the identity URL. */
  organizationId: string;
  /** The user id, from the identity URL. */
  userId: string;
}

/**
 * Checks what Salesforce's token endpoint answered with success.
 *
 * @throws {OAuthError} `provider_unavailable` when the answer is not a token response.
 */
export function readTokenAnswer(answer: unknown): SalesforceTokenAnswer {
  const parsed = TokenAnswerSchema.safeParse(answer);
  const identity = parsed.success ? IDENTITY_PATH.exec(new URL(parsed.data.id).pathname) : null;
  if (!parsed.success || identity === null) {
    throw new OAuthError(
      'provider_unavailable',
      'Salesforce answered the token request with something other than a token response.',
      {
        hint: 'Try again; if it persists, check SALESFORCE_LOGIN_URL points at a Salesforce login.',
      },
    );
  }
  const { data } = parsed;
  return {
    accessToken: data.access_token,
    refreshToken: data.refresh_token ?? null,
    scopes: data.scope === undefined ? null : data.scope.split(' ').filter((scope) => scope !== ''),
    instanceUrl: data.instance_url,
    identityUrl: data.id,
    organizationId: identity[1] as string,
    userId: identity[2] as string,
  };
}
