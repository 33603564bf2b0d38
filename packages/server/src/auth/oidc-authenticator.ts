import type { Role } from '@prism/sdk';
import { jwtVerify } from 'jose';
import type { Principal } from '../api/roles.js';
import { IssuerKeys } from './issuer-keys.js';
import type { AuthRefusal } from './refusal.js';
import { type ClaimMapping, principalOfClaims } from './token-claims.js';
import { refusalOfTokenError, TOKEN_ALGORITHMS } from './token-errors.js';

/** How far a token's `exp` and `nbf` may be off this server's clock, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** The claim naming a token's Prism tenant unless set otherwise. */
export const DEFAULT_TENANT_CLAIM = 'tenant';

/** The claim holding a token's Prism roles unless set otherwise. */
export const DEFAULT_ROLE_CLAIM = 'roles';

/** An OpenID Connect identity provider whose access tokens the server accepts. */
export interface OidcOptions {
  /** The issuer, exactly as its tokens' `iss` names it, e.g. `https://login.example.com/`. */
  issuer: string;
  /** The audience a token must be for (one of its `aud`), e.g. `https://prism.example.com`. */
  audience: string;
  /** The key set's URL; without it, the `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string | undefined;
  /** The claim naming the Prism tenant. Default {@link DEFAULT_TENANT_CLAIM}. */
  tenantClaim?: string | undefined;
  /** The claim holding Prism roles (a string or an array). Default {@link DEFAULT_ROLE_CLAIM}. */
  roleClaim?: string | undefined;
  /** What each role value begins with, e.g. `prism:`. Default none. */
  rolePrefix?: string | undefined;
  /** The role of a token with no Prism role; without it such a token is refused (403). */
  defaultRole?: Role | undefined;
  /** The least time between two fetches of the key set, in ms (key rotation). Default 30 s. */
  jwksCooldownMs?: number | undefined;
}

/**
 * Finds who an identity provider's access token (a JWT) belongs to: its signature is checked
 * against the provider's published keys (RS256, ES256, PS256 or EdDSA only), its issuer and
 * audience against the configured ones, and its `exp` (required) and `nbf` against the clock
 * with {@link CLOCK_TOLERANCE_SECONDS} of leeway; its claims then give the tenant, role and user.
 */
export class OidcAuthenticator {
  readonly #options: OidcOptions;
  readonly #keys: IssuerKeys;
  readonly #mapping: ClaimMapping;

  constructor(options: OidcOptions) {
    this.#options = options;
    this.#keys = new IssuerKeys({
      issuer: options.issuer,
      jwksUrl: options.jwksUrl,
      cooldownMs: options.jwksCooldownMs,
    });
    this.#mapping = {
      tenantClaim: options.tenantClaim ?? DEFAULT_TENANT_CLAIM,
      roleClaim: options.roleClaim ?? DEFAULT_ROLE_CLAIM,
      rolePrefix: options.rolePrefix ?? '',
      defaultRole: options.defaultRole,
    };
  }

  /** The issuer whose tokens are accepted. */
  get issuer(): string {
    return this.#options.issuer;
  }

  /** The principal of `token`, or why it is refused. */
  async authenticate(token: string): Promise<Principal | AuthRefusal> {
    const { issuer, audience } = this.#options;
    try {
      const { payload } = await jwtVerify(token, this.#keys.getKey, {
        issuer,
        audience,
        algorithms: [...TOKEN_ALGORITHMS],
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp'],
      });
      return principalOfClaims(payload, this.#mapping);
    } catch (error) {
      return refusalOfTokenError(error, token, { issuer, audience });
    }
  }
}
