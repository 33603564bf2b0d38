import type { DriveItem, Identity, IdentitySet } from '@microsoft/microsoft-graph-types';
import { SharePointFileError } from './file-error.js';

/** Who last changed a file: a person, or an application acting on its own. */
export type SharePointModifier =
  | {
      kind: 'user';
      /** The user's Microsoft Entra object id. */
      id: string | null;
      displayName: string | null;
      /** Their email address, which SharePoint and OneDrive for Business report. */
      email: string | null;
    }
  | {
      kind: 'application';
      /** The application (client) id. */
      id: string | null;
      displayName: string | null;
    };

/** A file in a SharePoint document library or a OneDrive, as Prism sees it. */
export interface SharePointFile {
  /** The drive (document library or OneDrive) that holds it. */
  driveId: string;
  /** Its id within that drive. */
  itemId: string;
  /** Its file name, extension included. */
  name: string;
  /** Its size in bytes. */
  size: number;
  /** Changes with any change to the item, its metadata included. */
  eTag: string;
  /** Changes only when the content changes; null when Graph does not report it. */
  cTag: string | null;
  /** Where a person opens it in the browser. */
  webUrl: string;
  /** The media type Graph determined for it, when it did. */
  mimeType: string | null;
  /** Who last changed it, when Graph says. */
  lastModifiedBy: SharePointModifier | null;
  /** When it last changed (ISO 8601). */
  lastModifiedDateTime: string;
  /** The folder's path, e.g. `/drives/{drive-id}/root:/Contracts`; Graph omits it for some shared items. */
  parentPath: string | null;
  /** The folder's item id. */
  parentId: string | null;
  /** The SharePoint site that holds the drive; null for OneDrive for consumers or when not reported. */
  siteId: string | null;
}

/** The driveItem properties a {@link SharePointFile} is made from: the `$select` of every read. */
export const DRIVE_ITEM_FIELDS = [
  'id',
  'name',
  'size',
  'eTag',
  'cTag',
  'webUrl',
  'file',
  'folder',
  'package',
  'remoteItem',
  'parentReference',
  'lastModifiedBy',
  'lastModifiedDateTime',
] as const;

/** An identity as SharePoint reports it: Graph's `identity` with the user's email. */
interface SharePointUserIdentity extends Identity {
  email?: string | null;
}

/**
 * Turns a Graph driveItem into a {@link SharePointFile}.
 *
 * @throws {SharePointFileError} `not_a_file` for a folder, a package (a OneNote notebook) or
 *   any item without a `file` facet; `unexpected_response` when its id, name, drive id or eTag
 *   is missing.
 */
export function toSharePointFile(item: DriveItem): SharePointFile {
  const name = item.name ?? '';
  if (item.folder || item.package || !item.file) {
    throw new SharePointFileError('not_a_file', `'${name}' is ${notAFile(item)}.`, {
      hint: 'Choose a single document (.docx, .pdf, .md, .txt or .html) rather than a folder or notebook.',
    });
  }
  const parent = item.parentReference;
  const driveId = parent?.driveId;
  if (!item.id || !name || !driveId || !item.eTag) {
    throw new SharePointFileError(
      'unexpected_response',
      'Microsoft Graph described the file without its id, name, drive id or eTag.',
      { hint: 'Try again; if it persists, the item may be in a location Prism does not support.' },
    );
  }
  return {
    driveId,
    itemId: item.id,
    name,
    size: item.size ?? 0,
    eTag: item.eTag,
    cTag: item.cTag ?? null,
    webUrl: item.webUrl ?? '',
    mimeType: item.file.mimeType ?? null,
    lastModifiedBy: modifier(item.lastModifiedBy),
    lastModifiedDateTime: item.lastModifiedDateTime ?? '',
    parentPath: parent.path ?? null,
    parentId: parent.id ?? null,
    siteId: parent.siteId ?? null,
  };
}

function notAFile(item: DriveItem): string {
  if (item.folder) return 'a folder, not a file';
  if (item.package?.type === 'oneNote') return 'a OneNote notebook, not a file';
  if (item.package) return 'a package, not a file';
  return 'not a file';
}

/**
 * The person when there is one (an app acting for a user shows the user), else the app. An
 * app's own change comes with a stand-in user, `SharePoint App`, that has no id or email: the
 * app is reported then.
 */
function modifier(identities: IdentitySet | null | undefined): SharePointModifier | null {
  const user = identities?.user as SharePointUserIdentity | null | undefined;
  const app = identities?.application;
  const person = user && (user.id || user.email);
  if (user && (person || !app)) {
    return {
      kind: 'user',
      id: user.id || null,
      displayName: user.displayName || null,
      email: user.email || null,
    };
  }
  if (app) return { kind: 'application', id: app.id || null, displayName: app.displayName || null };
  return null;
}
