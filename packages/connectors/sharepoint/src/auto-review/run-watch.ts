import type { Client } from '@microsoft/microsoft-graph-client';
import { runDelta } from '../watch/delta.js';
import type { DeltaChange, DeltaFileChange } from '../watch/delta-change.js';
import { newVersions } from '../watch/versions.js';
import { admitFile } from './admit-file.js';
import { AutoReviewError } from './auto-review-error.js';
import type { AutoReviewCounters } from './auto-review-stats.js';
import { eachLimited } from './each-limited.js';
import type { SharePointWatch } from './sharepoint-watch.js';
import type { SkippedFile } from './skipped-file.js';
import { type StartedReview, type StartReviewDeps, startReview } from './start-review.js';
import type { WatchStore } from './watch-store.js';

/** What one run of a watch did. */
export interface WatchRunResult {
  /** The watch. */
  watchId: string;
  /** The reviews started, one per new content version. */
  started: StartedReview[];
  /** The changed files not reviewed, with why. */
  skipped: SkippedFile[];
  /** The ids of the items the drive reported deleted. */
  deleted: string[];
  /** Whether Graph asked to start over (410 Gone), so the whole drive was read again. */
  resynced: boolean;
  /** Where the next run reads from, as saved: never past a version claimed elsewhere. */
  deltaLink: string;
}

/** What {@link runWatch} needs. */
export interface RunWatchDeps extends StartReviewDeps {
  /** Where the watch is read and its position saved. */
  store: WatchStore;
  /** The Graph client of the watch's connection. */
  graphFor: (watch: SharePointWatch) => Client | Promise<Client>;
  /** Where what happens is counted. */
  counters: AutoReviewCounters;
  /** Files downloaded and sent for review at once. */
  concurrency: number;
  /** Delta pages read before the changes so far are handled and the position saved. */
  maxDeltaPages: number;
}

/** Starting over more often than this in one run means Graph is not settling: give up for now. */
const MAX_RESYNCS_PER_RUN = 3;

/**
 * Reads a watch's changes since its stored delta link and starts a review of each new content
 * version in scope. Graph's 410 restarts from the link it gives (the seen versions keep files
 * already reviewed from being reviewed again); a feed longer than `maxDeltaPages` is handled in
 * parts, the position saved after each. The position is saved only after every review of the
 * part is enqueued, so a crash or an outage loses nothing: the next run reads the same changes
 * and the seen versions skip what was done. Each version is claimed before its review, so runs
 * of one watch that overlap on instances sharing the seen versions review it once; a run that
 * finds a version claimed elsewhere saves no position past its part (the run reviewing it saves
 * its own), so should that review fail, the next run reads the version again. A failure that is
 * not one file's own (Graph unavailable, access denied, Prism failing) is thrown with the
 * position left where it was.
 *
 * @throws {AutoReviewError} `watch_not_found` when the store has no such watch.
 */
export async function runWatch(deps: RunWatchDeps, watchId: string): Promise<WatchRunResult> {
  const watch = await deps.store.get(watchId);
  if (watch === undefined) {
    throw new AutoReviewError('watch_not_found', `There is no SharePoint watch ${watchId}.`, {
      hint: 'The watch was deleted; stop sending its work to the auto-reviewer.',
    });
  }
  const client = await deps.graphFor(watch);
  const result: WatchRunResult = {
    watchId,
    started: [],
    skipped: [],
    deleted: [],
    resynced: false,
    deltaLink: watch.deltaLink,
  };
  let link = watch.deltaLink;
  let resyncs = 0;
  let claimedElsewhere = false;
  for (;;) {
    const outcome = await runDelta(client, link, { maxPages: deps.maxDeltaPages });
    if (outcome.status === 'resync') {
      resyncs += 1;
      if (resyncs > MAX_RESYNCS_PER_RUN) throw resyncLoop(watchId);
      result.resynced = true;
      link = outcome.resyncLink;
      continue;
    }
    const handled = await handleChanges(deps, watch, client, outcome.changes, result);
    claimedElsewhere ||= handled.claimedElsewhere;
    link = outcome.status === 'complete' ? outcome.deltaLink : outcome.nextLink;
    if (!claimedElsewhere) {
      await deps.store.saveDeltaLink(watchId, link);
      result.deltaLink = link;
    }
    if (outcome.status === 'complete') return result;
  }
}

/** Handles one part of the changes; says whether a version of it was claimed elsewhere. */
async function handleChanges(
  deps: RunWatchDeps,
  watch: SharePointWatch,
  client: Client,
  changes: readonly DeltaChange[],
  result: WatchRunResult,
): Promise<{ claimedElsewhere: boolean }> {
  const skip = (skipped: SkippedFile): void => {
    result.skipped.push(skipped);
    deps.counters.skipped(skipped.reason);
  };
  const candidates: DeltaFileChange[] = [];
  for (const change of changes) {
    if (change.kind === 'deleted') {
      result.deleted.push(change.itemId);
      deps.counters.add('deletions');
      continue;
    }
    const admission = await admitFile(client, watch, change, deps.maxFileBytes);
    if (admission.kind === 'skipped') skip(admission.skipped);
    else candidates.push(admission.file);
  }
  const fresh = await newVersions(candidates, deps.seenFor(watch));
  const freshItems = new Set(fresh.map((version) => version.change.itemId));
  for (const file of candidates) {
    if (!freshItems.has(file.itemId)) {
      skip({ itemId: file.itemId, name: file.name, reason: 'already_reviewed' });
    }
  }
  let claimedElsewhere = false;
  await eachLimited(fresh, deps.concurrency, async (version) => {
    const outcome = await startReview(deps, watch, client, version);
    if (outcome.kind === 'skipped') {
      claimedElsewhere ||= outcome.skipped.reason === 'claimed_elsewhere';
      skip(outcome.skipped);
      return;
    }
    result.started.push(outcome.review);
    deps.counters.add('reviewsStarted');
  });
  return { claimedElsewhere };
}

function resyncLoop(watchId: string): AutoReviewError {
  return new AutoReviewError(
    'delta_resync_loop',
    `Graph asked watch ${watchId} to start over more than ${MAX_RESYNCS_PER_RUN} times in one run.`,
    { hint: 'Try the watch again later; if it keeps happening, recreate the watch.' },
  );
}
