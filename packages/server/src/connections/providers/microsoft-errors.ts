import { AuthError, InteractionRequiredAuthError, ServerError } from '@azure/msal-node';
import { OAuthError } from '../types.js';
import { MICROSOFT_UNAVAILABLE } from './microsoft-network.js';

/** Which Microsoft token request failed. */
export type MicrosoftGrant = 'authorization_code' | 'refresh_token' | 'client_credentials';

/** What each grant's refusal is about, for messages. */
const REFUSED: Record<MicrosoftGrant, string> = {
  authorization_code: 'the authorization code',
  refresh_token: 'the refresh token',
  client_credentials: 'the app credentials',
};

/** What to do when each grant is refused. */
const REFUSAL_HINTS: Record<MicrosoftGrant, string> = {
  authorization_code:
    'Connect the Microsoft account again; if it keeps failing, check the Entra ID app registration (redirect URI, client secret, permissions).',
  refresh_token:
    'Check MICROSOFT_CLIENT_ID and MICROSOFT_CLIENT_SECRET against the Entra ID app registration; the connection itself may still be good.',
  client_credentials:
    'Check MICROSOFT_CLIENT_ID, MICROSOFT_CLIENT_SECRET and MICROSOFT_TENANT_ID, and that an administrator consented to the app permissions.',
};

/** The Entra ID errors (AADSTS numbers) whose own description is not the clearest explanation. */
const EXPLANATIONS: Record<string, string> = {
  '501481': 'the PKCE code verifier does not match the code challenge of the authorization request',
  '54005': 'the authorization code was already redeemed',
  '7000215': 'the client secret is not valid',
  '7000222': 'the client secret has expired',
};

/** What to do when Entra ID is failing. */
const UNAVAILABLE_HINT =
  'Try again in a few minutes; check that the server can reach login.microsoftonline.com.';

/** RFC 6749 error codes that mean the authorization server is failing, not refusing. */
const TRANSIENT_ERRORS = new Set(['temporarily_unavailable', 'server_error']);

/** Longest piece of Microsoft's error description kept in a message. */
const MAX_DESCRIPTION = 200;

/**
 * Throws a failure of an MSAL token request as an {@link OAuthError}: `provider_unavailable`
 * when Microsoft Entra ID could not be reached or failed; for a refresh, `invalid_grant` when
 * Entra ID refused the refresh token or wants the user back (MFA, consent, a revoked session);
 * `provider_error` for every other refusal. A non-MSAL error (a fault in Prism) is rethrown as
 * is. The message names Entra ID's `error` and AADSTS code and never holds a token, code,
 * verifier or secret: every value in `secrets` is masked should Microsoft's text echo one.
 */
export function throwAsOAuthError(
  error: unknown,
  grant: MicrosoftGrant,
  secrets: readonly (string | null | undefined)[],
): never {
  if (!(error instanceof AuthError)) throw error;
  throw classify(error, grant, (text) => mask(text, secrets));
}

function classify(
  error: AuthError,
  grant: MicrosoftGrant,
  clean: (text: string) => string,
): OAuthError {
  if (error.errorCode === MICROSOFT_UNAVAILABLE) {
    return new OAuthError('provider_unavailable', `${error.errorMessage}.`, {
      hint: UNAVAILABLE_HINT,
    });
  }
  const server = error instanceof ServerError || error instanceof InteractionRequiredAuthError;
  if (server && TRANSIENT_ERRORS.has(error.errorCode)) {
    return new OAuthError(
      'provider_unavailable',
      `Microsoft Entra ID is failing (${describe(error, clean)}).`,
      { hint: UNAVAILABLE_HINT },
    );
  }
  if (
    grant === 'refresh_token' &&
    (error instanceof InteractionRequiredAuthError || error.errorCode === 'invalid_grant')
  ) {
    return new OAuthError(
      'invalid_grant',
      `Microsoft Entra ID refused the refresh token (${describe(error, clean)}).`,
      { hint: 'Connect the Microsoft account again.' },
    );
  }
  if (server) {
    return new OAuthError(
      'provider_error',
      `Microsoft Entra ID refused ${REFUSED[grant]} (${describe(error, clean)}).`,
      { hint: REFUSAL_HINTS[grant] },
    );
  }
  return new OAuthError(
    'provider_error',
    `Microsoft sign-in failed with ${REFUSED[grant]} (${error.errorCode}).`,
    { hint: REFUSAL_HINTS[grant] },
  );
}

/**
 * `invalid_grant, AADSTS501481: the PKCE code verifier does not match …`: the OAuth `error`,
 * then the AADSTS number with an explanation, from the list above or the first line of
 * Microsoft's description.
 */
function describe(error: AuthError, clean: (text: string) => string): string {
  const aadsts = /AADSTS(\d+):\s*([^\r\n]*)/.exec(error.errorMessage);
  if (!aadsts) return clean(error.errorCode);
  const [, code = '', text = ''] = aadsts;
  const explanation = EXPLANATIONS[code] ?? truncate(clean(text.trim().replace(/\.$/, '')));
  return `${clean(error.errorCode)}, AADSTS${code}: ${explanation}`;
}

function truncate(text: string): string {
  return text.length <= MAX_DESCRIPTION ? text : `${text.slice(0, MAX_DESCRIPTION - 1)}…`;
}

/** `text` with every one of `secrets` in it replaced by `[redacted]`. */
function mask(text: string, secrets: readonly (string | null | undefined)[]): string {
  return secrets.reduce<string>(
    (masked, secret) => (secret ? masked.replaceAll(secret, '[redacted]') : masked),
    text,
  );
}
