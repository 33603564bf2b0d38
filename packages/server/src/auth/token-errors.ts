import { PrismError } from '@prism/sdk';
import { decodeProtectedHeader, errors } from 'jose';
import { AUTH_UNAVAILABLE } from './issuer-keys.js';
import { type AuthRefusal, refuse } from './refusal.js';

/** The signature algorithms a token may use: asymmetric ones only, so no shared secret exists. */
export const TOKEN_ALGORITHMS = ['RS256', 'ES256', 'PS256', 'EdDSA'] as const;

/** What the server expects of a token, for saying what a refused one got wrong. */
export interface TokenExpectations {
  /** The issuer its `iss` must be. */
  issuer: string;
  /** The audience its `aud` must hold. */
  audience: string;
}

const NEW_TOKEN_HINT = 'Get a new access token from the identity provider and send it again.';

/**
 * The refusal of a token jose's `jwtVerify` rejected with `error`: 503 `auth_unavailable` when
 * the identity provider's keys could not be fetched, else 401 (`expired_token` for an expired
 * token, `invalid_token` for the rest) saying which check failed.
 *
 * @throws the error itself when it is none of jose's or the key fetch's, a fault of the server.
 */
export function refusalOfTokenError(
  error: unknown,
  token: string,
  expected: TokenExpectations,
): AuthRefusal {
  if (error instanceof PrismError && error.code === AUTH_UNAVAILABLE) {
    return refuse(
      'auth_unavailable',
      "The identity provider's signing keys cannot be fetched, so the token cannot be checked.",
      'Try again shortly, or use an API key; the server log says what failed.',
      error,
    );
  }
  if (error instanceof errors.JWTExpired) {
    return refuse(
      'expired_token',
      `The token expired at ${timeOf(error.payload.exp)}.`,
      NEW_TOKEN_HINT,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    return refusalOfClaim(error, expected);
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return refuse(
      'invalid_token',
      `The token is signed with ${headerOf(token).alg ?? 'no algorithm'}; only ${TOKEN_ALGORITHMS.join(', ')} are accepted.`,
      'Send a token the identity provider signed with one of its published (asymmetric) keys.',
    );
  }
  if (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys
  ) {
    const { kid } = headerOf(token);
    return refuse(
      'invalid_token',
      kid === undefined
        ? "The token names no signing key (kid) that picks one of the identity provider's keys."
        : `The token's signing key "${kid}" is not among the identity provider's published keys.`,
      `Send a token issued by ${expected.issuer}; ${NEW_TOKEN_HINT.toLowerCase()}`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refuse(
      'invalid_token',
      "The token's signature does not match its contents.",
      'Send the token exactly as the identity provider issued it.',
    );
  }
  if (error instanceof errors.JOSEError) {
    return refuse(
      'invalid_token',
      'The bearer is neither an API key (prism_sk_...) nor a well-formed signed JWT.',
      'Send Authorization: Bearer <api key>, or Bearer <access token> from the identity provider.',
    );
  }
  throw error;
}

function refusalOfClaim(
  error: InstanceType<typeof errors.JWTClaimValidationFailed>,
  expected: TokenExpectations,
): AuthRefusal {
  const { claim, reason, payload } = error;
  if (reason === 'missing') {
    return refuse(
      'invalid_token',
      `The token has no "${claim}" claim.`,
      `Send an access token for ${expected.audience} from ${expected.issuer}; it carries iss, aud and exp.`,
    );
  }
  if (claim === 'iss') {
    return refuse(
      'invalid_token',
      `The token was issued by ${JSON.stringify(payload.iss)}, not by ${JSON.stringify(expected.issuer)}.`,
      `Send a token issued by ${expected.issuer}.`,
    );
  }
  if (claim === 'aud') {
    return refuse(
      'invalid_token',
      `The token is for audience ${JSON.stringify(payload.aud)}, not ${JSON.stringify(expected.audience)}.`,
      `Ask the identity provider for a token with audience ${expected.audience}.`,
    );
  }
  if (claim === 'nbf') {
    return refuse(
      'invalid_token',
      `The token is not valid before ${timeOf(payload.nbf)}.`,
      'Check the clocks of the identity provider and this server, or send it once it is valid.',
    );
  }
  return refuse(
    'invalid_token',
    `The token's "${claim}" claim is invalid: ${error.message}.`,
    NEW_TOKEN_HINT,
  );
}

/** A NumericDate claim as an ISO time. */
function timeOf(seconds: unknown): string {
  return typeof seconds === 'number' ? new Date(seconds * 1000).toISOString() : String(seconds);
}

/** The token's protected header (jose has already parsed it to reject it). */
function headerOf(token: string): { alg?: string | undefined; kid?: string | undefined } {
  try {
    return decodeProtectedHeader(token);
  } catch {
    return {};
  }
}
