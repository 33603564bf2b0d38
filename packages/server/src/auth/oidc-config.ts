import type { ServerConfig } from '../config.js';
import type { OidcOptions } from './oidc-authenticator.js';

/** The identity provider of the `PRISM_OIDC_*` settings, or `undefined` when none is set. */
export function oidcOptionsOf(config: ServerConfig): OidcOptions | undefined {
  if (config.PRISM_OIDC_ISSUER === undefined || config.PRISM_OIDC_AUDIENCE === undefined) {
    return undefined;
  }
  return {
    issuer: config.PRISM_OIDC_ISSUER,
    audience: config.PRISM_OIDC_AUDIENCE,
    jwksUrl: config.PRISM_OIDC_JWKS_URL,
    tenantClaim: config.PRISM_OIDC_TENANT_CLAIM,
    roleClaim: config.PRISM_OIDC_ROLE_CLAIM,
    rolePrefix: config.PRISM_OIDC_ROLE_PREFIX,
    defaultRole: config.PRISM_OIDC_DEFAULT_ROLE,
  };
}
