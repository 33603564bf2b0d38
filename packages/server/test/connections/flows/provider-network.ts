import { http, passthrough, type RequestHandler } from 'msw';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, beforeAll } from 'vitest';

/** Form fields and JSON members whose values are credentials of an OAuth flow. */
const CREDENTIAL_FIELDS: ReadonlySet<string> = new Set([
  'code',
  'code_verifier',
  'client_secret',
  'client_assertion',
  'access_token',
  'refresh_token',
  'id_token',
  'token',
]);

/** Requests to the machine itself: the Prism server under test and the webhook consumer. */
const LOOPBACK = /^http:\/\/127\.0\.0\.1:\d+\//;

/** One request Prism made to a provider, as the mocked network saw it. */
export interface ProviderRequest {
  method: string;
  /** The URL without its query. */
  endpoint: string;
  /** The `Authorization` header, if any. */
  authorization: string | null;
}

/** The mocked internet of a test file: the providers' real endpoints, answered by msw. */
export interface ProviderNetwork {
  /** msw, for fixtures that add their handlers themselves (after {@link answer} cleared the last). */
  readonly server: SetupServer;
  /** Every request to a provider, in order. */
  readonly requests: ProviderRequest[];
  /**
   * Every credential that crossed the wire between Prism and a provider (codes, PKCE verifiers,
   * client secrets, access, refresh and ID tokens), once {@link settled}.
   */
  readonly credentials: Set<string>;
  /** Replaces the providers' handlers with `handlers` (loopback requests always pass). */
  answer(...handlers: RequestHandler[]): void;
  /** Resolves once every request and answer seen so far has been searched for credentials. */
  settled(): Promise<void>;
}

/**
 * Starts msw for the file's tests: requests to the providers are answered by the handlers
 * given to {@link ProviderNetwork.answer} (any other fails), requests to 127.0.0.1 go through,
 * and every credential in a provider's request or answer is collected.
 */
export function setupProviderNetwork(): ProviderNetwork {
  const server: SetupServer = setupServer(http.all(LOOPBACK, () => passthrough()));
  const requests: ProviderRequest[] = [];
  const credentials = new Set<string>();
  const reading = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    reading.add(work);
    void work.finally(() => reading.delete(work));
  };

  server.events.on('request:start', ({ request }) => {
    if (LOOPBACK.test(request.url)) return;
    const url = new URL(request.url);
    const authorization = request.headers.get('authorization');
    requests.push({
      method: request.method,
      endpoint: `${url.origin}${url.pathname}`,
      authorization,
    });
    for (const [name, value] of url.searchParams) {
      if (CREDENTIAL_FIELDS.has(name)) credentials.add(value);
    }
    addAuthorization(credentials, authorization);
    track(
      request
        .clone()
        .text()
        .then((body) => addBodyCredentials(credentials, body)),
    );
  });
  server.events.on('response:mocked', ({ request, response }) => {
    if (LOOPBACK.test(request.url)) return;
    track(
      response
        .clone()
        .text()
        .then((body) => addBodyCredentials(credentials, body)),
    );
  });

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterAll(() => server.close());
  return {
    server,
    requests,
    credentials,
    answer(...handlers) {
      server.resetHandlers();
      server.use(...handlers);
    },
    async settled() {
      while (reading.size > 0) await Promise.all(reading);
    },
  };
}

/** The credential of an `Authorization` header: a bearer token, or a basic password. */
function addAuthorization(credentials: Set<string>, authorization: string | null): void {
  if (authorization === null) return;
  const [scheme, value = ''] = authorization.split(' ');
  if (scheme?.toLowerCase() === 'bearer') credentials.add(value);
  if (scheme?.toLowerCase() === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    credentials.add(decoded.slice(decoded.indexOf(':') + 1));
  }
}

/** The credentials of a form or JSON body. */
function addBodyCredentials(credentials: Set<string>, body: string): void {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    for (const [name, value] of new URLSearchParams(body)) {
      if (CREDENTIAL_FIELDS.has(name)) credentials.add(value);
    }
    return;
  }
  addJsonCredentials(credentials, json);
}

function addJsonCredentials(credentials: Set<string>, value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) addJsonCredentials(credentials, item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  for (const [name, member] of Object.entries(value)) {
    if (CREDENTIAL_FIELDS.has(name) && typeof member === 'string') credentials.add(member);
    else addJsonCredentials(credentials, member);
  }
}
