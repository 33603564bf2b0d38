import { ReviewCanceledError } from '../engine/errors.js';
import { findingRecord } from '../engine/finding-record.js';
import type { Preference } from '../engine/learning.js';
import { startReview } from '../engine/orchestrator.js';
import type { ReviewProvider } from '../engine/types.js';
import { PrismError } from '../errors.js';
import type { Actor, Document, Finding, Framework, Review } from '../schema/index.js';
import type { LocalContext } from './context.js';
import type { FindingRow } from './store.js';

/** Who records what a review does on its own (its start, end and findings). */
export const SYSTEM_ACTOR: Actor = { type: 'system', id: 'prism', name: 'Prism' };

/** What one review run needs. */
export interface ReviewRunInput {
  review: Review;
  document: Document;
  framework: Framework;
  provider: ReviewProvider;
  preferences: readonly Preference[];
  signal: AbortSignal;
}

/**
 * Runs a stored, queued review on the engine and records everything it does: `running` with
 * its start, progress after each section, then the findings and `succeeded` (or `failed` with
 * the error's code, or `canceled`). Each change is stored before it is announced on the review
 * bus and to webhooks, so whoever hears of it can read it. Rejects only when the store fails.
 */
export async function runReview(context: LocalContext, input: ReviewRunInput): Promise<void> {
  const { store, tenantId, reviewBus } = context;
  const { document, framework, provider, signal } = input;
  const reviewId = input.review.id;
  // Store writes run one after the other, so a late progress write never undoes the end.
  let writes: Promise<unknown> = Promise.resolve();
  const write = (change: (current: Review) => Review): Promise<Review | undefined> => {
    const next = writes.then(() => store.reviews.update(tenantId, reviewId, change));
    writes = next.catch(() => undefined);
    return next;
  };

  const running = await write((current) =>
    current.status === 'queued'
      ? { ...current, status: 'running', startedAt: context.timestamp() }
      : current,
  );
  if (running?.status !== 'running') return;
  reviewBus.emit(reviewId, { type: 'progress', review: running });
  context.publish({ type: 'review.started', data: { review: running } });

  try {
    const run = startReview({
      document: { title: document.title, sections: document.sections },
      framework,
      provider,
      concurrency: context.concurrency,
      signal,
      cache: store.reviewCache,
      preferences: input.preferences,
    });
    run.on('progress', (progress) => {
      void write((current) =>
        current.status === 'running' ? { ...current, progress } : current,
      ).then((review) => {
        if (review?.status !== 'running') return;
        reviewBus.emit(reviewId, { type: 'progress', review });
        context.publish({
          type: 'review.progress',
          data: { reviewId, documentId: document.id, progress },
        });
      });
    });
    const result = await run.done();
    await writes;
    const at = context.timestamp();
    const findings: FindingRow[] = result.findings.map((finding) => ({
      ...findingRecord(finding, {
        id: context.newId('fnd'),
        reviewId,
        documentId: document.id,
        at,
      }),
      tenantId,
    }));
    for (const finding of findings) await store.findings.insert(finding);
    const succeeded = await write((current) => ({
      ...current,
      status: 'succeeded',
      progress: { sectionsDone: document.sections.length, sectionsTotal: document.sections.length },
      usage: { ...result.usage, costUsd: 0 },
      summary: result.summary,
      completedAt: at,
    }));
    if (!succeeded) return;
    const published = findings.map(({ tenantId: _tenant, ...finding }): Finding => finding);
    for (const finding of published)
      reviewBus.emit(reviewId, { type: 'finding', review: succeeded, finding });
    reviewBus.emit(reviewId, { type: 'completed', review: succeeded });
    context.publish({ type: 'review.completed', data: { review: succeeded, findings: published } });
    await context.audit(
      'review.completed',
      { type: 'review', id: reviewId },
      {
        findings: findings.length,
        score: result.summary.score,
      },
      SYSTEM_ACTOR,
    );
  } catch (error) {
    await writes;
    const canceled = error instanceof ReviewCanceledError;
    const ended = await write((current) => ({
      ...current,
      status: canceled ? 'canceled' : 'failed',
      error: canceled ? null : reviewError(error),
      completedAt: context.timestamp(),
    }));
    if (!ended) return;
    reviewBus.emit(reviewId, { type: canceled ? 'canceled' : 'failed', review: ended });
    if (!canceled) {
      context.publish({ type: 'review.failed', data: { review: ended } });
      await context.audit(
        'review.failed',
        { type: 'review', id: reviewId },
        {
          code: ended.error?.code,
        },
        SYSTEM_ACTOR,
      );
    }
  }
}

function reviewError(error: unknown): { code: string; message: string } {
  if (error instanceof PrismError) return { code: error.code, message: error.message };
  return { code: 'review_failed', message: error instanceof Error ? error.message : String(error) };
}
