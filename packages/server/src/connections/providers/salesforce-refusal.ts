import { OAuthError, type OAuthErrorCode } from '../types.js';

/**
 * What Salesforce's OAuth endpoint answered instead of success. jsforce's `OAuth2` throws an
 * `Error` named after Salesforce's `error` code whose message is its `error_description`, or, when
 * the body held no `error`, one named `ERROR_HTTP_<status>` whose message is the raw body (never
 * shown: it may be an HTML page).
 */
type SalesforceRefusal =
  | { kind: 'oauth'; error: string; description: string | null }
  | { kind: 'http'; status: number };

/** The requests a refusal can answer. */
export type SalesforceRequest = 'authorization code' | 'refresh token' | 'token revocation';

const OAUTH_ERROR_CODE = /^[a-z][a-z0-9_]{0,63}$/;
const HTTP_STATUS_ONLY = /^ERROR_HTTP_(\d{3})$/;
const DESCRIPTION_LIMIT = 200;

/** Codes that say "try later": Salesforce's own, and RFC 6749's. */
const TRANSIENT = new Set([
  'rate_limit_exceeded',
  'unknown_error',
  'server_error',
  'temporarily_unavailable',
]);
/** Codes that say the grant is gone: refused, revoked or expired, or its user or org deactivated. */
const GRANT_GONE = new Set(['invalid_grant', 'inactive_user', 'inactive_org']);
/** Codes that say the connected app's consumer key or secret is wrong. */
const CLIENT_REJECTED = new Set([
  'invalid_client',
  'invalid_client_id',
  'invalid_client_credentials',
  'unauthorized_client',
]);

const HINTS = {
  unavailable: 'Salesforce is unavailable or busy; try again in a few minutes.',
  reconnect: 'Connect the Salesforce account again.',
  client:
    "Check SALESFORCE_CLIENT_ID and SALESFORCE_CLIENT_SECRET against the connected app's consumer key and secret.",
  loginUrl:
    "Check SALESFORCE_LOGIN_URL: https://login.salesforce.com, https://test.salesforce.com or the org's My Domain.",
  settings:
    "Connect again; if it keeps failing, check the connected app's OAuth settings (callback URL, scopes, PKCE).",
  restart: 'The sign-in expired, was already used or did not match this one; connect again.',
} as const;

/** Replaces each secret sent in the request, collapses whitespace and shortens the text. */
function redact(text: string, secrets: readonly string[]): string | null {
  let safe = text;
  for (const secret of secrets) {
    if (secret !== '') safe = safe.split(secret).join('[redacted]');
  }
  safe = safe.replace(/\s+/g, ' ').trim();
  if (safe.length > DESCRIPTION_LIMIT) safe = `${safe.slice(0, DESCRIPTION_LIMIT)}…`;
  return safe === '' ? null : safe;
}

function readRefusal(thrown: unknown, secrets: readonly string[]): SalesforceRefusal | null {
  if (!(thrown instanceof Error) || thrown instanceof OAuthError) return null;
  const httpStatus = HTTP_STATUS_ONLY.exec(thrown.name)?.[1];
  if (httpStatus !== undefined) return { kind: 'http', status: Number(httpStatus) };
  if (!OAUTH_ERROR_CODE.test(thrown.name)) return null;
  return { kind: 'oauth', error: thrown.name, description: redact(thrown.message, secrets) };
}

function codeAndHint(
  error: string,
  request: SalesforceRequest,
): { code: OAuthErrorCode; hint: string } {
  if (TRANSIENT.has(error)) return { code: 'provider_unavailable', hint: HINTS.unavailable };
  if (CLIENT_REJECTED.has(error)) return { code: 'provider_error', hint: HINTS.client };
  if (GRANT_GONE.has(error)) {
    return request === 'authorization code'
      ? { code: 'provider_error', hint: HINTS.restart }
      : { code: 'invalid_grant', hint: HINTS.reconnect };
  }
  return { code: 'provider_error', hint: HINTS.settings };
}

/**
 * The {@link OAuthError} for whatever a call of jsforce's `OAuth2` threw. An `OAuthError` (from the
 * transport or the answer's check) passes through. A refusal becomes `provider_unavailable` when it
 * says "try later", `invalid_grant` when a refresh token or revocation met a grant that is gone,
 * and `provider_error` otherwise (an authorization code refused, the client rejected). The message
 * names Salesforce's `error` code and its description with every secret in `secrets` removed.
 */
export function toOAuthError(
  thrown: unknown,
  request: SalesforceRequest,
  secrets: readonly string[],
): OAuthError {
  if (thrown instanceof OAuthError) return thrown;
  const refusal = readRefusal(thrown, secrets);
  if (refusal === null) {
    return new OAuthError(
      'provider_unavailable',
      `Salesforce's answer to the ${request} request could not be read.`,
      { hint: HINTS.unavailable },
    );
  }
  if (refusal.kind === 'http') {
    return new OAuthError(
      'provider_error',
      `Salesforce answered the ${request} request with HTTP ${refusal.status}.`,
      { hint: HINTS.loginUrl },
    );
  }
  const { code, hint } = codeAndHint(refusal.error, request);
  const detail = refusal.description === null ? '' : ` (${refusal.description})`;
  return new OAuthError(code, `Salesforce refused the ${request}: ${refusal.error}${detail}.`, {
    hint,
  });
}

/**
 * Whether a failed revocation says the token is already unusable. Salesforce answers every refused
 * revocation with HTTP 400 and `unsupported_token_type` or `invalid_token`, so a 400 without a
 * readable code means the same.
 */
export function isTokenAlreadyInvalid(thrown: unknown): boolean {
  const refusal = readRefusal(thrown, []);
  if (refusal === null) return false;
  return refusal.kind === 'http'
    ? refusal.status === 400
    : refusal.error === 'invalid_token' || refusal.error === 'unsupported_token_type';
}
