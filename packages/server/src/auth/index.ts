export { API_KEY_PREFIX } from './bearer.js';
export { AUTH_UNAVAILABLE } from './issuer-keys.js';
export {
  CLOCK_TOLERANCE_SECONDS,
  DEFAULT_ROLE_CLAIM,
  DEFAULT_TENANT_CLAIM,
  OidcAuthenticator,
  type OidcOptions,
} from './oidc-authenticator.js';
export { oidcOptionsOf } from './oidc-config.js';
export {
  type AuthReason,
  type AuthRefusal,
  isAuthRefusal,
  problemOfRefusal,
} from './refusal.js';
export { RequestAuthenticator } from './request-authenticator.js';
export { TOKEN_ALGORITHMS } from './token-errors.js';
