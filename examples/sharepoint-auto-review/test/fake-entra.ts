import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';

/** Microsoft Entra ID's sign-in host. */
export const LOGIN = 'https://login.microsoftonline.com';

/** The Prism app registration in Contoso's Entra ID. */
export const APP = {
  clientId: '6731de76-14a6-49ae-97bc-6eba6914391e',
  clientSecret: 'pR8Q~secretValueOfPrismApp.0123456789abcDEF',
} as const;

/** Contoso's Entra ID tenant (`tid`), and the admin who connects Prism. */
export const CONTOSO = {
  tenantId: 'b3f7d2c4-5a8e-4f1b-9c6d-2e0a7b4c8d91',
  adminObjectId: '7d3b2f6e-1c4a-4e8b-a2d9-5f0c6b7e8a13',
  adminSignIn: 'MeganB@contoso.com',
} as const;

/** What the admin consented to for the app: the scopes Entra ID puts in Prism's tokens. */
const GRANTED =
  'Files.ReadWrite.All Sites.Manage.All Sites.ReadWrite.All User.Read openid profile email';

/** A PKCE challenge (S256) of `verifier`. */
function challengeOf(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** A JWT as Entra ID shapes them: RS256 header, claims, and a signature nobody checks here. */
function jwt(claims: Record<string, unknown>): string {
  const header = { typ: 'JWT', alg: 'RS256', kid: 'JDNa_4i4r7FgigL3sHIlI3xV-IU' };
  return [
    Buffer.from(JSON.stringify(header)).toString('base64url'),
    Buffer.from(JSON.stringify(claims)).toString('base64url'),
    randomBytes(256).toString('base64url'),
  ].join('.');
}

/**
 * Microsoft Entra ID for Contoso: the admin signs in at an authorization URL and is sent back
 * with a code, which the token endpoint (`POST <login>/<tenant>/oauth2/v2.0/token`) redeems
 * once, for the app's client secret and the PKCE verifier of the URL's challenge, answering
 * as Entra ID does (access, refresh and ID tokens, `client_info`). The access tokens issued
 * are kept, so Graph can accept exactly them.
 */
export class FakeEntra {
  /** Every access token issued, newest last. */
  readonly accessTokens: string[] = [];
  /** The tenant segment of each token request's URL, in order. */
  readonly tokenTenants: string[] = [];
  readonly #codes = new Map<string, { challenge: string; redirectUri: string }>();

  /**
   * The admin opens `authorizationUrl`, signs in and consents; Entra ID redirects the browser
   * to the app's redirect URI with a code for this sign-in and the URL's `state`:
   * `<redirect_uri>?code=...&state=...&session_state=...`.
   */
  signIn(authorizationUrl: URL): URL {
    const query = authorizationUrl.searchParams;
    const redirectUri = query.get('redirect_uri') ?? '';
    const challenge = query.get('code_challenge') ?? '';
    if (query.get('client_id') !== APP.clientId || query.get('code_challenge_method') !== 'S256') {
      throw new Error(`Entra ID would refuse this authorization URL: ${authorizationUrl}`);
    }
    const code = `1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWem.AgABBAIA${randomBytes(32).toString('base64url')}`;
    this.#codes.set(code, { challenge, redirectUri });
    const url = new URL(redirectUri);
    url.search = new URLSearchParams({
      code,
      state: query.get('state') ?? '',
      session_state: randomUUID(),
    }).toString();
    return url;
  }

  /** The msw handler of the token endpoint, for any tenant segment. */
  handlers(): RequestHandler[] {
    return [
      http.post(`${LOGIN}/:tenant/oauth2/v2.0/token`, async ({ request, params }) => {
        this.tokenTenants.push(String(params.tenant));
        return this.#token(new URLSearchParams(await request.text()));
      }),
    ];
  }

  #token(form: URLSearchParams): Response {
    if (form.get('client_id') !== APP.clientId || form.get('client_secret') !== APP.clientSecret) {
      return entraError(401, 'invalid_client', 7000215, 'Invalid client secret provided.');
    }
    const code = form.get('code') ?? '';
    const issued = this.#codes.get(code);
    this.#codes.delete(code);
    if (
      form.get('grant_type') !== 'authorization_code' ||
      issued === undefined ||
      issued.redirectUri !== form.get('redirect_uri') ||
      issued.challenge !== challengeOf(form.get('code_verifier') ?? '')
    ) {
      return entraError(
        400,
        'invalid_grant',
        70000,
        'The provided value for the code is not valid.',
      );
    }
    return this.#tokens();
  }

  /** The token endpoint's answer to a redeemed code. */
  #tokens(): Response {
    const now = Math.floor(Date.now() / 1000);
    const accessToken = jwt({
      aud: '00000003-0000-0000-c000-000000000000',
      tid: CONTOSO.tenantId,
      oid: CONTOSO.adminObjectId,
      scp: GRANTED.replace(/ openid profile email$/, ''),
      iat: now,
      exp: now + 3599,
    });
    const refreshToken = `1.AXEAxNL3s45aG0-cbS4Ke0yNkXbeMWem.AgABAwEA${randomBytes(48).toString('base64url')}`;
    this.accessTokens.push(accessToken);
    const idToken = jwt({
      aud: APP.clientId,
      iss: `${LOGIN}/${CONTOSO.tenantId}/v2.0`,
      iat: now,
      nbf: now,
      exp: now + 3600,
      name: 'Megan Bowen',
      oid: CONTOSO.adminObjectId,
      preferred_username: CONTOSO.adminSignIn,
      sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
      tid: CONTOSO.tenantId,
      ver: '2.0',
    });
    const clientInfo = { uid: CONTOSO.adminObjectId, utid: CONTOSO.tenantId };
    return entraJson({
      token_type: 'Bearer',
      scope: GRANTED,
      expires_in: 3599,
      ext_expires_in: 3599,
      access_token: accessToken,
      refresh_token: refreshToken,
      id_token: idToken,
      client_info: Buffer.from(JSON.stringify(clientInfo)).toString('base64url'),
    });
  }
}

/** A JSON answer of the token endpoint, with the headers Entra ID sends. */
function entraJson(body: Record<string, unknown>, status = 200): Response {
  return HttpResponse.json(body, {
    status,
    headers: {
      'cache-control': 'no-store, no-cache',
      pragma: 'no-cache',
      'x-ms-request-id': randomUUID(),
    },
  });
}

/** An error of the token endpoint, worded as Entra ID words them. */
function entraError(status: number, error: string, code: number, description: string): Response {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  return entraJson(
    {
      error,
      error_description: `AADSTS${code}: ${description}\r\nTrace ID: ${traceId}\r\nCorrelation ID: ${correlationId}`,
      error_codes: [code],
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `${LOGIN}/error?code=${code}`,
    },
    status,
  );
}
