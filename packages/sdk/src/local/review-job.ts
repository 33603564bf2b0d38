import { ReviewCanceledError } from '../engine/errors.js';
import { findingRecord } from '../engine/finding-record.js';
import { type Preference, preferencesFromDecisions } from '../engine/learning.js';
import { startReview } from '../engine/orchestrator.js';
import type { ProviderFinding } from '../engine/types.js';
import { PrismError } from '../errors.js';
import type { Actor, Finding, Review } from '../schema/index.js';
import { LocalContext } from './context.js';
import type { PrismCore } from './core.js';
import { findFramework } from './frameworks.js';
import { stableId } from './ids.js';
import { allRows } from './paging.js';
import type { FindingRow } from './store.js';

/** Who records what a review does on its own (its start, end and findings). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'prism', name: 'Prism' };

/** A review to run: what a job queue keeps. */
export interface ReviewJob {
  /** The review's tenant. */
  tenantId: string;
  /** The review. */
  reviewId: string;
}

const TERMINAL = new Set<Review['status']>(['succeeded', 'failed', 'canceled']);

/**
 * Runs a stored review to its end, reading everything it needs from the store, and records what
 * it does: `running`, progress after each section (each section's findings kept as a checkpoint),
 * then the findings and `succeeded` — or `failed` with the error's code, or `canceled` when it is
 * canceled here or in the store. Safe to run again after a crash: a finished review is left
 * alone, checkpointed sections are not reviewed again, and the findings and the end's webhook
 * deliveries have ids made from the review, so none is recorded twice. Rejects only when the
 * store fails (the job should then be retried).
 */
export async function runReviewJob(core: PrismCore, job: ReviewJob): Promise<void> {
  const context = new LocalContext(core, job.tenantId, SYSTEM_ACTOR);
  const { store, tenantId, reviewBus } = context;
  const { reviewId } = job;
  const review = await store.reviews.get(tenantId, reviewId);
  if (!review || TERMINAL.has(review.status)) return;
  const abort = new AbortController();
  let finish = () => {};
  reviewBus.start(reviewId, abort, new Promise<void>((resolve) => (finish = resolve)));
  try {
    await run(context, review, abort);
  } finally {
    reviewBus.finish(reviewId);
    finish();
  }
}

async function run(context: LocalContext, queued: Review, abort: AbortController): Promise<void> {
  const { store, tenantId, reviewBus } = context;
  const reviewId = queued.id;
  // Review writes run one after the other, so a late progress write never undoes the end.
  let writes: Promise<unknown> = Promise.resolve();
  const write = (change: (current: Review) => Review): Promise<Review | undefined> => {
    const next = writes.then(() => store.reviews.update(tenantId, reviewId, change));
    writes = next.catch(() => undefined);
    return next;
  };
  const end = async (
    status: 'failed' | 'canceled',
    error: Review['error'],
    spent: Partial<Pick<Review, 'usage' | 'degraded'>> = {},
  ) => {
    await writes;
    const ended = await write((current) =>
      TERMINAL.has(current.status)
        ? current
        : { ...current, ...spent, status, error, completedAt: context.timestamp() },
    );
    if (!ended) return;
    reviewBus.emit(reviewId, {
      type: ended.status === 'canceled' ? 'canceled' : 'failed',
      review: ended,
    });
    if (ended.status === 'failed') {
      const eventId = stableId('msg', `${reviewId}:review.failed`);
      await context.webhooks.record(
        tenantId,
        { type: 'review.failed', data: { review: ended } },
        eventId,
      );
      await context.audit('review.failed', { type: 'review', id: reviewId }, { code: error?.code });
    }
  };

  const document = await store.documents.get(tenantId, queued.documentId);
  const framework = await findFramework(context, queued.framework.id, queued.framework.version);
  const provider = context.providerFor(queued.model);
  if (!document || !framework || !provider) {
    const missing = !document ? 'document' : !framework ? 'framework' : 'model';
    return end('failed', {
      code: `${missing}_unavailable`,
      message: `The review's ${missing} is no longer available.`,
    });
  }

  const running = await write((current) =>
    current.status === 'queued'
      ? { ...current, status: 'running', startedAt: context.timestamp() }
      : current,
  );
  if (running?.status !== 'running') return;
  reviewBus.emit(reviewId, { type: 'progress', review: running });
  // Published again on a resumed run: its stable id keeps it to one delivery per endpoint.
  context.publish(
    { type: 'review.started', data: { review: running } },
    stableId('msg', `${reviewId}:review.started`),
  );

  const checkpoints = await allRows(store.reviewCheckpoints, tenantId, { reviewId });
  try {
    const engineRun = startReview({
      document: { title: document.title, sections: document.sections },
      framework,
      provider,
      concurrency: context.concurrency,
      signal: abort.signal,
      cache: store.reviewCache,
      preferences: await preferencesOf(context, framework.id),
      completedSections: new Map(checkpoints.map((row) => [row.sectionIndex, row.findings])),
      budget: context.tokenBudget(),
      prices: context.prices,
    });
    engineRun.on('section.completed', ({ index, findings }) => {
      // A checkpoint that cannot be stored only means that section is reviewed again on resume.
      checkpoint(context, reviewId, index, findings).catch(() => undefined);
    });
    engineRun.on('progress', (progress) => {
      write((current) => (current.status === 'running' ? { ...current, progress } : current))
        // A progress write that fails is made good by the next one, or by the end's.
        .catch(() => undefined)
        .then((review) => {
          // Canceled in the store (by another process): stop here too.
          if (review?.status === 'canceled') abort.abort();
          if (review?.status !== 'running') return;
          reviewBus.emit(reviewId, { type: 'progress', review });
          context.publish(
            { type: 'review.progress', data: { reviewId, documentId: document.id, progress } },
            stableId('msg', `${reviewId}:review.progress:${progress.sectionsDone}`),
          );
        });
    });
    const result = await engineRun.done();
    await writes;
    const at = context.timestamp();
    const rows: FindingRow[] = result.findings.map((finding, index) => ({
      ...findingRecord(finding, {
        id: stableId('fnd', `${reviewId}:${index}`),
        reviewId,
        documentId: document.id,
        at,
      }),
      tenantId,
    }));
    // A run that crashed while storing findings left some: they are replaced, not added to.
    await store.findings.deleteWhere(tenantId, { reviewId });
    for (const row of rows) await store.findings.insert(row);
    const findings = rows.map(({ tenantId: _tenant, ...finding }): Finding => finding);
    const spent = {
      usage: { ...result.usage, costUsd: result.costUsd },
      ...(result.degraded === undefined ? {} : { degraded: result.degraded }),
    };
    if (result.stoppedBy !== undefined) {
      // Out of tokens: the findings so far are kept (listed under the review), and it fails.
      const { code, message } = result.stoppedBy;
      return end('failed', { code, message }, spent);
    }
    const sectionsTotal = document.sections.length;
    const finished: Review = {
      ...running,
      ...spent,
      status: 'succeeded',
      progress: { sectionsDone: sectionsTotal, sectionsTotal },
      summary: result.summary,
      completedAt: at,
    };
    const eventId = stableId('msg', `${reviewId}:review.completed`);
    await context.webhooks.record(
      tenantId,
      { type: 'review.completed', data: { review: finished, findings } },
      eventId,
    );
    const succeeded = await write((current) =>
      current.status === 'running' ? { ...finished, metadata: current.metadata } : current,
    );
    if (succeeded?.status !== 'succeeded') return;
    await store.reviewCheckpoints.deleteWhere(tenantId, { reviewId });
    for (const finding of findings)
      reviewBus.emit(reviewId, { type: 'finding', review: succeeded, finding });
    reviewBus.emit(reviewId, { type: 'completed', review: succeeded });
    await context.audit(
      'review.completed',
      { type: 'review', id: reviewId },
      {
        findings: findings.length,
        score: result.summary.score,
      },
    );
  } catch (error) {
    if (error instanceof ReviewCanceledError) return end('canceled', null);
    return end('failed', reviewError(error));
  }
}

/** Keeps a reviewed section's findings; one already kept (by a run before a crash) stays. */
async function checkpoint(
  context: LocalContext,
  reviewId: string,
  sectionIndex: number,
  findings: ProviderFinding[],
): Promise<void> {
  await context.store.reviewCheckpoints
    .insert({
      id: `${reviewId}:${sectionIndex}`,
      tenantId: context.tenantId,
      reviewId,
      sectionIndex,
      findings,
    })
    .catch((error: unknown) => {
      if (!(error instanceof PrismError && error.code === 'store_conflict')) throw error;
    });
}

/**
 * The accept/reject decisions standing on findings of reviews against `frameworkId`: two reads
 * (accepted and rejected findings) whatever the number of past reviews.
 */
async function preferencesOf(context: LocalContext, frameworkId: string): Promise<Preference[]> {
  const { store, tenantId } = context;
  const reviews = await allRows(store.reviews, tenantId, { status: 'succeeded' });
  const ofFramework = new Set(
    reviews.filter((review) => review.framework.id === frameworkId).map((review) => review.id),
  );
  const decided = [
    ...(await allRows(store.findings, tenantId, { status: 'accepted' })),
    ...(await allRows(store.findings, tenantId, { status: 'rejected' })),
  ];
  return preferencesFromDecisions(
    decided.filter((finding) => finding.decision !== null && ofFramework.has(finding.reviewId)),
  );
}

function reviewError(error: unknown): { code: string; message: string } {
  if (error instanceof PrismError) return { code: error.code, message: error.message };
  return { code: 'review_failed', message: error instanceof Error ? error.message : String(error) };
}
