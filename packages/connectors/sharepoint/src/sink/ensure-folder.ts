import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { DriveItem } from '@microsoft/microsoft-graph-types';
import { SinkError } from './sink-error.js';
import { sinkFailure } from './sink-failure.js';

/**
 * The id of the folder at `folderPath` (slash-separated, from the root of drive `driveId`),
 * creating each missing folder on the way with `conflictBehavior: fail`; a folder someone else
 * created meanwhile (409 `nameAlreadyExists`) is used as found. An empty path is the root.
 */
export async function ensureFolder(
  client: Client,
  driveId: string,
  folderPath: string,
  signal?: AbortSignal,
): Promise<string> {
  const segments = folderPath
    .split('/')
    .map((segment) => segment.trim())
    .filter((segment) => segment !== '');
  if (segments.length === 0) return 'root';
  const drive = `/drives/${encodeURIComponent(driveId)}`;
  const existing = await findItem(
    client,
    `${drive}/root:/${segments.map(encodeURIComponent).join('/')}`,
    signal,
  );
  if (existing !== null) return folderId(existing, folderPath);
  let parentId = 'root';
  for (const name of segments) {
    parentId = await createFolder(client, drive, parentId, name, signal);
  }
  return parentId;
}

/** Creates the folder `name` in `parentId`, or finds it when it exists already. */
async function createFolder(
  client: Client,
  drive: string,
  parentId: string,
  name: string,
  signal: AbortSignal | undefined,
): Promise<string> {
  const parent = `${drive}/items/${encodeURIComponent(parentId)}`;
  let created: DriveItem | null = null;
  try {
    created = await client
      .api(`${parent}/children`)
      .option('signal', signal)
      .post({ name, folder: {}, '@microsoft.graph.conflictBehavior': 'fail' });
  } catch (error) {
    if (!(error instanceof GraphError && error.statusCode === 409)) {
      throw sinkFailure(error, signal, `Creating the folder ${name}`);
    }
  }
  const folder =
    created ?? (await findItem(client, `${parent}:/${encodeURIComponent(name)}`, signal));
  if (folder === null) {
    throw new SinkError('not_a_folder', `The folder ${name} could be neither created nor found.`, {
      hint: 'Check the folder in the library, then try again.',
    });
  }
  return folderId(folder, name);
}

/** The item at `path`, or null when there is none. */
async function findItem(
  client: Client,
  path: string,
  signal: AbortSignal | undefined,
): Promise<DriveItem | null> {
  try {
    return await client.api(path).select(['id', 'name', 'folder']).option('signal', signal).get();
  } catch (error) {
    if (error instanceof GraphError && error.statusCode === 404) return null;
    throw sinkFailure(error, signal, `Looking up ${path}`);
  }
}

function folderId(item: DriveItem, path: string): string {
  if (item.folder == null || typeof item.id !== 'string') {
    throw new SinkError('not_a_folder', `${path} is a file, not a folder.`, {
      hint: 'Choose another folder for reviewed copies, or rename the file that has its name.',
    });
  }
  return item.id;
}
