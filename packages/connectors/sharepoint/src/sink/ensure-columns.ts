import type { Client } from '@microsoft/microsoft-graph-client';
import type { ColumnDefinition } from '@microsoft/microsoft-graph-types';
import { GraphFailure, graphFailure } from '../graph/graph-errors.js';
import { findLibraryList } from './library-list.js';
import { PRISM_COLUMNS, type PrismColumn } from './prism-columns.js';

/** The library whose columns {@link ensureColumns} sets up. */
export interface ColumnsTarget {
  /** The drive id of the document library. */
  driveId: string;
}

/** What {@link ensureColumns} found and did. */
export interface EnsuredColumns {
  /** The site the library belongs to. */
  siteId: string;
  /** The list behind the library. */
  listId: string;
  /** The Prism columns this call created; empty when they were all there already. */
  created: PrismColumn[];
}

/** A page of `GET /sites/{site}/lists/{list}/columns`. */
interface ColumnPage {
  value: ColumnDefinition[];
  '@odata.nextLink'?: string;
}

const PERMISSION_HINT =
  'Adding columns to a library needs the Microsoft Graph permission Sites.Manage.All: grant it to the Prism app, or ask a site owner to create the Prism columns in the library by hand.';

/**
 * Adds the {@link PRISM_COLUMNS} the document library `driveId` lacks, and only those: a second
 * run creates nothing. A column counts as present when its internal name matches, hidden or not.
 */
export async function ensureColumns(
  client: Client,
  target: ColumnsTarget,
): Promise<EnsuredColumns> {
  try {
    const { siteId, listId } = await findLibraryList(client, target.driveId);
    const columnsPath = `/sites/${siteId}/lists/${encodeURIComponent(listId)}/columns`;
    const present = await existingColumnNames(client, columnsPath);
    const created: PrismColumn[] = [];
    for (const column of Object.values(PRISM_COLUMNS)) {
      if (present.has(column.name.toLowerCase())) continue;
      try {
        await client.api(columnsPath).post(columnDefinition(column));
      } catch (error) {
        throw graphFailure(error, `Creating the column ${column.name}`);
      }
      created.push(column);
    }
    return { siteId, listId, created };
  } catch (error) {
    throw withPermissionHint(error);
  }
}

/** The internal names (lower-cased) of every column of the list, hidden ones included. */
async function existingColumnNames(client: Client, columnsPath: string): Promise<Set<string>> {
  const names = new Set<string>();
  let page: ColumnPage;
  try {
    page = await client.api(columnsPath).select(['id', 'name', 'displayName', 'hidden']).get();
    for (;;) {
      for (const column of page.value) {
        if (typeof column.name === 'string') names.add(column.name.toLowerCase());
      }
      const next = page['@odata.nextLink'];
      if (next === undefined) break;
      page = await client.api(next).get();
    }
  } catch (error) {
    throw graphFailure(error, 'Reading the columns of the library');
  }
  return names;
}

/** The Graph `columnDefinition` that creates `column` in a list. */
function columnDefinition(column: PrismColumn): ColumnDefinition {
  const base: ColumnDefinition = {
    name: column.name,
    displayName: column.displayName,
    description: column.description,
  };
  const type = column.type;
  switch (type.kind) {
    case 'choice':
      return {
        ...base,
        choice: { allowTextEntry: false, choices: [...type.choices], displayAs: 'dropDownMenu' },
      };
    case 'number':
      return {
        ...base,
        number: {
          decimalPlaces: 'none',
          displayAs: 'number',
          minimum: type.minimum,
          ...(type.maximum === undefined ? {} : { maximum: type.maximum }),
        },
      };
    case 'text':
      return { ...base, text: { allowMultipleLines: false, maxLength: type.maxLength } };
  }
}

/** An `access_denied` failure, re-told with the permission that creating columns needs. */
function withPermissionHint(error: unknown): unknown {
  if (!(error instanceof GraphFailure) || error.code !== 'access_denied') return error;
  return new GraphFailure(
    'access_denied',
    error.message,
    {
      status: error.status,
      graphCode: error.graphCode,
      requestId: error.requestId,
      retryAfterMs: error.retryAfterMs,
    },
    { hint: PERMISSION_HINT, cause: error.cause },
  );
}
