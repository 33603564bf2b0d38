import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of {@link startTokenEndpoint}. */
export interface TokenEndpointOptions {
  /** The refresh tokens it accepts at first; each is rotated away when used. */
  refreshTokens: string[];
  /** Awaited before answering each request (to hold the first refresh until others arrive). */
  beforeAnswer?: () => Promise<void>;
}

/** A loopback OAuth 2.0 token endpoint (RFC 6749 §6) that rotates refresh tokens. */
export interface TokenEndpoint {
  /** Its URL, `http://127.0.0.1:<port>/token`. */
  url: string;
  /** The refresh-token grants it received so far, in order (the refresh token each carried). */
  readonly grants: string[];
  /** Stops it. */
  close(): Promise<void>;
}

/**
 * Starts a token endpoint on a free loopback port. A `refresh_token` grant with a refresh token
 * it holds is answered as RFC 6749 §5.1 says (`access_token`, `token_type`, `expires_in`, a new
 * `refresh_token`), and the used one is dropped; any other with §5.2's `invalid_grant`.
 */
export async function startTokenEndpoint(options: TokenEndpointOptions): Promise<TokenEndpoint> {
  const valid = new Set(options.refreshTokens);
  const grants: string[] = [];
  const server = createServer((request, response) => {
    void answer(request, response);
  });
  const answer = async (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const refreshToken = form.get('refresh_token') ?? '';
    grants.push(refreshToken);
    await options.beforeAnswer?.();
    response.setHeader('content-type', 'application/json;charset=UTF-8');
    response.setHeader('cache-control', 'no-store');
    if (form.get('grant_type') !== 'refresh_token' || !valid.delete(refreshToken)) {
      response.statusCode = 400;
      response.end(
        JSON.stringify({
          error: 'invalid_grant',
          error_description: 'The refresh token is invalid, expired or revoked.',
        }),
      );
      return;
    }
    const issued = grants.length;
    valid.add(`refresh-${issued}`);
    response.end(
      JSON.stringify({
        access_token: `access-${issued}`,
        token_type: 'Bearer',
        expires_in: 3600,
        refresh_token: `refresh-${issued}`,
      }),
    );
  };
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/token`,
    grants,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
