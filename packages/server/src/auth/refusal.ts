import type { Problem } from '@prism/sdk';
import type { FastifyRequest } from 'fastify';
import { problemOf } from '../api/problems.js';
import type { Principal } from '../api/roles.js';

/**
 * Why a request is refused before its operation: no credential, an unknown or revoked API key,
 * an invalid or expired token, a token with no Prism role, or an identity provider that cannot be
 * reached to check the token.
 */
export type AuthReason =
  | 'missing'
  | 'unknown'
  | 'revoked'
  | 'invalid_token'
  | 'expired_token'
  | 'no_role'
  | 'auth_unavailable';

/** A refused request: why, and the problem it is answered with. */
export interface AuthRefusal {
  /** Why it is refused. */
  reason: AuthReason;
  /** 401 for a credential that proves nobody, 403 for one without a role, 503 when it cannot be checked. */
  status: 401 | 403 | 503;
  /** The problem's stable code: `unauthorized`, `forbidden` or `auth_unavailable`. */
  code: 'unauthorized' | 'forbidden' | 'auth_unavailable';
  /** What is wrong with this request's credential, in one sentence. */
  detail: string;
  /** What the caller can do about it. */
  hint: string;
  /** The error behind a 503, for the server's log; never sent. */
  cause?: unknown;
}

/** A refusal for `reason`, with the status and code that reason is answered with. */
export function refuse(
  reason: AuthReason,
  detail: string,
  hint: string,
  cause?: unknown,
): AuthRefusal {
  const [status, code] =
    reason === 'no_role'
      ? ([403, 'forbidden'] as const)
      : reason === 'auth_unavailable'
        ? ([503, 'auth_unavailable'] as const)
        : ([401, 'unauthorized'] as const);
  return { reason, status, code, detail, hint, ...(cause === undefined ? {} : { cause }) };
}

/** Whether an authenticator's answer is a refusal rather than a principal. */
export function isAuthRefusal(result: Principal | AuthRefusal): result is AuthRefusal {
  return 'reason' in result;
}

/** The RFC 9457 problem a refusal is answered with. */
export function problemOfRefusal(request: FastifyRequest, refusal: AuthRefusal): Problem {
  const problem = problemOf(request, refusal.status, refusal.code, refusal.detail, {
    hint: refusal.hint,
  });
  return refusal.status === 503 ? { ...problem, title: 'Service unavailable' } : problem;
}
