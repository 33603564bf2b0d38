import { randomBytes, randomUUID } from 'node:crypto';

/** The SharePoint host of Contoso. */
export const SHAREPOINT = 'https://contoso.sharepoint.com';
/** The QA site's "Documents" library, as its address shows in the browser. */
export const LIBRARY_URL = `${SHAREPOINT}/sites/qa/Shared%20Documents`;
/** The library's drive id, as Graph spells them. */
export const DRIVE_ID = 'b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3-Z8RY2VpuvV_tpd';
/** The QA site's composite id. */
export const SITE_ID =
  'contoso.sharepoint.com,2c712604-1370-44e7-a1f5-426573fda80a,2d2244c3-251a-49ea-93a8-39e1c3a060fe';
/** The list behind the library. */
export const LIST_ID = 'b1d1d5b6-0c0a-4a3e-9c3f-5a5c1e2d7f40';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A file or folder of the library. */
export interface LibraryItem {
  id: string;
  name: string;
  /** The parent folder's id; null for the root. */
  parentId: string | null;
  /** The content of a file; undefined for a folder. */
  bytes?: Uint8Array;
  /** Changes with the content (the cTag). */
  contentVersion: number;
  /** Changes with the content, the name, the place or the fields (the eTag). */
  revision: number;
  /** The list item's fields (the library's columns). */
  fields: Record<string, unknown>;
}

/** A column of the library's list, as `GET .../columns` lists it. */
export interface LibraryColumn {
  id: string;
  name: string;
  displayName: string;
  hidden: boolean;
  [facet: string]: unknown;
}

/**
 * One SharePoint document library: its folders and files, its list's columns and each file's
 * fields, and what Graph's delta query needs (a snapshot of every item's eTag per token).
 * Items are rendered as Graph's `driveItem`s.
 */
export class Library {
  /** The folders and files, by id. */
  readonly items = new Map<string, LibraryItem>();
  /** The list's columns: a new library's own, then those added. */
  readonly columns: LibraryColumn[] = [
    column('Title', 'Title', { text: { maxLength: 255 } }),
    column('Created', 'Created', { dateTime: { format: 'dateTime' } }),
    column('Modified', 'Modified', { dateTime: { format: 'dateTime' } }),
    {
      ...column('_CheckinComment', 'Check In Comment', { text: { maxLength: 1023 } }),
      hidden: true,
    },
  ];
  /** The root folder's id. */
  readonly rootId: string;
  readonly #snapshots = new Map<string, Map<string, number>>();

  constructor() {
    this.rootId = this.#add({ name: 'root', parentId: null });
  }

  /** Adds a folder (to the root by default) and returns its id. */
  addFolder(name: string, parentId = this.rootId): string {
    return this.#add({ name, parentId });
  }

  /** Stores a file in a folder, replacing the content of one of the same name; its id. */
  putFile(parentId: string, name: string, bytes: Uint8Array): { id: string; created: boolean } {
    const existing = this.child(parentId, name);
    if (existing === undefined) return { id: this.#add({ name, parentId, bytes }), created: true };
    existing.bytes = bytes;
    existing.contentVersion += 1;
    existing.revision += 1;
    return { id: existing.id, created: false };
  }

  /** Merges `values` into a file's fields (its eTag changes, not its cTag). */
  patchFields(id: string, values: Record<string, unknown>): Record<string, unknown> {
    const item = this.items.get(id);
    if (item === undefined) throw new Error(`no item ${id}`);
    item.fields = { ...item.fields, ...values };
    item.revision += 1;
    return item.fields;
  }

  /** The item called `name` (case-insensitively, as SharePoint) in folder `parentId`. */
  child(parentId: string, name: string): LibraryItem | undefined {
    const wanted = name.toLowerCase();
    return [...this.items.values()].find(
      (item) => item.parentId === parentId && item.name.toLowerCase() === wanted,
    );
  }

  /** The item at a slash-separated path from the root. */
  atPath(path: string): LibraryItem | undefined {
    let item = this.items.get(this.rootId);
    for (const name of path.split('/').filter(Boolean)) {
      item = item === undefined ? undefined : this.child(item.id, name);
    }
    return item;
  }

  /** The item whose address in the browser is `url`. */
  atUrl(url: string): LibraryItem | undefined {
    const wanted = url.replace(/\/+$/, '');
    return [...this.items.values()].find((item) => this.#webUrl(item) === wanted);
  }

  /** Remembers every item's eTag under a new delta token, which is returned. */
  snapshot(): string {
    const token = randomBytes(32).toString('base64url');
    this.#snapshots.set(
      token,
      new Map([...this.items.values()].map((item) => [item.id, item.revision])),
    );
    return token;
  }

  /** The items changed since the snapshot `token` (undefined for a token never given). */
  changedSince(token: string): LibraryItem[] | undefined {
    const snapshot = this.#snapshots.get(token);
    if (snapshot === undefined) return undefined;
    return [...this.items.values()].filter(
      (item) => item.id !== this.rootId && snapshot.get(item.id) !== item.revision,
    );
  }

  /** The item as Graph's `driveItem` resource. */
  driveItem(item: LibraryItem): Record<string, unknown> {
    const guid = `{${item.id.slice(8, 16)}-1370-44e7-a1f5-${item.id.slice(-12).toLowerCase()}}`;
    const common = {
      id: item.id,
      name: item.name,
      eTag: `"${guid},${item.revision}"`,
      createdDateTime: '2026-11-02T09:14:31Z',
      lastModifiedDateTime: '2026-11-02T09:14:31Z',
      webUrl: this.#webUrl(item),
      size: item.bytes?.byteLength ?? 0,
    };
    if (item.parentId === null) {
      return {
        ...common,
        root: {},
        folder: { childCount: this.#children(item.id) },
        parentReference: { driveType: 'documentLibrary', driveId: DRIVE_ID },
      };
    }
    const parentReference = {
      driveType: 'documentLibrary',
      driveId: DRIVE_ID,
      id: item.parentId,
      path: `/drives/${DRIVE_ID}/root:${this.#names(item.parentId)
        .map((name) => `/${encodeURIComponent(name)}`)
        .join('')}`,
      siteId: SITE_ID,
    };
    if (item.bytes === undefined) {
      return { ...common, parentReference, folder: { childCount: this.#children(item.id) } };
    }
    return {
      ...common,
      cTag: `"c:${guid},${item.contentVersion}"`,
      parentReference,
      file: { mimeType: DOCX, hashes: { quickXorHash: 'jfc4GZxDNQzK2n2bsiY5iiQvC5M=' } },
    };
  }

  #add(item: Pick<LibraryItem, 'name' | 'parentId' | 'bytes'>): string {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    const id = `01BYE5RZ${Array.from(randomBytes(26), (byte) => alphabet[byte % 32]).join('')}`;
    this.items.set(id, { ...item, id, contentVersion: 1, revision: 1, fields: {} });
    return id;
  }

  /** The names of the folders from the root down to `id`, the root excluded. */
  #names(id: string | null): string[] {
    const names: string[] = [];
    for (let at = id === null ? undefined : this.items.get(id); at?.parentId != null; ) {
      names.unshift(at.name);
      at = this.items.get(at.parentId);
    }
    return names;
  }

  #webUrl(item: LibraryItem): string {
    return [LIBRARY_URL, ...this.#names(item.id).map(encodeURIComponent)].join('/');
  }

  #children(id: string): number {
    return [...this.items.values()].filter((item) => item.parentId === id).length;
  }
}

function column(name: string, displayName: string, facet: Record<string, unknown>): LibraryColumn {
  return { id: randomUUID(), name, displayName, hidden: false, ...facet };
}
