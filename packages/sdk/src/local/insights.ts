import type { CallOptions, ListParams, PatternsApi, StatsApi } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import { findPatterns } from '../engine/patterns.js';
import type { Pattern, Stats } from '../schema/index.js';
import type { LocalContext } from './context.js';
import { allRows, arrayPages } from './paging.js';
import { type Operation, problem } from './problems.js';

/** The period stats cover when none is given: the last 30 days. */
export const DEFAULT_STATS_DAYS = 30;

/**
 * `prism.patterns` in-process: findings of the same kind (primary framework item and category)
 * across the documents of succeeded reviews; rejected findings do not count.
 */
export class LocalPatterns implements PatternsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  list(
    params: ListParams & { frameworkId?: string; minDocuments?: number } = {},
    _options?: CallOptions,
  ): PagePromise<Pattern> {
    const operation: Operation = { method: 'GET', path: '/v2/patterns' };
    const { store, tenantId } = this.#context;
    return arrayPages(operation, params, async () => {
      const minDocuments = params.minDocuments ?? 2;
      if (!(Number.isInteger(minDocuments) && minDocuments >= 1)) {
        throw problem(
          operation,
          422,
          'validation_failed',
          `minDocuments must be a whole number >= 1, not ${minDocuments}.`,
          'Pass 1 or more, or leave it out (2).',
          [{ path: '/minDocuments', message: 'must be a whole number >= 1' }],
        );
      }
      const reviews = (await allRows(store.reviews, tenantId, { status: 'succeeded' })).filter(
        (review) => params.frameworkId === undefined || review.framework.id === params.frameworkId,
      );
      const reviewed = [];
      for (const review of reviews) {
        const findings = await allRows(store.findings, tenantId, { reviewId: review.id });
        reviewed.push({
          documentId: review.documentId,
          reviewId: review.id,
          findings: findings.filter((finding) => finding.status !== 'rejected'),
        });
      }
      return findPatterns(reviewed, { minDocuments });
    });
  }
}

/** `prism.stats` in-process: counts over the reviews created in a period and their findings. */
export class LocalStats implements StatsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async get(params: { from?: string; to?: string } = {}, _options?: CallOptions): Promise<Stats> {
    const operation: Operation = { method: 'GET', path: '/v2/stats' };
    const { store, tenantId } = this.#context;
    const to = parseTime(operation, 'to', params.to) ?? this.#context.now();
    const from =
      parseTime(operation, 'from', params.from) ??
      new Date(to.getTime() - DEFAULT_STATS_DAYS * 86_400_000);
    if (from > to) {
      throw problem(operation, 422, 'validation_failed', '`from` is after `to`.', 'Swap them.', [
        { path: '/from', message: 'must not be after to' },
      ]);
    }
    const reviews = (await allRows(store.reviews, tenantId, {})).filter((review) => {
      const created = Date.parse(review.createdAt);
      return created >= from.getTime() && created <= to.getTime();
    });
    const stats: Stats = {
      from: from.toISOString(),
      to: to.toISOString(),
      reviews: {
        total: reviews.length,
        byStatus: { queued: 0, running: 0, succeeded: 0, failed: 0, canceled: 0 },
      },
      findings: {
        total: 0,
        bySeverity: { critical: 0, major: 0, minor: 0, info: 0 },
        byStatus: { open: 0, accepted: 0, rejected: 0, resolved: 0 },
      },
      acceptanceRate: null,
      averageScore: null,
    };
    const scores: number[] = [];
    for (const review of reviews) {
      stats.reviews.byStatus[review.status] += 1;
      if (review.summary) scores.push(review.summary.score);
      for (const finding of await allRows(store.findings, tenantId, { reviewId: review.id })) {
        stats.findings.total += 1;
        stats.findings.bySeverity[finding.severity] += 1;
        stats.findings.byStatus[finding.status] += 1;
      }
    }
    const { accepted, rejected } = stats.findings.byStatus;
    if (accepted + rejected > 0) stats.acceptanceRate = round(accepted / (accepted + rejected), 4);
    if (scores.length > 0) {
      stats.averageScore = round(scores.reduce((sum, score) => sum + score, 0) / scores.length, 2);
    }
    return stats;
  }
}

function parseTime(
  operation: Operation,
  name: string,
  value: string | undefined,
): Date | undefined {
  if (value === undefined) return undefined;
  const time = new Date(value);
  if (!Number.isNaN(time.getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(value)) return time;
  throw problem(
    operation,
    422,
    'validation_failed',
    `${name} must be an RFC 3339 date-time, not "${value}".`,
    'Pass e.g. 2026-11-01T00:00:00Z.',
    [{ path: `/${name}`, message: 'must be an RFC 3339 date-time' }],
  );
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
