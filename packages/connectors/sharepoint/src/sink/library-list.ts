import type { Client } from '@microsoft/microsoft-graph-client';
import type { List } from '@microsoft/microsoft-graph-types';
import { graphFailure } from '../graph/graph-errors.js';
import { SinkError } from './sink-error.js';

/** Where a document library's list lives: the ids its columns are addressed by. */
export interface LibraryList {
  /** The site's composite id, `host,siteCollectionId,webId`. */
  siteId: string;
  /** The list behind the library. */
  listId: string;
}

/** The SharePoint list behind the document library `driveId`. */
export async function findLibraryList(client: Client, driveId: string): Promise<LibraryList> {
  let list: List;
  try {
    list = await client
      .api(`/drives/${encodeURIComponent(driveId)}/list`)
      .select(['id', 'parentReference'])
      .get();
  } catch (error) {
    throw graphFailure(error, `Finding the list of drive ${driveId}`);
  }
  const siteId = list.parentReference?.siteId;
  if (typeof list.id !== 'string' || typeof siteId !== 'string') {
    throw new SinkError('not_a_library', `Drive ${driveId} is not a SharePoint document library.`, {
      hint: "Choose a SharePoint document library or a work OneDrive: a personal Microsoft account's OneDrive has no list to add columns to.",
    });
  }
  return { siteId, listId: list.id };
}
