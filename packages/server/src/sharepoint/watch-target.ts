import { encodeSharingUrl, graphFailure } from '@prism/connector-sharepoint';
import { PrismError } from '@prism/sdk';
import type { GraphClient } from './graph-clients.js';

/** The drive and folder a watch's target (the address of a library or a folder) stands for. */
export interface WatchTarget {
  /** The document library (drive). */
  driveId: string;
  /**
   * The folder as Graph writes its path, e.g. `/drives/{driveId}/root:/Contracts`; unset for
   * the library's root (the whole library).
   */
  folderPath?: string;
}

/** What a target resolution reads of a driveItem. */
interface TargetItem {
  id?: string;
  name?: string;
  root?: object | null;
  folder?: object | null;
  remoteItem?: { id?: string; parentReference?: { driveId?: string } } | null;
  parentReference?: { driveId?: string; path?: string } | null;
}

/** Why a watch's target or results folder was refused, beside the Graph failures. */
export type WatchTargetErrorCode =
  | 'watch_target_invalid'
  | 'watch_target_not_a_folder'
  | 'watch_results_folder_invalid';

/**
 * A watch target that is no link, or that names a file rather than a library or folder; or a
 * results folder that is no folder path.
 */
export class WatchTargetError extends PrismError {
  declare readonly code: WatchTargetErrorCode;

  constructor(code: WatchTargetErrorCode, message: string, hint: string, cause?: unknown) {
    super(code, message, { hint, ...(cause === undefined ? {} : { cause }) });
  }
}

const SELECT = 'id,name,root,folder,remoteItem,parentReference';

/**
 * Resolves a watch's target, the address of a document library or of a folder in one (as
 * copied from the browser, or a sharing link), to its drive and folder:
 * `GET /shares/{encoded}/driveItem` with `Prefer: redeemSharingLink`; a library answers with its
 * root folder (`root: {}`). A shared folder of another drive is followed to that drive; a
 * folder's path, which Graph may leave out of a `/shares` answer, is read by the folder's id.
 *
 * @throws {WatchTargetError} `watch_target_invalid` for a target that is not an http(s) URL;
 *   `watch_target_not_a_folder` for a file or a notebook.
 * @throws {GraphFailure} `item_not_found`, `access_denied`, `graph_unavailable`...
 */
export async function resolveWatchTarget(
  client: GraphClient,
  target: string,
): Promise<WatchTarget> {
  let share: string;
  try {
    share = encodeSharingUrl(target);
  } catch (error) {
    throw new WatchTargetError(
      'watch_target_invalid',
      `The watch target is not a link: '${target}'.`,
      'Give the address of a SharePoint document library or folder, as copied from the browser, starting with https://.',
      error,
    );
  }
  let item = await readItem(client, `/shares/${share}/driveItem`, true);
  const remote = item.remoteItem;
  if (remote?.id && remote.parentReference?.driveId) {
    item = await readItem(client, itemPath(remote.parentReference.driveId, remote.id), false);
  }
  const driveId = item.parentReference?.driveId;
  if (!item.id || !driveId) {
    throw new WatchTargetError(
      'watch_target_invalid',
      `Microsoft Graph described '${target}' without its drive.`,
      'Give the address of a SharePoint document library or of a folder in one.',
    );
  }
  if (item.root != null) return { driveId };
  if (item.folder == null) {
    throw new WatchTargetError(
      'watch_target_not_a_folder',
      `'${item.name ?? target}' is a file, not a library or folder.`,
      'Watch the library or folder the file is in: give its address instead.',
    );
  }
  const path =
    item.parentReference?.path ??
    (await readItem(client, itemPath(driveId, item.id), false)).parentReference?.path;
  if (path === undefined) {
    throw new WatchTargetError(
      'watch_target_invalid',
      `Microsoft Graph gave no path for the folder '${item.name ?? target}'.`,
      'Give the address of the folder as copied from the browser, or watch the whole library.',
    );
  }
  return { driveId, folderPath: `${path}/${encodeURIComponent(item.name ?? '')}` };
}

function itemPath(driveId: string, itemId: string): string {
  return `/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(itemId)}`;
}

async function readItem(client: GraphClient, path: string, redeem: boolean): Promise<TargetItem> {
  let request = client.api(path).query({ $select: SELECT });
  if (redeem) request = request.header('Prefer', 'redeemSharingLink');
  try {
    return (await request.get()) as TargetItem;
  } catch (error) {
    throw graphFailure(error, 'Opening the watch target');
  }
}
