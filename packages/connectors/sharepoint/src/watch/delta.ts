import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { DriveItem } from '@microsoft/microsoft-graph-types';
import { graphFailure } from '../graph/graph-errors.js';
import { type DeltaChange, latestPerItem, toDeltaChange } from './delta-change.js';
import { WatchError } from './watch-error.js';

/**
 * The driveItem properties a watch reads. Asked for explicitly: SharePoint leaves `cTag` out of
 * delta answers unless it is selected. Links Graph returns keep the selection.
 */
export const DELTA_SELECT =
  'id,name,cTag,eTag,size,file,folder,root,deleted,parentReference,webUrl,lastModifiedDateTime';

/** Pages one {@link runDelta} call follows by default before it stops and reports a `partial` outcome. */
export const DEFAULT_DELTA_MAX_PAGES = 50;

/** How {@link runDelta} runs. */
export interface RunDeltaOptions {
  /** Stops the run: the pending request is aborted and the signal's reason is thrown. */
  signal?: AbortSignal;
  /** Pages to follow before stopping with a `partial` outcome. Default {@link DEFAULT_DELTA_MAX_PAGES}. */
  maxPages?: number;
}

/** The outcome of a delta run. */
export type DeltaOutcome =
  | {
      /** Every change is read: keep `deltaLink` for the next run. */
      status: 'complete';
      changes: DeltaChange[];
      deltaLink: string;
    }
  | {
      /** The page budget ran out first: handle `changes`, then run again from `nextLink`. */
      status: 'partial';
      changes: DeltaChange[];
      nextLink: string;
    }
  | {
      /**
       * Graph can no longer answer from this link (410 Gone: it expired or the drive's state
       * moved on). Run again from `resyncLink`, which enumerates the whole drive afresh; seen
       * versions keep files already reviewed from being reviewed again.
       */
      status: 'resync';
      resyncLink: string;
      /** Graph's reason, e.g. `resyncChangesApplyDifferences`, when it gives one. */
      reason: string | undefined;
    };

interface DeltaPage {
  value?: DriveItem[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

/**
 * The link that enumerates a drive's whole hierarchy: where a watch starts when it must read
 * every existing file, and where a resync starts when Graph gives no `Location`.
 */
export function fullDeltaLink(driveId: string): string {
  return `/drives/${encodeURIComponent(driveId)}/root/delta?$select=${DELTA_SELECT}`;
}

/**
 * A delta link for changes from now on, without enumerating existing files
 * (`GET /drives/{driveId}/root/delta?token=latest`, which answers no items).
 */
export async function initialDeltaLink(
  client: Client,
  driveId: string,
  options: Pick<RunDeltaOptions, 'signal'> = {},
): Promise<string> {
  const outcome = await runDelta(client, `${fullDeltaLink(driveId)}&token=latest`, {
    ...options,
    maxPages: 1,
  });
  if (outcome.status !== 'complete') {
    throw new WatchError(
      'unexpected_graph_response',
      `Graph gave no delta link for drive ${driveId} when asked for the latest one.`,
      { hint: 'Retry; if it persists, check that the drive exists and supports delta queries.' },
    );
  }
  return outcome.deltaLink;
}

/**
 * Reads the changes since `link` (a delta link, a next link, or a path such as
 * {@link fullDeltaLink}), following `@odata.nextLink` until Graph gives an `@odata.deltaLink`.
 * Changes come one per item, files and deletions only. Throttling (429, 503) is retried by the
 * Graph client; other Graph failures become `PrismError`s.
 */
export async function runDelta(
  client: Client,
  link: string,
  options: RunDeltaOptions = {},
): Promise<DeltaOutcome> {
  const { signal, maxPages = DEFAULT_DELTA_MAX_PAGES } = options;
  if (!Number.isInteger(maxPages) || maxPages < 1) {
    throw new WatchError(
      'invalid_watch_option',
      `maxPages must be a whole number of at least 1, not ${maxPages}.`,
      { hint: 'Leave maxPages unset to use the default.' },
    );
  }
  const changes: DeltaChange[] = [];
  let next = checkedLink(link);
  for (let page = 1; ; page += 1) {
    signal?.throwIfAborted();
    const answer = await fetchPage(client, next, signal);
    if ('resyncLink' in answer) return answer;
    for (const item of answer.value ?? []) {
      const change = toDeltaChange(item);
      if (change !== undefined) changes.push(change);
    }
    const deltaLink = answer['@odata.deltaLink'];
    if (deltaLink !== undefined) {
      return { status: 'complete', changes: latestPerItem(changes), deltaLink };
    }
    const nextLink = answer['@odata.nextLink'];
    if (nextLink === undefined) {
      throw new WatchError(
        'unexpected_graph_response',
        'A delta page came without @odata.nextLink or @odata.deltaLink.',
        { hint: 'Retry from the same link; if it persists, start again from fullDeltaLink().' },
      );
    }
    next = checkedLink(nextLink);
    if (page >= maxPages) {
      return { status: 'partial', changes: latestPerItem(changes), nextLink: next };
    }
  }
}

async function fetchPage(
  client: Client,
  link: string,
  signal: AbortSignal | undefined,
): Promise<DeltaPage | Extract<DeltaOutcome, { status: 'resync' }>> {
  try {
    const request = client.api(link);
    if (signal !== undefined) request.option('signal', signal);
    const page: DeltaPage = await request.get();
    return page;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof GraphError && error.statusCode === 410) return resyncFrom(error);
    throw graphFailure(error, 'Reading drive changes (delta query)');
  }
}

function resyncFrom(error: GraphError): Extract<DeltaOutcome, { status: 'resync' }> {
  const location = error.headers?.get('Location');
  const inner = innerErrorCode(error.body);
  const reason = typeof inner === 'string' ? inner : (error.code ?? undefined);
  if (location === null || location === undefined) {
    throw new WatchError(
      'delta_resync_required',
      'Graph can no longer answer from this delta link and gave no link to resync from.',
      { hint: 'Run the watch again from fullDeltaLink(driveId).', cause: error },
    );
  }
  return { status: 'resync', resyncLink: checkedLink(location), reason };
}

/** Graph puts the precise resync reason in the error's `innerError.code`. */
function innerErrorCode(body: unknown): unknown {
  const parsed: unknown = typeof body === 'string' ? safeJson(body) : body;
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { innerError, innererror } = parsed as {
    innerError?: { code?: unknown };
    innererror?: { code?: unknown };
  };
  return innerError?.code ?? innererror?.code;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const GRAPH_HOSTS: ReadonlySet<string> = new Set([
  'graph.microsoft.com',
  'graph.microsoft.us',
  'dod-graph.microsoft.us',
  'microsoftgraph.chinacloudapi.cn',
]);

/** A link Prism follows: a Graph path, or an https URL on a Microsoft Graph host. */
function checkedLink(link: string): string {
  if (link.startsWith('/') && !link.startsWith('//')) return link;
  let url: URL | undefined;
  try {
    url = new URL(link);
  } catch {
    url = undefined;
  }
  if (url?.protocol === 'https:' && GRAPH_HOSTS.has(url.hostname)) return link;
  throw new WatchError('invalid_delta_link', `Not a Microsoft Graph delta link: ${link}`, {
    hint: 'Use the deltaLink a previous run returned, or start again from fullDeltaLink(driveId).',
  });
}
