import type { ApiKeyAuthenticator } from '../api/authenticate.js';
import type { Principal } from '../api/roles.js';
import { API_KEY_PREFIX, bearerTokenOf } from './bearer.js';
import type { OidcAuthenticator } from './oidc-authenticator.js';
import { type AuthRefusal, refuse } from './refusal.js';

/**
 * Finds who a request's `Authorization: Bearer ...` header belongs to: an API key (`prism_sk_...`)
 * by its key, and, when an identity provider is configured, any other bearer as its access token.
 */
export class RequestAuthenticator {
  readonly #apiKeys: ApiKeyAuthenticator;
  readonly #oidc: OidcAuthenticator | undefined;

  constructor(apiKeys: ApiKeyAuthenticator, oidc?: OidcAuthenticator) {
    this.#apiKeys = apiKeys;
    this.#oidc = oidc;
  }

  /** The principal of the header, or why the request is refused. */
  async authenticate(header: string | undefined): Promise<Principal | AuthRefusal> {
    const bearer = bearerTokenOf(header);
    if (bearer === undefined) return this.#missing();
    if (this.#oidc !== undefined && !bearer.startsWith(API_KEY_PREFIX)) {
      return this.#oidc.authenticate(bearer);
    }
    const result = await this.#apiKeys.authenticate(header);
    if (result === 'missing') return this.#missing();
    if (result === 'unknown') {
      return refuse('unknown', 'The API key is not known here.', this.#hint());
    }
    if (result === 'revoked') {
      return refuse('revoked', 'The API key has been revoked.', this.#hint());
    }
    return result;
  }

  #missing(): AuthRefusal {
    return refuse(
      'missing',
      this.#oidc === undefined
        ? 'The request has no API key.'
        : 'The request has no API key or access token.',
      this.#hint(),
    );
  }

  #hint(): string {
    return this.#oidc === undefined
      ? 'Send Authorization: Bearer <api key> with a current key of this server.'
      : `Send Authorization: Bearer <api key> with a current key of this server, or Bearer <access token> from ${this.#oidc.issuer}.`;
  }
}
