import { PrismError } from '@prism/sdk';
import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';

/** How long a fetch of the identity provider's discovery document or key set may take. */
export const IDENTITY_PROVIDER_TIMEOUT_MS = 5_000;

/** The code of the error a key set or discovery document that cannot be fetched or read raises. */
export const AUTH_UNAVAILABLE = 'auth_unavailable';

/** An error of code {@link AUTH_UNAVAILABLE} saying what of the identity provider failed. */
function unavailable(message: string, cause?: unknown): PrismError {
  return new PrismError(AUTH_UNAVAILABLE, message, {
    hint: 'Check that the identity provider is up and reachable from the server.',
    ...(cause === undefined ? {} : { cause }),
  });
}

/** Where an identity provider's signing keys are found, and how they are cached. */
export interface IssuerKeysOptions {
  /** The issuer, exactly as its tokens' `iss` names it. */
  issuer: string;
  /** The key set's URL; without it, the `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUrl?: string | undefined;
  /**
   * The least time between two fetches of the key set, in ms: a token naming a key the set does not
   * hold fetches it again only after this long. Default 30 s.
   */
  cooldownMs?: number | undefined;
}

/**
 * The signing keys of one identity provider, as a key resolver for jose's `jwtVerify`. The key
 * set's URL is found on first use (from the discovery document unless given) and the set is
 * cached: fetched again when it is 10 minutes old, or when a token names a key it does not hold
 * (key rotation), at most once per cooldown. A discovery document or key set that cannot be
 * fetched or read rejects with a `PrismError` of code {@link AUTH_UNAVAILABLE}; a token whose key is not
 * in the set rejects with jose's `JWKSNoMatchingKey`.
 */
export class IssuerKeys {
  readonly #options: IssuerKeysOptions;
  #keySet: Promise<JWTVerifyGetKey> | undefined;

  constructor(options: IssuerKeysOptions) {
    this.#options = options;
  }

  /** The key a token's header names. */
  readonly getKey: JWTVerifyGetKey = async (header, token) =>
    (await this.#keySetOnce())(header, token);

  /** The remote key set, its URL discovered once; a failed discovery is tried again next time. */
  #keySetOnce(): Promise<JWTVerifyGetKey> {
    this.#keySet ??= this.#jwksUrl().then(
      (url) => this.#remoteKeySet(url),
      (error: unknown) => {
        this.#keySet = undefined;
        throw error;
      },
    );
    return this.#keySet;
  }

  /** jose's cached key set at `url`, its fetch failures made {@link AUTH_UNAVAILABLE} errors. */
  #remoteKeySet(url: URL): JWTVerifyGetKey {
    const keySet = createRemoteJWKSet(url, {
      timeoutDuration: IDENTITY_PROVIDER_TIMEOUT_MS,
      ...(this.#options.cooldownMs === undefined
        ? {}
        : { cooldownDuration: this.#options.cooldownMs }),
    });
    return async (header, token) => {
      try {
        return await keySet(header, token);
      } catch (error) {
        if (error instanceof errors.JWKSNoMatchingKey) throw error;
        if (error instanceof errors.JWKSMultipleMatchingKeys) throw error;
        throw unavailable(
          `The key set ${url.href} could not be fetched: ${(error as Error).message}.`,
          error,
        );
      }
    };
  }

  async #jwksUrl(): Promise<URL> {
    if (this.#options.jwksUrl !== undefined) return new URL(this.#options.jwksUrl);
    const { issuer } = this.#options;
    const discovery = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
    const document = await fetchJson(discovery);
    const jwksUri = document.jwks_uri;
    if (typeof jwksUri !== 'string' || !URL.canParse(jwksUri)) {
      throw unavailable(`${discovery} names no jwks_uri.`);
    }
    if (document.issuer !== issuer) {
      throw unavailable(
        `${discovery} is of issuer ${JSON.stringify(document.issuer)}, not ${JSON.stringify(issuer)}.`,
      );
    }
    return new URL(jwksUri);
  }
}

/** The JSON object at `url`. */
async function fetchJson(url: string): Promise<Record<string, unknown>> {
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(IDENTITY_PROVIDER_TIMEOUT_MS),
    });
  } catch (cause) {
    throw unavailable(`${url} could not be fetched: ${(cause as Error).message}.`, cause);
  }
  if (response.status !== 200) {
    throw unavailable(`${url} answered ${response.status}, not 200.`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw unavailable(`${url} did not answer a JSON object.`);
  }
  return body as Record<string, unknown>;
}
