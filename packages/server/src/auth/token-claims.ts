import type { Role } from '@prism/sdk';
import type { JWTPayload } from 'jose';
import { type Principal, ROLE_ORDER } from '../api/roles.js';
import { type AuthRefusal, refuse } from './refusal.js';

/** How a verified token's claims name its tenant, role and user. */
export interface ClaimMapping {
  /** The claim holding the Prism tenant id, a non-empty string. */
  tenantClaim: string;
  /**
   * The claim holding Prism roles: a string (several separated by spaces) or an array of strings.
   * Each value is the name of a Prism role after {@link rolePrefix}; the highest such role wins.
   */
  roleClaim: string;
  /** What each role value begins with, e.g. `prism:` for `prism:analyst`; `''` for none. */
  rolePrefix: string;
  /** The role of a token with no Prism role; without it such a token is refused (403). */
  defaultRole: Role | undefined;
}

/**
 * The principal of a verified token's claims: the tenant of its tenant claim, the highest Prism
 * role of its role claim (else the default role), and a `user` actor named by `sub` and its
 * `name` (else `email`) claim. A token without a tenant is refused as invalid (401); one without
 * a role and no default role as forbidden (403); one without `sub` as invalid.
 */
export function principalOfClaims(
  claims: JWTPayload,
  mapping: ClaimMapping,
): Principal | AuthRefusal {
  const userId = claims.sub;
  if (typeof userId !== 'string' || userId === '') {
    return refuse(
      'invalid_token',
      'The token has no "sub" claim naming its user.',
      'Send an access token the identity provider issued to a user.',
    );
  }
  const tenantId = claims[mapping.tenantClaim];
  if (typeof tenantId !== 'string' || tenantId.trim() === '') {
    return refuse(
      'invalid_token',
      `The token has no "${mapping.tenantClaim}" claim naming its Prism tenant.`,
      `Have the identity provider put the tenant id in the "${mapping.tenantClaim}" claim of tokens for this API.`,
    );
  }
  const role = highestRole(claims[mapping.roleClaim], mapping.rolePrefix) ?? mapping.defaultRole;
  if (role === undefined) {
    const names = ROLE_ORDER.map((name) => `${mapping.rolePrefix}${name}`).join(', ');
    return refuse(
      'no_role',
      `The token's "${mapping.roleClaim}" claim holds no Prism role (one of ${names}).`,
      'Ask an administrator of the identity provider to give this user a Prism role.',
    );
  }
  const name = [claims.name, claims.email].find((value) => typeof value === 'string');
  return {
    tenantId,
    role,
    actor: { type: 'user', id: userId, name: (name as string | undefined) ?? null },
  };
}

/** The highest Prism role among a role claim's values, or `undefined` when it names none. */
function highestRole(claim: unknown, prefix: string): Role | undefined {
  const values =
    typeof claim === 'string'
      ? claim.split(/\s+/)
      : Array.isArray(claim)
        ? claim.filter((value): value is string => typeof value === 'string')
        : [];
  const ranks = values
    .filter((value) => value.startsWith(prefix))
    .map((value) => ROLE_ORDER.indexOf(value.slice(prefix.length) as Role))
    .filter((rank) => rank >= 0);
  return ranks.length === 0 ? undefined : ROLE_ORDER[Math.max(...ranks)];
}
