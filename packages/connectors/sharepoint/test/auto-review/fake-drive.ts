import { randomBytes, randomUUID } from 'node:crypto';
import { HttpResponse, http } from 'msw';
import { CONTRACTS_ID, DRIVE_ID, FakeLibrary, ROOT_ID, SHAREPOINT } from '../sink/fake-library.js';
import { driveItem } from '../source/graph-fixtures.js';
import { deltaDeleted, deltaFile, deltaFolder, GRAPH, graphError } from '../watch/fixtures.js';

export { CONTRACTS_ID, DRIVE_ID, ROOT_ID, SHAREPOINT };

/** The Graph URL of the drive's delta query. */
export const DELTA_URL = `${GRAPH}/drives/${DRIVE_ID}/root/delta`;

/** Where SharePoint serves a file's bytes after the `/content` redirect. */
export const DOWNLOAD_URL = `${SHAREPOINT}/sites/Legal/_layouts/15/download.aspx`;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const MEDIA_TYPES: Record<string, string> = {
  docx: DOCX,
  pdf: 'application/pdf',
  md: 'text/markdown',
  txt: 'text/plain',
  png: 'image/png',
};

/** One request that reached Graph or the download host, with when it arrived. */
export interface GraphCall {
  method: string;
  url: string;
  /** `performance.now()` on arrival, in milliseconds. */
  at: number;
}

/** A stored page sequence of a delta enumeration that did not fit one page. */
interface PendingPages {
  items: Record<string, unknown>[];
  deltaToken: string;
}

/**
 * One SharePoint document library behind Graph, as the auto-reviewer sees it: the sink's
 * {@link FakeLibrary} (list columns, fields, folders, uploads) plus what watching needs — the
 * drive's delta feed (tokens, pages, deletions, 410 for a token it does not know), reading items
 * by id, downloads through the `/content` redirect, and subscriptions. Every request is
 * recorded in {@link calls}. The eTag of an item changes with its content, name, place or
 * fields; its cTag only with its content.
 */
export class FakeDrive {
  readonly library = new FakeLibrary();
  readonly calls: GraphCall[] = [];
  readonly subscriptions = new Map<string, { expirationDateTime: string; clientState: string }>();
  /** Items per delta page. */
  pageSize = 100;
  /**
   * What delta answers leave out, as Graph may: `path` (parentReference.path, which delta
   * answers omit by design) and `cTag`. Reading an item by id always gives both.
   */
  deltaOmits: ('path' | 'cTag')[] = [];
  /** Called after each delta page is made: a change made here happens after Graph answered. */
  afterDelta: (() => void) | undefined;
  readonly #snapshots = new Map<string, Map<string, string>>();
  readonly #pending = new Map<string, PendingPages>();
  readonly #eTags = new Map<string, { stamp: string; revision: number }>();
  #counter = 0;

  /** Adds a file to a folder (Contracts by default) and returns its item id. */
  addFile(name: string, bytes: Uint8Array, parentId = CONTRACTS_ID): string {
    this.#counter += 1;
    const id = `01BYE5RZ${String(this.#counter).padStart(6, '0')}${randomBytes(10).toString('hex').toUpperCase()}`;
    this.library.items.set(id, { id, name, parentId, folder: false, bytes, version: 1 });
    return id;
  }

  /** Adds a folder (to the root by default) and returns its item id. */
  addFolder(name: string, parentId = ROOT_ID): string {
    this.#counter += 1;
    const id = `01BYE5RZ${String(this.#counter).padStart(6, '0')}${randomBytes(10).toString('hex').toUpperCase()}`;
    this.library.items.set(id, { id, name, parentId, folder: true, version: 1 });
    return id;
  }

  /** Replaces a file's content, which gives it a new cTag. */
  editFile(id: string, bytes: Uint8Array): void {
    const item = this.library.items.get(id);
    if (item === undefined) throw new Error(`no item ${id}`);
    item.bytes = bytes;
    item.version += 1;
  }

  /** Deletes an item. */
  deleteFile(id: string): void {
    this.library.items.delete(id);
    this.library.fields.delete(id);
  }

  /** A delta link for changes from now on, as `token=latest` gives. */
  latestDeltaLink(): string {
    return deltaLink(this.#snapshot());
  }

  /** Graph's change notification collection for a subscription, as posted to the endpoint. */
  notification(subscriptionId: string, clientState: string): Record<string, unknown> {
    return {
      value: [
        {
          subscriptionId,
          clientState,
          changeType: 'updated',
          resource: `drives/${DRIVE_ID}/root`,
          subscriptionExpirationDateTime:
            this.subscriptions.get(subscriptionId)?.expirationDateTime ??
            '2024-05-31T17:00:00.0000000Z',
          tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
          resourceData: null,
        },
      ],
    };
  }

  /** Graph's lifecycle notification collection, as posted to the lifecycle endpoint. */
  lifecycleNotification(
    subscriptionId: string,
    clientState: string,
    lifecycleEvent: string,
  ): Record<string, unknown> {
    return {
      value: [
        {
          subscriptionId,
          subscriptionExpirationDateTime: '2024-05-31T17:00:00.0000000Z',
          tenantId: '84bd8158-6d4d-4958-8b9f-9d6445542f95',
          clientState,
          lifecycleEvent,
        },
      ],
    };
  }

  /** msw handlers: every call recorded, then the drive's own routes, then the library's. */
  handlers() {
    return [
      http.all(`${GRAPH}/*`, ({ request }) => this.#serve(request)),
      http.get(DOWNLOAD_URL, ({ request }) => this.#download(request)),
      ...this.library.handlers(),
    ];
  }

  async #serve(request: Request): Promise<Response | undefined> {
    this.calls.push({ method: request.method, url: request.url, at: performance.now() });
    const url = new URL(request.url);
    const path = decodeURIComponent(url.pathname).replace(/^\/v1\.0/, '');
    if (request.method === 'GET' && path === `/drives/${DRIVE_ID}/root/delta`) {
      return this.#delta(url);
    }
    const item = /^\/drives\/[^/]+\/items\/([^/:]+)(\/content)?$/.exec(path);
    if (request.method === 'GET' && item !== null) {
      return item[2] === undefined ? this.#item(item[1] ?? '') : this.#content(item[1] ?? '');
    }
    if (path === '/subscriptions' && request.method === 'POST') {
      return this.#subscribe((await request.json()) as Record<string, unknown>);
    }
    const subscription = /^\/subscriptions\/([^/]+)$/.exec(path);
    if (subscription !== null) {
      return this.#subscription(request, subscription[1] ?? '');
    }
    return undefined;
  }

  #delta(url: URL): Response {
    const page = this.#deltaPage(url);
    this.afterDelta?.();
    return page;
  }

  #deltaPage(url: URL): Response {
    const token = url.searchParams.get('token');
    if (token === 'latest') return deltaPage([], { deltaLink: this.latestDeltaLink() });
    if (token === null) return this.#paginate(this.#changesSince(new Map()));
    const pending = this.#pending.get(token);
    if (pending !== undefined) {
      this.#pending.delete(token);
      return this.#page(pending);
    }
    const snapshot = this.#snapshots.get(token);
    if (snapshot === undefined) {
      return graphError(
        410,
        'resyncRequired',
        'Resync required. Replace any local items with the server version (including deletes) if you are sure that the service was up to date with your local changes when you last synchronized.',
        { Location: DELTA_URL },
        'resyncChangesApplyDifferences',
      );
    }
    return this.#paginate(this.#changesSince(snapshot));
  }

  #paginate(items: Record<string, unknown>[]): Response {
    return this.#page({ items, deltaToken: this.#snapshot() });
  }

  #page(pages: PendingPages): Response {
    const value = pages.items.slice(0, this.pageSize);
    const rest = pages.items.slice(this.pageSize);
    if (rest.length === 0) return deltaPage(value, { deltaLink: deltaLink(pages.deltaToken) });
    const next = token();
    this.#pending.set(next, { items: rest, deltaToken: pages.deltaToken });
    return deltaPage(value, { nextLink: deltaLink(next) });
  }

  /** The delta items for what changed since `snapshot`: changed or new items, then deletions. */
  #changesSince(snapshot: ReadonlyMap<string, string>): Record<string, unknown>[] {
    const changed: Record<string, unknown>[] = [];
    for (const item of this.library.items.values()) {
      if (item.id === ROOT_ID || snapshot.get(item.id) === this.#stamp(item.id)) continue;
      changed.push(
        item.folder
          ? deltaFolder(item.id, item.name)
          : this.#omitted(deltaFile(item.id, item.name, this.#facets(item.id))),
      );
    }
    for (const id of snapshot.keys()) {
      if (!this.library.items.has(id)) changed.push(deltaDeleted(id));
    }
    return changed;
  }

  #omitted(item: Record<string, unknown>): Record<string, unknown> {
    const { cTag, parentReference, ...rest } = item;
    const { path, ...parent } = parentReference as Record<string, unknown>;
    return {
      ...rest,
      ...(this.deltaOmits.includes('cTag') ? {} : { cTag }),
      parentReference: this.deltaOmits.includes('path') ? parent : { ...parent, path },
    };
  }

  #snapshot(): string {
    const stamps = new Map<string, string>();
    for (const id of this.library.items.keys()) stamps.set(id, this.#stamp(id));
    const name = token();
    this.#snapshots.set(name, stamps);
    return name;
  }

  /** What an item's eTag stands for: its content, name, place and fields. */
  #stamp(id: string): string {
    const item = this.library.items.get(id);
    return JSON.stringify([
      item?.version,
      item?.name,
      item?.parentId,
      this.library.fields.get(id) ?? null,
    ]);
  }

  /** The properties of a file that delta answers and item reads share. */
  #facets(id: string): Record<string, unknown> {
    const item = this.library.items.get(id);
    if (item === undefined) throw new Error(`no item ${id}`);
    const guid = `{${id.slice(8, 16)}-1370-44e7-a1f5-${id.slice(-12).toLowerCase()}}`;
    const parent = item.parentId === null ? undefined : this.library.items.get(item.parentId);
    const folders = this.#folders(item.parentId);
    const extension = /\.([^.]+)$/.exec(item.name)?.[1]?.toLowerCase() ?? '';
    return {
      cTag: `"c:${guid},${item.version}"`,
      eTag: `"${guid},${this.#eTagRevision(id)}"`,
      size: item.bytes?.byteLength ?? 0,
      webUrl: `${SHAREPOINT}/sites/Legal/Shared%20Documents${[...folders, item.name].map((name) => `/${encodeURIComponent(name)}`).join('')}`,
      lastModifiedDateTime: '2024-05-02T09:14:31Z',
      parentReference: {
        driveType: 'documentLibrary',
        driveId: DRIVE_ID,
        id: item.parentId,
        ...(parent === undefined || parent.id === ROOT_ID ? {} : { name: parent.name }),
        path: `/drives/${DRIVE_ID}/root:${folders.map((name) => `/${name}`).join('')}`,
      },
      file: {
        mimeType: MEDIA_TYPES[extension] ?? 'application/octet-stream',
        hashes: { quickXorHash: 'jfc4GZxDNQzK2n2bsiY5iiQvC5M=' },
      },
    };
  }

  #eTagRevision(id: string): number {
    const stamp = this.#stamp(id);
    const known = this.#eTags.get(id);
    if (known === undefined) {
      this.#eTags.set(id, { stamp, revision: 1 });
      return 1;
    }
    if (known.stamp !== stamp) {
      known.stamp = stamp;
      known.revision += 1;
    }
    return known.revision;
  }

  /** The names of the folders from the root down to `folderId`. */
  #folders(folderId: string | null): string[] {
    const names: string[] = [];
    for (let at = folderId; at !== null && at !== ROOT_ID; ) {
      const folder = this.library.items.get(at);
      if (folder === undefined) break;
      names.unshift(folder.name);
      at = folder.parentId;
    }
    return names;
  }

  #item(id: string): Response {
    const item = this.library.items.get(id);
    if (item === undefined || item.folder) {
      return graphError(404, 'itemNotFound', 'The resource could not be found.');
    }
    return HttpResponse.json(
      driveItem({
        '@odata.context': `${GRAPH}/$metadata#drives('${DRIVE_ID}')/items/$entity`,
        id,
        name: item.name,
        ...this.#facets(id),
      }),
    );
  }

  #content(id: string): Response {
    if (!this.library.items.has(id)) {
      return graphError(404, 'itemNotFound', 'The resource could not be found.');
    }
    const tempauth = `v1.eyJzaXRlaWQiOiJ0ZXN0In0.${randomBytes(12).toString('base64url')}`;
    return new HttpResponse(null, {
      status: 302,
      headers: {
        Location: `${DOWNLOAD_URL}?UniqueId=${id}&Translate=false&tempauth=${tempauth}&ApiVersion=2.0`,
      },
    });
  }

  #download(request: Request): Response {
    this.calls.push({ method: request.method, url: request.url, at: performance.now() });
    const id = new URL(request.url).searchParams.get('UniqueId') ?? '';
    const bytes = this.library.items.get(id)?.bytes;
    if (bytes === undefined) return new HttpResponse(null, { status: 404 });
    return new HttpResponse(bytes, {
      headers: {
        'Content-Type': 'application/octet-stream',
        'Content-Length': String(bytes.byteLength),
      },
    });
  }

  #subscribe(body: Record<string, unknown>): Response {
    const id = randomUUID();
    const expirationDateTime = String(body.expirationDateTime);
    this.subscriptions.set(id, { expirationDateTime, clientState: String(body.clientState) });
    return HttpResponse.json(subscriptionEntity(id, { ...body, expirationDateTime }), {
      status: 201,
    });
  }

  async #subscription(request: Request, id: string): Promise<Response | undefined> {
    const known = this.subscriptions.get(id);
    if (known === undefined)
      return graphError(404, 'ResourceNotFound', 'The object was not found.');
    if (request.method === 'DELETE') {
      this.subscriptions.delete(id);
      return new HttpResponse(null, { status: 204 });
    }
    if (request.method !== 'PATCH') return undefined;
    const body = (await request.json()) as Record<string, unknown>;
    known.expirationDateTime = String(body.expirationDateTime);
    return HttpResponse.json(
      subscriptionEntity(id, { expirationDateTime: known.expirationDateTime }),
    );
  }
}

function token(): string {
  return randomBytes(48).toString('base64url');
}

function deltaLink(name: string): string {
  return `${DELTA_URL}?$select=id,name,cTag,eTag,size,file,folder,root,deleted,parentReference,webUrl,lastModifiedDateTime&token=${name}`;
}

function deltaPage(
  value: Record<string, unknown>[],
  link: { deltaLink: string } | { nextLink: string },
): Response {
  return HttpResponse.json({
    '@odata.context': `${GRAPH}/$metadata#Collection(driveItem)`,
    ...('deltaLink' in link
      ? { '@odata.deltaLink': link.deltaLink }
      : { '@odata.nextLink': link.nextLink }),
    value,
  });
}

/** Graph's answer to a created or renewed subscription (`clientState` is never echoed). */
function subscriptionEntity(id: string, body: Record<string, unknown>): Record<string, unknown> {
  return {
    '@odata.context': `${GRAPH}/$metadata#subscriptions/$entity`,
    id,
    resource: `/drives/${DRIVE_ID}/root`,
    applicationId: '24d3b144-21ae-4080-943f-7067b395b913',
    changeType: 'updated',
    clientState: null,
    notificationUrl: body.notificationUrl ?? 'https://prism.contoso.com/hooks/graph',
    lifecycleNotificationUrl:
      body.lifecycleNotificationUrl ?? 'https://prism.contoso.com/hooks/graph',
    expirationDateTime: body.expirationDateTime,
    creatorId: '8ee44408-0679-472c-bc2a-692812af3437',
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
  };
}
