import type Bottleneck from 'bottleneck';
import { EventEmitter } from 'eventemitter3';
import { PrismError } from '../errors.js';
import type { Framework, ReviewProgress, ReviewSummary, Severity } from '../schema/index.js';
import { type ResultCache, reviewCacheKey } from './cache.js';
import { ReviewCanceledError } from './errors.js';
import { applyPreferences, type LearningOptions, type Preference } from './learning.js';
import { createCallLimiter, type RateLimit } from './limiter.js';
import { scoreFindings } from './scoring.js';
import type {
  EngineFinding,
  ProviderFinding,
  ProviderReply,
  ProviderUsage,
  ReviewableDocument,
  ReviewContext,
  ReviewProvider,
} from './types.js';
import { BudgetExceededError, type TokenBudget } from './usage/budget.js';
import { addUsage, DEFAULT_PRICES, estimateCost, type PriceTable } from './usage/cost.js';

/** What to review, with what, and how. */
export interface ReviewOptions {
  /** The document, split into sections. */
  document: ReviewableDocument;
  /** The framework to check it against. */
  framework: Framework;
  /** Who reviews: the `rules` provider or a model. */
  provider: ReviewProvider;
  /** Most provider calls in flight at once. Default 4. */
  concurrency?: number;
  /** Optional limits on how fast calls start (for model APIs with quotas). */
  rateLimit?: RateLimit;
  /** Cancels the review: no further section is started and the run rejects. */
  signal?: AbortSignal;
  /** Where finished reviews are reused from and stored. */
  cache?: ResultCache;
  /** Past accept/reject decisions of this framework's findings, to adjust the new ones. */
  preferences?: readonly Preference[];
  /** Learning thresholds; `frameworkLabel` defaults to the framework name's first word. */
  learning?: Partial<LearningOptions>;
  /**
   * Findings of sections already reviewed, by section index, as `section.completed` reported
   * them (to resume a review after a crash): those sections are not reviewed again.
   */
  completedSections?: ReadonlyMap<number, ProviderFinding[]>;
  /**
   * The tokens the review may spend: checked before each provider call and charged with each
   * reply's usage. When it runs out the review stops with what it found so far (see
   * {@link ReviewResult.stoppedBy}).
   */
  budget?: TokenBudget;
  /** Prices of model tokens, for {@link ReviewResult.costUsd}. Default `DEFAULT_PRICES`. */
  prices?: Readonly<PriceTable>;
}

/** What a finished review found. */
export interface ReviewResult {
  /** Findings after learning: document-level first, then by section, severest first in each. */
  findings: EngineFinding[];
  /** Score, risk level and counts (see `SCORING.md`). */
  summary: ReviewSummary;
  /** Tokens this run spent (zero when the result came from the cache). */
  usage: ProviderUsage;
  /**
   * What those tokens cost in US dollars by `prices`; null when a model that used tokens has no
   * price there (an unknown cost, not a free one).
   */
  costUsd: number | null;
  /** Whether the provider's findings came from the cache. */
  cached: boolean;
  /**
   * Why part of the findings are not the provider's own model's (a fallback provider answered,
   * or `rules` stood in for an invalid model answer); absent when they all are.
   */
  degraded?: string;
  /**
   * Set when the token budget ran out: the review stopped there, and `findings` are those of
   * the sections reviewed until then.
   */
  stoppedBy?: BudgetExceededError;
}

/** The events of a {@link ReviewRun}, with their payloads. */
export interface ReviewEvents {
  /** The provider started on a section. */
  'section.started': (event: { index: number }) => void;
  /** A section is reviewed; `findings` are the provider's, before learning (persist them to resume). */
  'section.completed': (event: { index: number; findings: ProviderFinding[] }) => void;
  /** Sections reviewed so far, resumed ones included; after each section and on a cache hit. */
  progress: (event: ReviewProgress) => void;
  /** The review finished; the last event of a successful run. */
  completed: (event: { result: ReviewResult }) => void;
  /** The review failed or was canceled (`ReviewCanceledError`); the last event of such a run. */
  failed: (event: { error: Error }) => void;
}

const NO_USAGE: ProviderUsage = { inputTokens: 0, outputTokens: 0 };

/** What the provider's replies added up to. */
interface ProviderOutcome {
  findings: ProviderFinding[];
  usage: ProviderUsage;
  costUsd: number | null;
  degraded?: string;
  stoppedBy?: BudgetExceededError;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  critical: 0,
  major: 1,
  minor: 2,
  info: 3,
};

/**
 * One review in progress: an event emitter of {@link ReviewEvents} whose outcome is
 * `await run.done()`. Work starts after the code that created it, so listeners attached right
 * away miss no event. Create it with {@link startReview}.
 */
export class ReviewRun extends EventEmitter<ReviewEvents> {
  readonly #result: Promise<ReviewResult>;

  /** Validates the options and schedules the review; see {@link startReview}. */
  constructor(options: ReviewOptions) {
    super();
    const limiter = createCallLimiter(options.concurrency ?? 4, options.rateLimit);
    this.#result = Promise.resolve().then(() => runReview(options, limiter, this));
    // Callers that only listen to `failed` must not see an unhandled rejection.
    this.#result.catch(() => undefined);
  }

  /**
   * Resolves to the result, or rejects with the provider's error (its `code` kept) or with a
   * {@link ReviewCanceledError} when the signal aborts.
   */
  done(): Promise<ReviewResult> {
    return this.#result;
  }
}

/**
 * Reviews a document: one `provider.reviewSection` per section not yet completed and one
 * `provider.reviewDocument`, scheduled with bottleneck (at most `concurrency` in flight, optional
 * rate limits); then learning from `preferences`, ordering and scoring. A cache hit skips the
 * provider. Listen with `run.on(...)`, get the result with `await run.done()`. Throws a
 * `PrismError` (`invalid_argument`) at once for a bad concurrency or rate limit.
 */
export function startReview(options: ReviewOptions): ReviewRun {
  return new ReviewRun(options);
}

async function runReview(
  options: ReviewOptions,
  limiter: Bottleneck,
  run: ReviewRun,
): Promise<ReviewResult> {
  const { document, framework, provider, cache, signal } = options;
  let result: ReviewResult;
  try {
    signal?.throwIfAborted();
    const providerKey =
      provider.promptVersion === undefined
        ? provider.id
        : `${provider.id}@prompts-${provider.promptVersion}`;
    const key = cache === undefined ? null : reviewCacheKey(document, framework, providerKey);
    const hit = cache && key ? await cache.get(key) : undefined;
    signal?.throwIfAborted();
    if (hit) {
      const sectionsTotal = document.sections.length;
      run.emit('progress', { sectionsDone: sectionsTotal, sectionsTotal });
      result = finish(options, { findings: hit.findings, usage: NO_USAGE, costUsd: 0 }, true);
    } else {
      const outcome = await reviewWithProvider(options, limiter, run);
      // Only the provider's own complete answer is worth reusing.
      const complete = outcome.degraded === undefined && outcome.stoppedBy === undefined;
      if (cache && key && complete) await cache.set(key, { findings: outcome.findings });
      result = finish(options, outcome, false);
    }
  } catch (error) {
    const failure = signal?.aborted ? new ReviewCanceledError({ cause: signal.reason }) : error;
    const reported =
      failure instanceof Error
        ? failure
        : new PrismError('provider_failed', `The review provider failed: ${String(failure)}`);
    run.emit('failed', { error: reported });
    throw reported;
  } finally {
    // Drops queued calls (after a failure) and the reservoir timer; in-flight calls finish.
    limiter
      .stop({ dropWaitingJobs: true })
      .finally(() => limiter.disconnect())
      .catch(() => undefined);
  }
  run.emit('completed', { result });
  return result;
}

async function reviewWithProvider(
  options: ReviewOptions,
  limiter: Bottleneck,
  run: ReviewRun,
): Promise<ProviderOutcome> {
  const { document, framework, provider, budget } = options;
  const sectionsTotal = document.sections.length;
  const bySection = new Map<number, ProviderFinding[]>();
  for (const section of document.sections) {
    const findings = options.completedSections?.get(section.index);
    if (findings) bySection.set(section.index, findings);
  }
  // Aborted by the caller's signal, or by the first failure so that nothing else starts.
  const stop = new AbortController();
  const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
  const context: ReviewContext = { framework, document, signal };
  const spent = new Spending(provider.id, options.prices ?? DEFAULT_PRICES);
  let documentFindings: ProviderFinding[] = [];
  // Set when the budget runs out: no call starts after it, calls in flight finish and count.
  let stoppedBy: BudgetExceededError | undefined;
  const withinBudget = async (work: () => Promise<void>): Promise<void> => {
    if (signal.aborted || stoppedBy) return;
    try {
      await budget?.check();
      await work();
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      stoppedBy ??= error;
    }
  };

  const documentJob = limiter.schedule(() =>
    withinBudget(async () => {
      const reply = await provider.reviewDocument(context);
      spent.add(reply);
      documentFindings = reply.findings;
      await budget?.charge(reply.usage);
    }),
  );
  const sectionJobs = document.sections
    .filter((section) => !bySection.has(section.index))
    .map((section) =>
      limiter.schedule(() =>
        withinBudget(async () => {
          run.emit('section.started', { index: section.index });
          const reply = await provider.reviewSection(section, context);
          if (signal.aborted) return;
          spent.add(reply);
          bySection.set(section.index, reply.findings);
          run.emit('section.completed', { index: section.index, findings: reply.findings });
          run.emit('progress', { sectionsDone: bySection.size, sectionsTotal });
          // A reply that passed the budget was paid for: its findings are kept.
          await budget?.charge(reply.usage);
        }),
      ),
    );

  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([Promise.all([documentJob, ...sectionJobs]), aborted]);
  } catch (error) {
    stop.abort(error);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
  const sectionFindings = document.sections.flatMap(
    (section) => bySection.get(section.index) ?? [],
  );
  return {
    findings: [...documentFindings, ...sectionFindings],
    ...spent.total(),
    ...(stoppedBy === undefined ? {} : { stoppedBy }),
  };
}

/** The usage, cost and degradations of a run's provider replies, added up as they come. */
class Spending {
  readonly #providerId: string;
  readonly #prices: Readonly<PriceTable>;
  #usage: ProviderUsage = { ...NO_USAGE };
  #costUsd: number | null = 0;
  readonly #degraded = new Set<string>();

  constructor(providerId: string, prices: Readonly<PriceTable>) {
    this.#providerId = providerId;
    this.#prices = prices;
  }

  add(reply: ProviderReply): void {
    if (reply.degraded !== undefined) this.#degraded.add(reply.degraded);
    if (reply.usage === undefined) return;
    this.#usage = addUsage(this.#usage, reply.usage);
    if (reply.usage.inputTokens + reply.usage.outputTokens === 0) return;
    const { usd } = estimateCost(reply.usage, reply.answeredBy ?? this.#providerId, this.#prices);
    this.#costUsd = usd === null || this.#costUsd === null ? null : this.#costUsd + usd;
  }

  total(): Pick<ProviderOutcome, 'usage' | 'costUsd' | 'degraded'> {
    return {
      usage: this.#usage,
      costUsd: this.#costUsd,
      ...(this.#degraded.size === 0 ? {} : { degraded: [...this.#degraded].join(' ') }),
    };
  }
}

function finish(options: ReviewOptions, outcome: ProviderOutcome, cached: boolean): ReviewResult {
  const { findings: providerFindings, ...rest } = outcome;
  const adjusted = applyPreferences(providerFindings, options.preferences ?? [], {
    frameworkLabel: options.framework.name.split(/\s+/)[0] || options.framework.id,
    ...options.learning,
  });
  const findings = adjusted.sort(
    (a, b) =>
      (a.sectionIndex ?? -1) - (b.sectionIndex ?? -1) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity],
  );
  return { findings, summary: scoreFindings(findings), ...rest, cached };
}
