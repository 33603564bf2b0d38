import type { CallOptions, FindingsApi, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import {
  type Decision,
  type Finding,
  type FindingAccept,
  FindingAcceptSchema,
  type FindingCreate,
  FindingCreateSchema,
  type FindingReject,
  FindingRejectSchema,
  type FindingStatus,
  type FindingUpdate,
  FindingUpdateSchema,
  type Severity,
} from '../schema/index.js';
import type { LocalContext } from './context.js';
import { findFramework } from './frameworks.js';
import { allRows, arrayPages } from './paging.js';
import { conflict, notFound, type Operation, problem } from './problems.js';
import { toFinding } from './rows.js';
import type { FindingRow } from './store.js';
import { parseInput } from './validate.js';

/** `prism.findings` in-process: a review's findings, reviewers' own, and people's decisions. */
export class LocalFindings implements FindingsApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  list(
    reviewId: string,
    params: ListParams & { severity?: Severity; status?: FindingStatus; item?: number } = {},
    _options?: CallOptions,
  ): PagePromise<Finding> {
    const operation: Operation = { method: 'GET', path: `/v2/reviews/${reviewId}/findings` };
    const { store, tenantId } = this.#context;
    return arrayPages(operation, params, async () => {
      if (!(await store.reviews.get(tenantId, reviewId))) {
        throw notFound(operation, 'review', reviewId);
      }
      const { severity, status, item } = params;
      const rows = await allRows(store.findings, tenantId, { reviewId, severity, status });
      return rows
        .filter(
          (row) => item === undefined || row.frameworkItems.some((ref) => ref.number === item),
        )
        .map(toFinding);
    });
  }

  async create(reviewId: string, params: FindingCreate, _options?: PostOptions): Promise<Finding> {
    const operation: Operation = { method: 'POST', path: `/v2/reviews/${reviewId}/findings` };
    const input = parseInput(operation, FindingCreateSchema, params);
    const context = this.#context;
    const review = await context.store.reviews.get(context.tenantId, reviewId);
    if (!review) throw notFound(operation, 'review', reviewId);
    if (review.status !== 'succeeded') {
      throw conflict(
        operation,
        'review_not_finished',
        `Review ${reviewId} is ${review.status}; findings are added to finished reviews.`,
        'Wait for the review to succeed (`await review.done()`), then add the finding.',
      );
    }
    const framework = await findFramework(context, review.framework.id, review.framework.version);
    const unknown = input.frameworkItems.filter(
      (ref) => !framework?.items.some((item) => item.number === ref.number && item.key === ref.key),
    );
    if (unknown.length > 0) {
      throw problem(
        operation,
        422,
        'validation_failed',
        `frameworkItems names items that ${review.framework.id}@${review.framework.version} does not have: ${unknown.map((ref) => `#${ref.number} ${ref.key}`).join(', ')}.`,
        "Use the number and key of items of the review's framework (see `prism.frameworks.get`).",
        [{ path: '/frameworkItems', message: 'unknown framework item' }],
      );
    }
    const document = await context.store.documents.get(context.tenantId, review.documentId);
    const sectionIndex = input.sectionIndex ?? null;
    if (sectionIndex !== null && sectionIndex >= (document?.sections.length ?? 0)) {
      throw problem(
        operation,
        422,
        'validation_failed',
        `The document has no section ${sectionIndex}.`,
        "Use the `index` of one of the document's sections, or leave sectionIndex out.",
        [{ path: '/sectionIndex', message: 'no such section' }],
      );
    }
    const at = context.timestamp();
    const finding: FindingRow = {
      id: context.newId('fnd'),
      tenantId: context.tenantId,
      reviewId,
      documentId: review.documentId,
      sectionIndex,
      frameworkItems: input.frameworkItems,
      severity: input.severity,
      category: input.category ?? 'reviewer-note',
      title: input.title,
      description: input.description,
      suggestion: input.suggestion ?? '',
      quote: input.quote ?? null,
      confidence: 1,
      origin: 'human',
      status: 'open',
      decision: null,
      adjustment: null,
      createdAt: at,
      updatedAt: at,
    };
    await context.store.findings.insert(finding);
    await context.audit('finding.created', { type: 'finding', id: finding.id }, { reviewId });
    return toFinding(finding);
  }

  async get(findingId: string, _options?: CallOptions): Promise<Finding> {
    const operation: Operation = { method: 'GET', path: `/v2/findings/${findingId}` };
    const row = await this.#context.store.findings.get(this.#context.tenantId, findingId);
    if (!row) throw notFound(operation, 'finding', findingId);
    return toFinding(row);
  }

  async update(findingId: string, params: FindingUpdate, _options?: CallOptions): Promise<Finding> {
    const operation: Operation = { method: 'PATCH', path: `/v2/findings/${findingId}` };
    const input = parseInput(operation, FindingUpdateSchema, params);
    const finding = await this.#change(operation, findingId, (current) => ({
      ...current,
      ...input,
      updatedAt: this.#context.timestamp(),
    }));
    await this.#context.audit(
      'finding.updated',
      { type: 'finding', id: findingId },
      {
        fields: Object.keys(input),
      },
    );
    return finding;
  }

  async accept(
    findingId: string,
    params: FindingAccept = {},
    _options?: PostOptions,
  ): Promise<Finding> {
    const operation: Operation = { method: 'POST', path: `/v2/findings/${findingId}/accept` };
    const input = parseInput(operation, FindingAcceptSchema, params);
    return this.#decide(operation, findingId, 'accepted', input.reason ?? null);
  }

  async reject(findingId: string, params: FindingReject, _options?: PostOptions): Promise<Finding> {
    const operation: Operation = { method: 'POST', path: `/v2/findings/${findingId}/reject` };
    const input = parseInput(operation, FindingRejectSchema, params);
    return this.#decide(operation, findingId, 'rejected', input.reason);
  }

  /** Records a decision (replacing an earlier one), audits it and sends its webhook event. */
  async #decide(
    operation: Operation,
    findingId: string,
    outcome: Decision['outcome'],
    reason: string | null,
  ): Promise<Finding> {
    const context = this.#context;
    const at = context.timestamp();
    const decision: Decision = { outcome, by: context.actor, at, reason };
    const finding = await this.#change(operation, findingId, (current) => ({
      ...current,
      status: outcome,
      decision,
      updatedAt: at,
    }));
    await context.audit(
      `finding.${outcome}`,
      { type: 'finding', id: findingId },
      {
        reviewId: finding.reviewId,
        reason,
      },
    );
    context.publish({ type: `finding.${outcome}`, data: { finding } });
    return finding;
  }

  async #change(
    operation: Operation,
    findingId: string,
    change: (current: FindingRow) => FindingRow,
  ): Promise<Finding> {
    const row = await this.#context.store.findings.update(
      this.#context.tenantId,
      findingId,
      change,
    );
    if (!row) throw notFound(operation, 'finding', findingId);
    return toFinding(row);
  }
}
