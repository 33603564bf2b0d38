import type { Client } from '@microsoft/microsoft-graph-client';
import type { DriveItem } from '@microsoft/microsoft-graph-types';
import { graphFailure } from '../graph/graph-errors.js';
import { encodeSharingUrl } from '../sharing-url.js';
import { DRIVE_ITEM_FIELDS, type SharePointFile, toSharePointFile } from './sharepoint-file.js';

/**
 * Which file to read: by its drive and item ids (from a change notification or a listing), or
 * by any link to it (a sharing link, or the address of the file in the browser).
 */
export type SharePointFileRef = { driveId: string; itemId: string } | { sharingUrl: string };

/** What {@link getFile} accepts besides the file. */
export interface GetFileOptions {
  /** Aborts the request; the signal's reason is thrown. */
  signal?: AbortSignal;
}

/**
 * Reads a file's details from Microsoft Graph, fetching only the properties Prism uses. A link
 * is resolved with `GET /shares/{encoded link}/driveItem` and `Prefer: redeemSharingLink`,
 * which records access the way opening the link in a browser does, so the file can be
 * downloaded by its ids afterwards. An item that stands for a file in another drive (a shared
 * file added to a OneDrive) is followed to that file.
 *
 * @throws {SharePointFileError} `not_a_file` for a folder or a OneNote notebook.
 * @throws {PrismError} `invalid_sharing_url` for a link that is not an http(s) URL; the
 *   Graph failures of {@link graphFailure} (`item_not_found`, `access_denied`...).
 */
export async function getFile(
  client: Client,
  ref: SharePointFileRef,
  options: GetFileOptions = {},
): Promise<SharePointFile> {
  const item =
    'sharingUrl' in ref
      ? await readItem(client, `/shares/${encodeSharingUrl(ref.sharingUrl)}/driveItem`, {
          action: 'Opening the shared link',
          redeem: true,
          signal: options.signal,
        })
      : await readItem(client, itemPath(ref.driveId, ref.itemId), {
          action: `Reading item ${ref.itemId} of drive ${ref.driveId}`,
          redeem: false,
          signal: options.signal,
        });
  const remote = item.remoteItem;
  const remoteDriveId = remote?.parentReference?.driveId;
  if (remote?.id && remoteDriveId) {
    const target = await readItem(client, itemPath(remoteDriveId, remote.id), {
      action: `Reading item ${remote.id} of drive ${remoteDriveId}`,
      redeem: false,
      signal: options.signal,
    });
    return toSharePointFile(target);
  }
  return toSharePointFile(item);
}

/** `/drives/{drive-id}/items/{item-id}`, each id escaped as a path segment. */
export function itemPath(driveId: string, itemId: string): string {
  return `/drives/${encodeURIComponent(driveId)}/items/${encodeURIComponent(itemId)}`;
}

async function readItem(
  client: Client,
  path: string,
  how: { action: string; redeem: boolean; signal: AbortSignal | undefined },
): Promise<DriveItem> {
  let request = client.api(path).select([...DRIVE_ITEM_FIELDS]);
  if (how.redeem) request = request.header('Prefer', 'redeemSharingLink');
  if (how.signal) request = request.option('signal', how.signal);
  try {
    return (await request.get()) as DriveItem;
  } catch (error) {
    how.signal?.throwIfAborted();
    throw graphFailure(error, how.action);
  }
}
