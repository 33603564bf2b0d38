import { randomBytes, randomUUID } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';

/** Microsoft Entra ID's sign-in host (the global cloud). */
export const LOGIN = 'https://login.microsoftonline.com';
/** The customer's tenant (`tid`). */
export const TENANT_ID = 'b3f7d2c4-5a8e-4f1b-9c6d-2e0a7b4c8d91';
/** The Prism app registration's client id. */
export const CLIENT_ID = '6731de76-14a6-49ae-97bc-6eba6914391e';
/** The app's client secret, in the shape of a real Entra ID secret value. */
export const CLIENT_SECRET = 'pR8Q~secretValueOfPrismApp.0123456789abcDEF';
/** The signed-in user's object id (`oid`, and `uid` of `client_info`). */
export const USER_OID = '7d3b2f6e-1c4a-4e8b-a2d9-5f0c6b7e8a13';
/** The redirect URI registered for the app. */
export const REDIRECT_URI = 'https://prism.example.com/oauth/microsoft/callback';
/** Microsoft Graph's application id, the `aud` of Graph access tokens. */
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';

/** The v2.0 token endpoint of `tenant`. */
export function tokenEndpoint(tenant: string): string {
  return `${LOGIN}/${tenant}/oauth2/v2.0/token`;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A JWT as Entra ID shapes them: RS256 header, claims, and a signature nobody checks here. */
function jwt(claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: 'JDNa_4i4r7FgigL3sHIlI3xV-IU' };
  return [
    base64url(JSON.stringify(header)),
    base64url(JSON.stringify(claims)),
    base64url(randomBytes(256)),
  ].join('.');
}

/** A v2.0 ID token of the user in the tenant, for the Prism app. */
export function idToken(): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt({
    aud: CLIENT_ID,
    iss: `${LOGIN}/${TENANT_ID}/v2.0`,
    iat: now,
    nbf: now,
    exp: now + 3600,
    name: 'Megan Bowen',
    oid: USER_OID,
    preferred_username: 'MeganB@Contoso.com',
    rh: '0.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWemFK5Jl7xuuplpOR5xAMA.',
    sid: randomUUID(),
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    tid: TENANT_ID,
    uti: 'fqiBqXLPj0eQa82S-IYFAA',
    ver: '2.0',
  });
}

/** A Graph access token as Entra ID issues them (a JWT, opaque to Prism). */
export function graphAccessToken(scp: string): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt({ aud: GRAPH_APP_ID, tid: TENANT_ID, oid: USER_OID, scp, iat: now, exp: now + 3599 });
}

/** The token endpoint's answer to a user grant (authorization code or refresh token). */
export function userTokenResponse(tokens: {
  accessToken: string;
  refreshToken: string;
  scope: string;
}): Record<string, unknown> {
  return {
    token_type: 'Bearer',
    scope: tokens.scope,
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: tokens.accessToken,
    refresh_token: tokens.refreshToken,
    id_token: idToken(),
    client_info: base64url(JSON.stringify({ uid: USER_OID, utid: TENANT_ID })),
  };
}

/** The token endpoint's answer to the client credentials grant. */
export function appTokenResponse(accessToken: string): Record<string, unknown> {
  return {
    token_type: 'Bearer',
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: accessToken,
  };
}

/** Headers Entra ID sends with every token endpoint answer. */
const ENTRA_HEADERS = {
  'cache-control': 'no-store, no-cache',
  pragma: 'no-cache',
  'x-ms-request-id': randomUUID(),
  'x-ms-ests-server': '2.1.19427.6 - WUS2 ProdSlices',
};

/** A JSON answer of the token endpoint. */
export function entraJson(body: Record<string, unknown>, status = 200): HttpResponse<string> {
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...ENTRA_HEADERS },
  });
}

/**
 * An error of the token endpoint, as Entra ID words them: the OAuth `error`, an
 * `error_description` starting with the AADSTS code and ending with trace and correlation ids,
 * `error_codes`, and the ids again as fields.
 */
export function entraError(
  status: number,
  error: string,
  code: number,
  description: string,
  extra: Record<string, unknown> = {},
): HttpResponse<string> {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, 'Z');
  return entraJson(
    {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}\r\nTimestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${LOGIN}/error?code=${code}`,
      ...extra,
    },
    status,
  );
}

/** One request to Entra ID, as the mock saw it. */
export interface EntraRequest {
  method: string;
  url: string;
  /** The form fields of a POST. */
  form: URLSearchParams;
}

/** The mocked Entra ID of a test file. */
export interface MockEntra {
  /** Every request of the current test, in order. */
  readonly requests: EntraRequest[];
  /** Adds handlers for the current test. */
  use(...handlers: RequestHandler[]): void;
}

/**
 * Intercepts `fetch` for the tests of the file (msw), recording every request; a request no
 * handler answers fails with a network error.
 */
export function setupMockEntra(): MockEntra {
  const server = setupServer();
  const requests: EntraRequest[] = [];
  server.events.on('request:start', async ({ request }) => {
    const body = request.method === 'POST' ? await request.clone().text() : '';
    requests.push({ method: request.method, url: request.url, form: new URLSearchParams(body) });
  });
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    requests.length = 0;
  });
  afterAll(() => server.close());
  return {
    requests,
    use: (...handlers) => server.use(...handlers),
  };
}

/** A handler of `tenant`'s token endpoint. */
export function onToken(
  tenant: string,
  answer: (form: URLSearchParams) => HttpResponse<string> | Promise<HttpResponse<string>>,
): RequestHandler {
  return http.post(tokenEndpoint(tenant), async ({ request }) =>
    answer(new URLSearchParams(await request.text())),
  );
}
