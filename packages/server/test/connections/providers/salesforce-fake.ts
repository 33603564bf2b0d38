import { createHash, createHmac, randomBytes } from 'node:crypto';
import { type HttpHandler, HttpResponse, http } from 'msw';

/** The org the fake serves. */
export const ORG_ID = '00D5g000004ZpQkEAK';
/** The user who approves access. */
export const USER_ID = '0055g00000C3xYzAAJ';
/** The org's name, as `SELECT Name FROM Organization` answers it. */
export const ORG_NAME = 'Acme Investigations';
/** The connected app's consumer key. */
export const CLIENT_ID = '3MVG9rZjd7MXFdLhAjHz0P8b1YcVvk4E7q1Xc2sWq0lZbNdaO7Ux6Q2pTcrS8KmAe1FhJ';
/** The connected app's consumer secret. */
export const CLIENT_SECRET = 'C5B0A3E3F7D14E0B9A61C1F2E9D8B7A6F5E4D3C2B1A09F8E7D6C5B4A39281706';
/** The callback URL registered on the connected app. */
export const REDIRECT_URI = 'https://prism.example.com/oauth/salesforce/callback';

/** Options of {@link FakeSalesforce}. */
export interface FakeSalesforceOptions {
  /** The login server it answers as (default https://login.salesforce.com). */
  loginUrl?: string;
  /** Where the org's APIs are (default https://acme.my.salesforce.com). */
  instanceUrl?: string;
  /** Whether the connected app rotates refresh tokens. */
  rotateRefreshTokens?: boolean;
  /** How a refused revocation's body is written (Salesforce documents only the codes). */
  revocationErrorBody?: 'json' | 'form';
}

/** One request the fake received at its OAuth endpoints. */
export interface ReceivedForm {
  /** The endpoint's path, e.g. `/services/oauth2/token`. */
  path: string;
  /** The `content-type` it was sent with. */
  contentType: string | null;
  /** Its form body. */
  form: URLSearchParams;
}

interface PendingCode {
  challenge: string;
  redirectUri: string;
  scope: string;
}

interface Grant {
  scope: string;
  accessTokens: Set<string>;
}

const JSON_HEADERS = { 'cache-control': 'no-store' };

function refusal(error: string, description: string, status = 400): Response {
  return HttpResponse.json(
    { error, error_description: description },
    { status, headers: JSON_HEADERS },
  );
}

/**
 * A stand-in for Salesforce's login server (`/services/oauth2/authorize`, `/token`, `/revoke`)
 * and one org's REST query endpoint, on their real URLs, with their form bodies and JSON answers.
 * A refresh token stands for its grant: revoking it revokes every access token it gave.
 */
export class FakeSalesforce {
  /** Every form posted to the OAuth endpoints, in order. */
  readonly received: ReceivedForm[] = [];
  /** The Authorization headers the REST API saw. */
  readonly apiAuthorizations: string[] = [];
  readonly #loginUrl: string;
  readonly #instanceUrl: string;
  readonly #options: FakeSalesforceOptions;
  readonly #codes = new Map<string, PendingCode>();
  readonly #grants = new Map<string, Grant>();
  readonly #accessTokens = new Set<string>();

  constructor(options: FakeSalesforceOptions = {}) {
    this.#options = options;
    this.#loginUrl = options.loginUrl ?? 'https://login.salesforce.com';
    this.#instanceUrl = options.instanceUrl ?? 'https://acme.my.salesforce.com';
  }

  /** The identity URL Salesforce returns for the approving user. */
  get identityUrl(): string {
    return `${this.#loginUrl}/id/${ORG_ID}/${USER_ID}`;
  }

  /** Whether a refresh token still works. */
  holdsRefreshToken(refreshToken: string): boolean {
    return this.#grants.has(refreshToken);
  }

  /** Whether an access token still works. */
  holdsAccessToken(accessToken: string): boolean {
    return this.#accessTokens.has(accessToken);
  }

  /**
   * What happens when the user opens the authorization URL and approves: the URL's parameters are
   * checked as Salesforce checks them, and the callback's `code` is returned.
   */
  approve(authorizationUrl: string): string {
    const url = new URL(authorizationUrl);
    const query = url.searchParams;
    const expected = `${this.#loginUrl}/services/oauth2/authorize`;
    if (`${url.origin}${url.pathname}` !== expected) throw new Error(`not ${expected}: ${url}`);
    if (query.get('response_type') !== 'code') throw new Error('response_type is not code');
    if (query.get('client_id') !== CLIENT_ID) throw new Error('client identifier invalid');
    if (query.get('redirect_uri') !== REDIRECT_URI) throw new Error('redirect_uri_mismatch');
    if (query.get('code_challenge_method') !== 'S256') throw new Error('not S256');
    const challenge = query.get('code_challenge');
    if (challenge === null) throw new Error('no code_challenge');
    const code = `aPrx${randomBytes(24).toString('base64url')}`;
    this.#codes.set(code, {
      challenge,
      redirectUri: REDIRECT_URI,
      scope: query.get('scope') ?? '',
    });
    return code;
  }

  /** The msw handlers that answer as Salesforce. */
  handlers(): HttpHandler[] {
    return [
      http.post(`${this.#loginUrl}/services/oauth2/token`, async ({ request }) => {
        const form = await this.#receive(request, '/services/oauth2/token');
        if (form.get('client_id') !== CLIENT_ID) {
          return refusal('invalid_client_id', 'client identifier invalid');
        }
        if (form.get('client_secret') !== CLIENT_SECRET) {
          return refusal('invalid_client', 'invalid client credentials');
        }
        switch (form.get('grant_type')) {
          case 'authorization_code':
            return this.#exchange(form);
          case 'refresh_token':
            return this.#refresh(form);
          default:
            return refusal('unsupported_grant_type', 'grant type not supported');
        }
      }),
      http.post(`${this.#loginUrl}/services/oauth2/revoke`, async ({ request }) => {
        const form = await this.#receive(request, '/services/oauth2/revoke');
        return this.#revoke(form.get('token') ?? '');
      }),
      http.get(`${this.#instanceUrl}/services/data/:version/query`, ({ request }) => {
        const authorization = request.headers.get('authorization') ?? '';
        this.apiAuthorizations.push(authorization);
        const token = authorization.replace(/^Bearer /, '');
        if (!this.#accessTokens.has(token)) {
          return HttpResponse.json(
            [{ message: 'Session expired or invalid', errorCode: 'INVALID_SESSION_ID' }],
            { status: 401 },
          );
        }
        const query = new URL(request.url).searchParams.get('q');
        if (query !== 'SELECT Name FROM Organization') {
          return HttpResponse.json(
            [{ message: 'unexpected query', errorCode: 'MALFORMED_QUERY' }],
            { status: 400 },
          );
        }
        return HttpResponse.json({
          totalSize: 1,
          done: true,
          records: [
            {
              attributes: {
                type: 'Organization',
                url: `/services/data/v62.0/sobjects/Organization/${ORG_ID}`,
              },
              Name: ORG_NAME,
            },
          ],
        });
      }),
    ];
  }

  async #receive(request: Request, path: string): Promise<URLSearchParams> {
    const form = new URLSearchParams(await request.text());
    this.received.push({ path, contentType: request.headers.get('content-type'), form });
    return form;
  }

  #exchange(form: URLSearchParams): Response {
    const code = form.get('code') ?? '';
    const pending = this.#codes.get(code);
    this.#codes.delete(code);
    if (pending === undefined) return refusal('invalid_grant', 'invalid authorization code');
    if (form.get('redirect_uri') !== pending.redirectUri) {
      return refusal('redirect_uri_mismatch', 'redirect_uri must match configuration');
    }
    const verifier = form.get('code_verifier');
    if (verifier === null) return refusal('invalid_grant', 'code verifier missing');
    if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) {
      return refusal('invalid_grant', 'invalid code verifier');
    }
    const offline = pending.scope
      .split(' ')
      .some((s) => s === 'refresh_token' || s === 'offline_access');
    const grant: Grant = { scope: pending.scope, accessTokens: new Set() };
    const refreshToken = offline ? this.#newRefreshToken(grant) : undefined;
    return this.#tokenAnswer(grant, refreshToken);
  }

  #refresh(form: URLSearchParams): Response {
    const refreshToken = form.get('refresh_token') ?? '';
    const grant = this.#grants.get(refreshToken);
    if (grant === undefined) return refusal('invalid_grant', 'expired access/refresh token');
    if (!this.#options.rotateRefreshTokens) return this.#tokenAnswer(grant, undefined);
    this.#grants.delete(refreshToken);
    return this.#tokenAnswer(grant, this.#newRefreshToken(grant));
  }

  #revoke(token: string): Response {
    const grant = this.#grants.get(token);
    if (grant !== undefined) {
      this.#grants.delete(token);
      for (const accessToken of grant.accessTokens) this.#accessTokens.delete(accessToken);
      return new HttpResponse(null, { status: 200 });
    }
    if (this.#accessTokens.delete(token)) return new HttpResponse(null, { status: 200 });
    if (this.#options.revocationErrorBody === 'form') {
      return new HttpResponse('error=invalid_token&error_description=Token+was+invalid', {
        status: 400,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
    }
    return refusal('invalid_token', 'Token was invalid');
  }

  #newRefreshToken(grant: Grant): string {
    const refreshToken = `5Aep861${randomBytes(30).toString('base64url')}`;
    this.#grants.set(refreshToken, grant);
    return refreshToken;
  }

  #tokenAnswer(grant: Grant, refreshToken: string | undefined): Response {
    const accessToken = `${ORG_ID}!AQ4AQ${randomBytes(40).toString('base64url')}`;
    this.#accessTokens.add(accessToken);
    grant.accessTokens.add(accessToken);
    const issuedAt = String(Date.now());
    const signature = createHmac('sha256', CLIENT_SECRET)
      .update(`${this.identityUrl}${issuedAt}`)
      .digest('base64');
    return HttpResponse.json(
      {
        access_token: accessToken,
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
        signature,
        scope: grant.scope,
        instance_url: this.#instanceUrl,
        id: this.identityUrl,
        token_type: 'Bearer',
        issued_at: issuedAt,
      },
      { headers: JSON_HEADERS },
    );
  }
}
