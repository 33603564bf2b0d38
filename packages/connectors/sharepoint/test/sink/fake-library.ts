import { randomBytes, randomUUID } from 'node:crypto';
import type { ColumnDefinition } from '@microsoft/microsoft-graph-types';
import { HttpResponse, http, type JsonBodyType } from 'msw';

/** Graph's v1.0 endpoint. */
export const GRAPH = 'https://graph.microsoft.com/v1.0';
/** The SharePoint host that serves upload sessions. */
export const SHAREPOINT = 'https://contoso.sharepoint.com';
/** The "Documents" library of the Legal site, as Graph spells drive ids. */
export const DRIVE_ID = 'b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3-Z8RY2VpuvV_tpd';
/** The Legal site's composite id. */
export const SITE_ID =
  'contoso.sharepoint.com,2c712604-1370-44e7-a1f5-426573fda80a,2d2244c3-251a-49ea-93a8-39e1c3a060fe';
/** The list behind the library. */
export const LIST_ID = 'b1d1d5b6-0c0a-4a3e-9c3f-5a5c1e2d7f40';
/** The drive's root folder. */
export const ROOT_ID = '01BYE5RZ56Y2GOVW7725BZO354PWSELRRZ';
/** The "Contracts" folder holding the reviewed document. */
export const CONTRACTS_ID = '01BYE5RZZ6FUE5272C5JCY3L7CLZ7XOUYM';
/** The reviewed document, Contracts/Contract.docx. */
export const CONTRACT_ID = '01BYE5RZ2KXWOTNNU3YVF2NDB6SBAS6PCN';

const JSON_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** One request the fake library received. */
export interface SeenRequest {
  method: string;
  /** The URL with its path and query decoded. */
  url: string;
  headers: Headers;
  /** The JSON body, or the byte count of a binary one. */
  body: unknown;
}

/** A failure answered instead of (or after) the real handling of matching requests. */
export interface Fault {
  method: string;
  /** Tested against {@link SeenRequest.url}. */
  url: RegExp;
  /** Matching requests let through before the fault strikes. Default 0. */
  skip?: number;
  /** How many matching requests fail. Default 1. */
  times?: number;
  /** Handle the request first (its effect stays), then answer with the failure. */
  after?: boolean;
  /** The failure; undefined lets the request be answered as usual (a side effect only). */
  response: () => Response | undefined;
}

interface Item {
  id: string;
  name: string;
  parentId: string | null;
  folder: boolean;
  bytes?: Uint8Array;
  version: number;
}

interface Session {
  parentId: string;
  name: string;
  parts: Uint8Array[];
  received: number;
}

/** Graph's error body and headers, as Graph sends them. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): Response {
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
    { status, headers: { 'Content-Type': JSON_TYPE, 'request-id': requestId, ...headers } },
  );
}

function graphJson(body: JsonBodyType, status = 200): Response {
  return HttpResponse.json(body, { status, headers: { 'Content-Type': JSON_TYPE } });
}

function newItemId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return `01BYE5RZ${Array.from(randomBytes(26), (byte) => alphabet[byte % 32]).join('')}`;
}

/** The columns a new document library has, as `GET .../columns` lists them. */
function libraryColumns(): ColumnDefinition[] {
  const column = (name: string, displayName: string, hidden = false): ColumnDefinition => ({
    columnGroup: 'Custom Columns',
    description: '',
    displayName,
    enforceUniqueValues: false,
    hidden,
    id: randomUUID(),
    indexed: false,
    name,
    readOnly: false,
    required: false,
  });
  return [
    { ...column('Title', 'Title'), text: { allowMultipleLines: false, maxLength: 255 } },
    { ...column('Modified', 'Modified'), dateTime: { displayAs: 'default', format: 'dateTime' } },
    { ...column('Created', 'Created'), dateTime: { displayAs: 'default', format: 'dateTime' } },
    { ...column('_CheckinComment', 'Check In Comment', true), text: { maxLength: 1023 } },
  ];
}

/**
 * A stateful stand-in for one SharePoint document library behind Microsoft Graph: its list
 * and columns, list item fields, folders, simple uploads and upload sessions, answering with
 * Graph's shapes. Every request is logged; {@link FakeLibrary.fail} injects failures.
 */
export class FakeLibrary {
  readonly requests: SeenRequest[] = [];
  readonly columns: ColumnDefinition[] = libraryColumns();
  readonly fields = new Map<string, Record<string, unknown>>();
  readonly items = new Map<string, Item>();
  readonly sessions = new Map<string, Session>();
  readonly #faults: (Fault & { seen: number })[] = [];

  constructor() {
    this.items.set(ROOT_ID, {
      id: ROOT_ID,
      name: 'root',
      parentId: null,
      folder: true,
      version: 1,
    });
    this.items.set(CONTRACTS_ID, {
      id: CONTRACTS_ID,
      name: 'Contracts',
      parentId: ROOT_ID,
      folder: true,
      version: 1,
    });
    this.items.set(CONTRACT_ID, {
      id: CONTRACT_ID,
      name: 'Contract.docx',
      parentId: CONTRACTS_ID,
      folder: false,
      bytes: new Uint8Array([80, 75, 3, 4]),
      version: 3,
    });
    this.fields.set(CONTRACT_ID, { Title: 'Supply contract', FileLeafRef: 'Contract.docx' });
  }

  /** Answers the matching requests with a failure. */
  fail(fault: Fault): void {
    this.#faults.push({ ...fault, seen: 0 });
  }

  /** The logged requests with `method` whose URL matches `url`. */
  seen(method: string, url: RegExp): SeenRequest[] {
    return this.requests.filter((request) => request.method === method && url.test(request.url));
  }

  /** The file called `name` in the folder `parentId`. */
  file(parentId: string, name: string): Item | undefined {
    return this.#child(parentId, name);
  }

  /** msw handlers serving Graph and the library's upload URLs. */
  handlers() {
    return [
      http.all(`${GRAPH}/*`, ({ request }) => this.#serve(request)),
      http.all(`${SHAREPOINT}/sites/Legal/_api/v2.0/*`, ({ request }) => this.#serve(request)),
    ];
  }

  async #serve(request: Request): Promise<Response> {
    const url = new URL(request.url);
    const seen: SeenRequest = {
      method: request.method,
      url: decodeURIComponent(`${url.origin}${url.pathname}${url.search}`),
      headers: request.headers,
      body: await readBody(request),
    };
    this.requests.push(seen);
    let fault: Fault | undefined;
    for (const candidate of this.#faults) {
      if (candidate.method !== seen.method || !candidate.url.test(seen.url)) continue;
      candidate.seen += 1;
      const skip = candidate.skip ?? 0;
      const strikes = candidate.seen > skip && candidate.seen <= skip + (candidate.times ?? 1);
      if (strikes && fault === undefined) fault = candidate;
    }
    const early = fault !== undefined && fault.after !== true ? fault.response() : undefined;
    if (early !== undefined) return early;
    const response = this.#route(seen, url);
    return (fault?.after === true ? fault.response() : undefined) ?? response;
  }

  #route(request: SeenRequest, url: URL): Response {
    if (url.origin === SHAREPOINT) return this.#session(request, url);
    const path = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, '');
    const body = request.body as Record<string, unknown>;
    const routes: [string, RegExp, (groups: [string, string, string]) => Response][] = [
      ['GET', /^\/drives\/[^/]+\/list$/, () => this.#list()],
      ['GET', /^\/sites\/[^/]+\/lists\/[^/]+\/columns$/, () => this.#listColumns(url)],
      ['POST', /^\/sites\/[^/]+\/lists\/[^/]+\/columns$/, () => this.#createColumn(body)],
      [
        'PATCH',
        /^\/drives\/[^/]+\/items\/([^/:]+)\/listItem\/fields$/,
        ([, id]) => this.#patchFields(this.#id(id), body),
      ],
      [
        'GET',
        /^\/drives\/[^/]+\/root:\/(.+)$/,
        ([, at]) => this.#itemAtPath(ROOT_ID, at.split('/')),
      ],
      [
        'POST',
        /^\/drives\/[^/]+\/items\/([^/:]+)\/children$/,
        ([, id]) => this.#createFolder(this.#id(id), body),
      ],
      [
        'PUT',
        /^\/drives\/[^/]+\/items\/([^/:]+):\/([^/]+):\/content$/,
        ([, id, name]) => this.#putContent(this.#id(id), name, request.body),
      ],
      [
        'POST',
        /^\/drives\/[^/]+\/items\/([^/:]+):\/([^/]+):\/createUploadSession$/,
        ([, id, name]) => this.#createSession(this.#id(id), name),
      ],
      [
        'GET',
        /^\/drives\/[^/]+\/items\/([^/:]+):\/([^/]+)$/,
        ([, id, name]) => this.#itemAtPath(this.#id(id), [name]),
      ],
    ];
    for (const [method, pattern, handle] of routes) {
      const match = path.match(pattern);
      if (method === request.method && match !== null) {
        return handle([match[0], match[1] ?? '', match[2] ?? '']);
      }
    }
    return graphError(400, 'invalidRequest', `Unsupported request: ${request.method} ${path}`);
  }

  #list(): Response {
    return graphJson({
      '@odata.context': `${GRAPH}/$metadata#drives('${DRIVE_ID}')/list(id,parentReference)/$entity`,
      id: LIST_ID,
      parentReference: { siteId: SITE_ID },
    });
  }

  #listColumns(url: URL): Response {
    const select = url.searchParams.get('$select')?.split(',') ?? [];
    const visible = this.columns.filter((column) => !column.hidden || select.includes('hidden'));
    return graphJson({
      '@odata.context': `${GRAPH}/$metadata#sites('${SITE_ID}')/lists('${LIST_ID}')/columns`,
      value: visible,
    });
  }

  #createColumn(definition: ColumnDefinition): Response {
    const column: ColumnDefinition = {
      columnGroup: 'Custom Columns',
      enforceUniqueValues: false,
      hidden: false,
      indexed: false,
      readOnly: false,
      required: false,
      ...definition,
      id: randomUUID(),
    };
    this.columns.push(column);
    return graphJson(
      {
        '@odata.context': `${GRAPH}/$metadata#sites('${SITE_ID}')/lists('${LIST_ID}')/columns/$entity`,
        ...column,
      },
      201,
    );
  }

  #patchFields(itemId: string, body: Record<string, unknown>): Response {
    const known = new Set(this.columns.map((column) => column.name));
    const unknown = Object.keys(body).find((name) => !known.has(name));
    if (unknown !== undefined) {
      return graphError(400, 'invalidRequest', `Field '${unknown}' is not recognized`);
    }
    const fields = { ...this.fields.get(itemId), ...body };
    this.fields.set(itemId, fields);
    return graphJson({
      '@odata.context': `${GRAPH}/$metadata#drives('${DRIVE_ID}')/items('${itemId}')/listItem/fields/$entity`,
      '@odata.etag': '"4e5a1f0c-8a7b-4c2d-9e3f-1a2b3c4d5e6f,7"',
      id: '12',
      ...fields,
    });
  }

  #itemAtPath(fromId: string, names: string[]): Response {
    let item = this.items.get(fromId);
    for (const name of names) {
      item = item === undefined ? undefined : this.#child(item.id, name);
    }
    if (item === undefined)
      return graphError(404, 'itemNotFound', 'The resource could not be found.');
    return graphJson(this.#driveItem(item));
  }

  #createFolder(parentId: string, body: Record<string, unknown>): Response {
    const name = String(body.name);
    if (this.#child(parentId, name) !== undefined) {
      return graphError(409, 'nameAlreadyExists', 'The specified item name already exists.');
    }
    const folder: Item = { id: newItemId(), name, parentId, folder: true, version: 1 };
    this.items.set(folder.id, folder);
    return graphJson(this.#driveItem(folder), 201);
  }

  #putContent(parentId: string, name: string, body: unknown): Response {
    const bytes = body instanceof Uint8Array ? body : new Uint8Array();
    const { item, created } = this.#store(parentId, name, bytes);
    return graphJson(this.#driveItem(item), created ? 201 : 200);
  }

  #createSession(parentId: string, name: string): Response {
    const guid = randomUUID();
    this.sessions.set(guid, { parentId, name, parts: [], received: 0 });
    const tempauth = `v1.eyJhdWQiOiIwMDAwMDAwMy0wMDAwLTBmZjEtY2UwMC0wMDAwMDAwMDAwMDAifQ.${randomBytes(24).toString('base64url')}`;
    return graphJson({
      '@odata.context': `${GRAPH}/$metadata#microsoft.graph.uploadSession`,
      expirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
      nextExpectedRanges: ['0-'],
      uploadUrl: `${SHAREPOINT}/sites/Legal/_api/v2.0/drives/${DRIVE_ID}/items/${parentId}/uploadSession?guid='${guid}'&overwrite=True&rename=False&dc=0&tempauth=${tempauth}`,
    });
  }

  #session(request: SeenRequest, url: URL): Response {
    const guid = (url.searchParams.get('guid') ?? '').replaceAll("'", '');
    const session = this.sessions.get(guid);
    if (session === undefined) {
      return graphError(404, 'itemNotFound', 'The upload session was not found.');
    }
    const status = (code: number) =>
      graphJson(
        {
          expirationDateTime: new Date(Date.now() + 86_400_000).toISOString(),
          nextExpectedRanges: [`${session.received}-`],
        },
        code,
      );
    if (request.method === 'GET') return status(200);
    const range = request.headers.get('Content-Range')?.match(/^bytes (\d+)-(\d+)\/(\d+)$/);
    const bytes = request.body;
    if (range == null || !(bytes instanceof Uint8Array)) {
      return graphError(400, 'invalidRequest', 'Content-Range is missing or malformed.');
    }
    const [start, end, total] = [Number(range[1]), Number(range[2]), Number(range[3])];
    if (start !== session.received || end - start + 1 !== bytes.byteLength) {
      return graphError(
        416,
        'invalidRange',
        'The uploaded fragment does not match the expected range.',
      );
    }
    session.parts.push(bytes);
    session.received += bytes.byteLength;
    if (session.received < total) return status(202);
    this.sessions.delete(guid);
    const whole = new Uint8Array(Buffer.concat(session.parts));
    const { item, created } = this.#store(session.parentId, session.name, whole);
    return graphJson(this.#driveItem(item), created ? 201 : 200);
  }

  #store(parentId: string, name: string, bytes: Uint8Array): { item: Item; created: boolean } {
    const existing = this.#child(parentId, name);
    if (existing !== undefined) {
      existing.bytes = bytes;
      existing.version += 1;
      return { item: existing, created: false };
    }
    const item: Item = { id: newItemId(), name, parentId, folder: false, bytes, version: 1 };
    this.items.set(item.id, item);
    return { item, created: true };
  }

  #id(idOrAlias: string): string {
    return idOrAlias === 'root' ? ROOT_ID : idOrAlias;
  }

  #child(parentId: string, name: string): Item | undefined {
    const wanted = name.toLowerCase();
    return [...this.items.values()].find(
      (item) => item.parentId === parentId && item.name.toLowerCase() === wanted,
    );
  }

  #path(item: Item): string[] {
    const names: string[] = [];
    for (let at: Item | undefined = item; at !== undefined && at.parentId !== null; ) {
      names.unshift(at.name);
      at = this.items.get(at.parentId);
    }
    return names;
  }

  #driveItem(item: Item): Record<string, unknown> {
    const now = new Date().toISOString();
    const path = this.#path(item);
    const tag = `{${item.id.slice(8, 16)}-1370-44e7-a1f5-426573fda80a}`;
    return {
      '@odata.context': `${GRAPH}/$metadata#drives('${DRIVE_ID}')/items/$entity`,
      createdDateTime: now,
      eTag: `"${tag},${item.version}"`,
      id: item.id,
      lastModifiedDateTime: now,
      name: item.name,
      webUrl: `${SHAREPOINT}/sites/Legal/Shared%20Documents${path.map((name) => `/${encodeURIComponent(name)}`).join('')}`,
      cTag: `"c:${tag},${item.version}"`,
      size: item.bytes?.byteLength ?? 0,
      createdBy: {
        application: { id: '6731de76-14a6-49ae-97bc-6eba6914391e', displayName: 'Prism' },
      },
      parentReference: {
        driveType: 'documentLibrary',
        driveId: DRIVE_ID,
        id: item.parentId ?? undefined,
        path: `/drives/${DRIVE_ID}/root:${path
          .slice(0, -1)
          .map((name) => `/${name}`)
          .join('')}`,
        siteId: SITE_ID,
      },
      ...(item.folder
        ? { folder: { childCount: this.#children(item.id) } }
        : {
            file: {
              mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            },
          }),
    };
  }

  #children(folderId: string): number {
    return [...this.items.values()].filter((item) => item.parentId === folderId).length;
  }
}

async function readBody(request: Request): Promise<unknown> {
  if (request.method === 'GET' || request.method === 'DELETE') return undefined;
  const type = request.headers.get('Content-Type') ?? '';
  if (type.startsWith('application/json')) return request.json();
  return new Uint8Array(await request.arrayBuffer());
}
