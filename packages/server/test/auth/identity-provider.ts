import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
} from 'jose';

/** A signing key of the identity provider, by its `kid`. */
export interface SigningKey {
  kid: string;
  alg: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** What a test token is signed with and says, beyond the defaults of {@link TestIdentityProvider.sign}. */
export interface TokenOptions {
  /** The key to sign with; the first published key by default. */
  key?: SigningKey;
  /** The `kid` of the header; the key's own by default. */
  kid?: string;
  /** Seconds from now the token expires; `null` for no `exp`. Default 300. */
  expiresIn?: number | null;
  /** Seconds from now it becomes valid (`nbf`); none by default. */
  notBefore?: number;
}

/** The audience of the test tokens. */
export const AUDIENCE = 'https://prism.test/api';

/** A new signing key of `alg` with `kid`. */
export async function newSigningKey(kid: string, alg = 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return {
    kid,
    alg,
    privateKey,
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' },
  };
}

/**
 * An OpenID Connect identity provider on a real local HTTP server: it serves its discovery
 * document and key set, signs tokens with its keys, and can rotate keys or fail on purpose.
 */
export class TestIdentityProvider {
  /** The keys its key set publishes. */
  published: SigningKey[];
  /** The status the key set answers with; 200 unless a test breaks it. */
  jwksStatus = 200;
  /** The status the discovery document answers with; 200 unless a test breaks it. */
  discoveryStatus = 200;
  /** How many times the key set was fetched. */
  jwksFetches = 0;
  readonly #server: Server;
  readonly issuer: string;

  private constructor(server: Server, keys: SigningKey[]) {
    this.#server = server;
    this.published = keys;
    this.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Starts one that publishes `keys`. */
  static async start(keys: SigningKey[]): Promise<TestIdentityProvider> {
    let provider: TestIdentityProvider | undefined;
    const server = createServer((request, response) => {
      const idp = provider as TestIdentityProvider;
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (request.url === '/.well-known/openid-configuration') {
        return answer(idp.discoveryStatus, { issuer: idp.issuer, jwks_uri: idp.jwksUrl });
      }
      if (request.url === '/keys') {
        idp.jwksFetches += 1;
        return answer(idp.jwksStatus, { keys: idp.published.map((key) => key.publicJwk) });
      }
      answer(404, { error: 'not_found' });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    provider = new TestIdentityProvider(server, keys);
    return provider;
  }

  /** Where its key set is served. */
  get jwksUrl(): string {
    return `${this.issuer}/keys`;
  }

  /**
   * A token of `claims` for {@link AUDIENCE}, issued by this provider to `sub` `user-1` (the
   * claims may override any of them), signed with its first key unless told otherwise.
   */
  async sign(claims: JWTPayload, options: TokenOptions = {}): Promise<string> {
    const key = options.key ?? (this.published[0] as SigningKey);
    const now = Math.floor(Date.now() / 1000);
    const expiresIn = options.expiresIn === undefined ? 300 : options.expiresIn;
    return new SignJWT({
      iss: this.issuer,
      aud: AUDIENCE,
      sub: 'user-1',
      iat: now,
      ...(expiresIn === null ? {} : { exp: now + expiresIn }),
      ...(options.notBefore === undefined ? {} : { nbf: now + options.notBefore }),
      ...claims,
    })
      .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'JWT' })
      .sign(key.privateKey);
  }

  /** Stops serving. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
