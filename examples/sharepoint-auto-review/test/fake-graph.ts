import { randomBytes, randomUUID } from 'node:crypto';
import { HttpResponse, http, type RequestHandler } from 'msw';
import {
  DRIVE_ID,
  LIST_ID,
  Library,
  type LibraryColumn,
  type LibraryItem,
  SHAREPOINT,
  SITE_ID,
} from './library.js';

/** Microsoft Graph's v1.0 endpoint. */
export const GRAPH = 'https://graph.microsoft.com/v1.0';
/** Where SharePoint serves a file's bytes after Graph's `/content` redirect. */
const DOWNLOAD_URL = `${SHAREPOINT}/sites/qa/_layouts/15/download.aspx`;
const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;charset=utf-8';

/** One request Graph answered, its path and query decoded. */
export interface GraphCall {
  method: string;
  /** The path after `/v1.0`, e.g. `/drives/{drive-id}/root/delta`. */
  path: string;
  query: URLSearchParams;
  /** The JSON body, or the bytes of any other body. */
  body: unknown;
}

/** A change notification subscription Graph holds. */
export interface GraphSubscription {
  id: string;
  notificationUrl: string;
  clientState: string;
  expirationDateTime: string;
}

/** What {@link FakeGraph} needs from the test. */
export interface FakeGraphOptions {
  /** The access tokens Entra ID issued: Graph accepts these and no others. */
  accessTokens: () => readonly string[];
  /** How Graph's requests reach a notification URL (through the tunnel to the Prism server). */
  deliver: (url: string, init: RequestInit) => Promise<Response>;
  /** The Entra ID tenant of the subscriptions' notifications. */
  tenantId: string;
}

/**
 * Microsoft Graph in front of Contoso's QA library ({@link Library}), with the wire shapes of
 * Graph's documentation: sharing links (`/shares/u!.../driveItem`), the list and its columns,
 * list item fields, the delta query (`token=latest`, changes per token, 410 for a token it
 * never gave), downloads through a 302 to a pre-authenticated URL, uploads, folders, and change
 * notification subscriptions, whose notification URL is validated first (`POST
 * <url>?validationToken=...`, answered with the token as `text/plain`). Every request needs a
 * bearer token Entra ID issued.
 */
export class FakeGraph {
  /** The library behind Graph: what people upload, and what Prism writes. */
  readonly library = new Library();
  /** Every request Graph answered, in order. */
  readonly calls: GraphCall[] = [];
  /** The subscriptions Graph holds, by id. */
  readonly subscriptions = new Map<string, GraphSubscription>();
  /** The delta tokens of the links Graph gave, and those read, in order. */
  readonly deltaTokens = { given: [] as string[], read: [] as string[] };
  readonly #options: FakeGraphOptions;

  constructor(options: FakeGraphOptions) {
    this.#options = options;
  }

  /** The calls with `method` whose path matches `path`. */
  seen(method: string, path: RegExp): GraphCall[] {
    return this.calls.filter((call) => call.method === method && path.test(call.path));
  }

  /**
   * Graph posts a change notification to every subscription, as it does within a minute of a
   * change in the drive; the answers' statuses.
   */
  async notifySubscribers(): Promise<number[]> {
    const statuses: number[] = [];
    for (const subscription of this.subscriptions.values()) {
      const notification = {
        subscriptionId: subscription.id,
        clientState: subscription.clientState,
        changeType: 'updated',
        resource: `drives/${DRIVE_ID}/root`,
        subscriptionExpirationDateTime: subscription.expirationDateTime,
        tenantId: this.#options.tenantId,
        resourceData: null,
      };
      const answer = await this.#options.deliver(subscription.notificationUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ value: [notification] }),
      });
      statuses.push(answer.status);
    }
    return statuses;
  }

  /** The msw handlers: Graph, and SharePoint's download URLs. */
  handlers(): RequestHandler[] {
    return [
      http.all(`${GRAPH}/*`, ({ request }) => this.#serve(request)),
      http.get(DOWNLOAD_URL, ({ request }) => this.#download(new URL(request.url))),
    ];
  }

  async #serve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const type = request.headers.get('content-type') ?? '';
    const call: GraphCall = {
      method: request.method,
      path: decodeURIComponent(url.pathname).replace(/^\/v1\.0/, ''),
      query: url.searchParams,
      body: type.startsWith('application/json')
        ? await request.json()
        : new Uint8Array(await request.arrayBuffer()),
    };
    this.calls.push(call);
    const token = request.headers.get('authorization')?.replace(/^Bearer /, '') ?? '';
    if (!this.#options.accessTokens().includes(token)) {
      return graphError(401, 'InvalidAuthenticationToken', 'Access token is empty or invalid.');
    }
    for (const [method, pattern, handle] of this.#routes) {
      const match = pattern.exec(call.path);
      if (method === call.method && match !== null) return handle(match.slice(1), call);
    }
    return graphError(400, 'invalidRequest', `Unsupported request: ${call.method} ${call.path}`);
  }

  /** Graph's routes this library needs: method, path, and the answer (given the path's groups). */
  readonly #routes: [
    string,
    RegExp,
    (at: string[], call: GraphCall) => Promise<Response> | Response,
  ][] = [
    [
      'GET',
      /^\/shares\/u!([^/]+)\/driveItem$/,
      ([share = ''], call) =>
        this.#item(call, this.library.atUrl(Buffer.from(share, 'base64url').toString('utf8'))),
    ],
    [
      'GET',
      /^\/drives\/[^/]+\/list$/,
      () => json({ id: LIST_ID, parentReference: { siteId: SITE_ID } }),
    ],
    ['GET', /^\/sites\/[^/]+\/lists\/[^/]+\/columns$/, () => json({ value: this.library.columns })],
    [
      'POST',
      /^\/sites\/[^/]+\/lists\/[^/]+\/columns$/,
      (_, call) => this.#createColumn(body(call)),
    ],
    ['GET', /^\/drives\/[^/]+\/root\/delta$/, (_, call) => this.#delta(call)],
    ['POST', /^\/subscriptions$/, (_, call) => this.#subscribe(body(call))],
    ['DELETE', /^\/subscriptions\/([^/]+)$/, ([id = '']) => this.#unsubscribe(id)],
    [
      'GET',
      /^\/drives\/[^/]+\/root:\/(.+?):?$/,
      ([path = ''], call) => this.#item(call, this.library.atPath(path)),
    ],
    [
      'PUT',
      /^\/drives\/[^/]+\/items\/([^/:]+):\/([^/]+):\/content$/,
      ([parent = '', name = ''], call) => this.#upload(this.#id(parent), name, call.body),
    ],
    [
      'GET',
      /^\/drives\/[^/]+\/items\/([^/:]+)$/,
      ([id = ''], call) => this.#item(call, this.library.items.get(id)),
    ],
    [
      'GET',
      /^\/drives\/[^/]+\/items\/([^/:]+)\/content$/,
      ([id = '']) => this.#content(this.library.items.get(id)),
    ],
    [
      'PATCH',
      /^\/drives\/[^/]+\/items\/([^/:]+)\/listItem\/fields$/,
      ([id = ''], call) => this.#fields(this.library.items.get(id), body(call)),
    ],
    [
      'POST',
      /^\/drives\/[^/]+\/items\/([^/:]+)\/children$/,
      ([parent = ''], call) => this.#createFolder(this.#id(parent), body(call)),
    ],
  ];

  /** An item id of a path, `root` standing for the root folder's. */
  #id(id: string): string {
    return id === 'root' ? this.library.rootId : id;
  }

  #createColumn(definition: Record<string, unknown>): Response {
    const column: LibraryColumn = {
      ...definition,
      id: randomUUID(),
      name: String(definition.name),
      displayName: String(definition.displayName),
      hidden: false,
    };
    this.library.columns.push(column);
    return json(column, 201);
  }

  #item(call: GraphCall, item: LibraryItem | undefined): Response {
    if (item === undefined) {
      return graphError(404, 'itemNotFound', 'The resource could not be found.');
    }
    return json(selected(this.library.driveItem(item), call.query));
  }

  #delta(call: GraphCall): Response {
    const token = call.query.get('token') ?? '';
    this.deltaTokens.read.push(token);
    const changed = token === 'latest' ? [] : this.library.changedSince(token);
    if (changed === undefined) {
      return graphError(410, 'resyncRequired', 'Resync required. Replace any local items.');
    }
    const next = this.library.snapshot();
    this.deltaTokens.given.push(next);
    const select = call.query.get('$select');
    const link = `${GRAPH}/drives/${DRIVE_ID}/root/delta?${select === null ? '' : `$select=${select}&`}token=${next}`;
    return json({
      '@odata.context': `${GRAPH}/$metadata#Collection(driveItem)`,
      '@odata.deltaLink': link,
      value: changed.map((item) => selected(this.library.driveItem(item), call.query)),
    });
  }

  async #subscribe(body: Record<string, unknown>): Promise<Response> {
    const urls = new Set([String(body.notificationUrl), String(body.lifecycleNotificationUrl)]);
    for (const url of urls) {
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
      const answer = await this.#options.deliver(
        `${url}?validationToken=${encodeURIComponent(token)}`,
        { method: 'POST', headers: { 'content-type': 'text/plain; charset=utf-8' } },
      );
      const echoed =
        answer.status === 200 &&
        answer.headers.get('content-type')?.startsWith('text/plain') === true &&
        (await answer.text()) === token;
      if (!echoed) {
        return graphError(
          400,
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        );
      }
    }
    const subscription: GraphSubscription = {
      id: randomUUID(),
      notificationUrl: String(body.notificationUrl),
      clientState: String(body.clientState),
      expirationDateTime: String(body.expirationDateTime),
    };
    this.subscriptions.set(subscription.id, subscription);
    return json(subscriptionEntity(subscription, body), 201);
  }

  #unsubscribe(id: string): Response {
    if (!this.subscriptions.delete(id)) {
      return graphError(404, 'ResourceNotFound', 'The object was not found.');
    }
    return new HttpResponse(null, { status: 204 });
  }

  #content(item: LibraryItem | undefined): Response {
    if (item?.bytes === undefined) {
      return graphError(404, 'itemNotFound', 'The resource could not be found.');
    }
    const tempauth = `v1.eyJzaXRlaWQiOiJxYSJ9.${randomBytes(12).toString('base64url')}`;
    return new HttpResponse(null, {
      status: 302,
      headers: { Location: `${DOWNLOAD_URL}?UniqueId=${item.id}&tempauth=${tempauth}` },
    });
  }

  #download(url: URL): Response {
    const bytes = this.library.items.get(url.searchParams.get('UniqueId') ?? '')?.bytes;
    if (bytes === undefined || !url.searchParams.has('tempauth')) {
      return new HttpResponse(null, { status: 404 });
    }
    return new HttpResponse(bytes, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(bytes.byteLength),
      },
    });
  }

  #fields(item: LibraryItem | undefined, values: Record<string, unknown>): Response {
    if (item === undefined) return graphError(404, 'itemNotFound', 'The item was not found.');
    const known = new Set(this.library.columns.map((column) => column.name));
    const unknown = Object.keys(values).find((name) => !known.has(name));
    if (unknown !== undefined) {
      return graphError(400, 'invalidRequest', `Field '${unknown}' is not recognized`);
    }
    return json({
      '@odata.etag': `"${randomUUID()},7"`,
      ...this.library.patchFields(item.id, values),
    });
  }

  #createFolder(parentId: string, body: Record<string, unknown>): Response {
    const name = String(body.name);
    if (this.library.child(parentId, name) !== undefined) {
      return graphError(409, 'nameAlreadyExists', 'The specified item name already exists.');
    }
    const id = this.library.addFolder(name, parentId);
    return json(this.library.driveItem(this.library.items.get(id) as LibraryItem), 201);
  }

  /** `PUT /drives/{drive}/items/{parent}:/{name}:/content`: a file stored or replaced. */
  #upload(parentId: string, name: string, bytes: unknown): Response {
    if (!(bytes instanceof Uint8Array)) {
      return graphError(400, 'invalidRequest', 'The upload has no content.');
    }
    const { id, created } = this.library.putFile(parentId, name, bytes);
    const item = this.library.items.get(id) as LibraryItem;
    return json(this.library.driveItem(item), created ? 201 : 200);
  }
}

/** The JSON body of a call (an empty object when it has none). */
function body(call: GraphCall): Record<string, unknown> {
  return call.body instanceof Uint8Array ? {} : ((call.body ?? {}) as Record<string, unknown>);
}

/** The properties of `item` that the query's `$select` names (all without one). */
function selected(item: Record<string, unknown>, query: URLSearchParams): Record<string, unknown> {
  const names = query.get('$select')?.split(',');
  if (names === undefined) return item;
  return Object.fromEntries(Object.entries(item).filter(([name]) => names.includes(name)));
}

function json(value: unknown, status = 200): Response {
  return HttpResponse.json(value as Record<string, unknown>, {
    status,
    headers: { 'Content-Type': ODATA_JSON },
  });
}

/** Graph's error body, with its request id in the headers too, as Graph sends it. */
function graphError(status: number, code: string, message: string): Response {
  const requestId = randomUUID();
  return HttpResponse.json(
    {
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().slice(0, 19),
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
    { status, headers: { 'Content-Type': ODATA_JSON, 'request-id': requestId } },
  );
}

/** Graph's answer to a created subscription (`clientState` is never echoed). */
function subscriptionEntity(
  subscription: GraphSubscription,
  body: Record<string, unknown>,
): Record<string, unknown> {
  return {
    '@odata.context': `${GRAPH}/$metadata#subscriptions/$entity`,
    id: subscription.id,
    resource: body.resource ?? `/drives/${DRIVE_ID}/root`,
    applicationId: '6731de76-14a6-49ae-97bc-6eba6914391e',
    changeType: 'updated',
    clientState: null,
    notificationUrl: subscription.notificationUrl,
    lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
    expirationDateTime: subscription.expirationDateTime,
    creatorId: '7d3b2f6e-1c4a-4e8b-a2d9-5f0c6b7e8a13',
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
  };
}
