import { describe, expect, it } from 'vitest';
import { ReviewCanceledError } from '../../src/engine/errors.js';
import { createCallLimiter } from '../../src/engine/limiter.js';
import { type ReviewEvents, type ReviewRun, startReview } from '../../src/engine/orchestrator.js';
import { scoreFindings } from '../../src/engine/scoring.js';
import type { ProviderFinding } from '../../src/engine/types.js';
import { TokenBudget } from '../../src/engine/usage/budget.js';
import { PrismError } from '../../src/index.js';
import { delay, documentOf, FakeProvider, framework } from './review-fixtures.js';

type RecordedEvent = {
  [K in keyof ReviewEvents]: [K, Parameters<ReviewEvents[K]>[0]];
}[keyof ReviewEvents];

/** Every event of a run, in order. */
function record(run: ReviewRun): RecordedEvent[] {
  const events: RecordedEvent[] = [];
  run.on('section.started', (event) => events.push(['section.started', event]));
  run.on('section.completed', (event) => events.push(['section.completed', event]));
  run.on('progress', (event) => events.push(['progress', event]));
  run.on('completed', (event) => events.push(['completed', event]));
  run.on('failed', (event) => events.push(['failed', event]));
  return events;
}

class ModelUnavailableError extends PrismError {
  constructor() {
    super('model_unavailable', 'The model is not available.', { hint: 'Try again later.' });
  }
}

describe('startReview', () => {
  it('reviews every section once and the whole document once', async () => {
    const provider = new FakeProvider({ tokensPerCall: 10 });
    const document = documentOf(6, 'Report with missing root cause');
    const result = await startReview({ document, framework, provider }).done();

    expect([...provider.sectionCalls].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    expect(provider.documentCalls).toBe(1);
    expect(result.cached).toBe(false);
    expect(result.usage).toEqual({ inputTokens: 70, outputTokens: 35 });
    expect(result.findings).toHaveLength(13);
    expect(result.summary).toEqual(scoreFindings(result.findings));
    expect(result.findings.every((finding) => finding.adjustment === null)).toBe(true);
  });

  it('orders findings document-level first, then by section, severest first', async () => {
    const document = documentOf(4, 'Report with missing root cause');
    const result = await startReview({ document, framework, provider: new FakeProvider() }).done();

    const order = result.findings.map((finding) => [finding.sectionIndex, finding.severity]);
    expect(order).toEqual([
      [null, 'critical'],
      [0, 'minor'],
      [0, 'info'],
      [1, 'major'],
      [1, 'minor'],
      [2, 'minor'],
      [2, 'minor'],
      [3, 'critical'],
      [3, 'minor'],
    ]);
  });

  it('never has more sections in flight than the concurrency', async () => {
    const provider = new FakeProvider({ latencyMs: 20 });
    await startReview({ document: documentOf(12), framework, provider, concurrency: 3 }).done();
    expect(provider.maxInFlight).toBe(3);

    const byDefault = new FakeProvider({ latencyMs: 20 });
    await startReview({ document: documentOf(12), framework, provider: byDefault }).done();
    expect(byDefault.maxInFlight).toBe(4);
  });

  it('reports each section and progress in order, then completes', async () => {
    const run = startReview({
      document: documentOf(5),
      framework,
      provider: new FakeProvider({ latencyMs: 2 }),
      concurrency: 2,
    });
    const events = record(run);
    const result = await run.done();

    const progress = events.filter(([name]) => name === 'progress').map(([, event]) => event);
    expect(progress).toEqual(
      [1, 2, 3, 4, 5].map((done) => ({ sectionsDone: done, sectionsTotal: 5 })),
    );
    for (let index = 0; index < 5; index += 1) {
      const started = events.findIndex(
        ([name, event]) => name === 'section.started' && event.index === index,
      );
      const completed = events.findIndex(
        ([name, event]) => name === 'section.completed' && event.index === index,
      );
      expect(started).toBeGreaterThanOrEqual(0);
      expect(completed).toBeGreaterThan(started);
    }
    expect(events.at(-1)).toEqual(['completed', { result }]);
    expect(events.filter(([name]) => name === 'failed')).toEqual([]);
  });

  it('stops starting sections when aborted and rejects with ReviewCanceledError', async () => {
    const provider = new FakeProvider({ latencyMs: 10 });
    const controller = new AbortController();
    const run = startReview({
      document: documentOf(20),
      framework,
      provider,
      concurrency: 2,
      signal: controller.signal,
    });
    const events = record(run);
    run.once('section.completed', () => controller.abort());

    const error = await run.done().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(ReviewCanceledError);
    expect(error).toMatchObject({ code: 'review_canceled' });
    const startedAtCancel = provider.sectionCalls.length;
    expect(startedAtCancel).toBeLessThan(20);

    await delay(50);
    expect(provider.sectionCalls.length).toBe(startedAtCancel);
    expect(events.at(-1)).toEqual(['failed', { error }]);
    expect(events.filter(([name]) => name === 'completed')).toEqual([]);
    expect(events.filter(([name]) => name === 'section.completed')).toHaveLength(1);
  });

  it('calls no provider when the signal is already aborted', async () => {
    const provider = new FakeProvider();
    const run = startReview({
      document: documentOf(3),
      framework,
      provider,
      signal: AbortSignal.abort(),
    });
    await expect(run.done()).rejects.toBeInstanceOf(ReviewCanceledError);
    expect(provider.sectionCalls).toEqual([]);
    expect(provider.documentCalls).toBe(0);
  });

  it('rejects with the provider error, code kept, and starts nothing after it', async () => {
    const failure = new ModelUnavailableError();
    const provider = new FakeProvider({ failures: new Map([[3, failure]]) });
    const run = startReview({ document: documentOf(8), framework, provider, concurrency: 1 });
    const events = record(run);

    await expect(run.done()).rejects.toBe(failure);
    expect(failure.code).toBe('model_unavailable');
    expect(provider.sectionCalls).toEqual([0, 1, 2, 3]);
    await delay(10);
    expect(provider.sectionCalls).toEqual([0, 1, 2, 3]);
    expect(events.at(-1)).toEqual(['failed', { error: failure }]);
    expect(events.some(([name]) => name === 'completed')).toBe(false);
  });

  it('resumes after a crash from the sections it reported, with the same findings', async () => {
    const document = documentOf(8, 'Report with missing root cause');
    const uninterrupted = await startReview({
      document,
      framework,
      provider: new FakeProvider(),
    }).done();

    const checkpoints = new Map<number, ProviderFinding[]>();
    const crashing = startReview({
      document,
      framework,
      provider: new FakeProvider({ failures: new Map([[5, new ModelUnavailableError()]]) }),
      concurrency: 1,
    });
    crashing.on('section.completed', ({ index, findings }) => checkpoints.set(index, findings));
    await expect(crashing.done()).rejects.toBeInstanceOf(ModelUnavailableError);
    expect([...checkpoints.keys()]).toEqual([0, 1, 2, 3, 4]);

    const provider = new FakeProvider();
    const resumed = startReview({ document, framework, provider, completedSections: checkpoints });
    const progress: number[] = [];
    resumed.on('progress', ({ sectionsDone }) => progress.push(sectionsDone));
    const result = await resumed.done();

    expect([...provider.sectionCalls].sort()).toEqual([5, 6, 7]);
    expect(progress).toEqual([6, 7, 8]);
    expect(result.findings).toEqual(uninterrupted.findings);
    expect(result.summary).toEqual(uninterrupted.summary);
  });

  it('applies preferences, naming the framework item in the reason', async () => {
    const preferences = [
      { frameworkItem: 4, category: 'timeline-missing-times', accepted: 1, rejected: 9 },
    ];
    const result = await startReview({
      document: documentOf(4),
      framework,
      provider: new FakeProvider(),
      preferences,
    }).done();

    const timeline = result.findings.filter((f) => f.category === 'timeline-missing-times');
    expect(timeline.map((f) => [f.sectionIndex, f.severity])).toEqual([
      [0, 'info'],
      [1, 'minor'],
      [2, 'info'],
      [3, 'critical'],
    ]);
    expect(timeline[1]?.adjustment).toEqual({
      originalSeverity: 'major',
      reason:
        'Demoted from major to minor: rejected in 9 of 10 past decisions on Hawkeye #4 / timeline-missing-times.',
    });
    expect(timeline[3]?.adjustment).toBeNull();
    expect(result.summary.counts.major).toBe(0);
  });

  it('honours a rate limit and still reviews every section', async () => {
    const provider = new FakeProvider();
    const result = await startReview({
      document: documentOf(4),
      framework,
      provider,
      rateLimit: { maxPerSecond: 50, minTimeMs: 1 },
    }).done();
    expect(provider.sectionCalls).toHaveLength(4);
    expect(result.findings).toHaveLength(8);
  });

  it('stops starting calls when the token budget runs out, keeping what calls in flight found', async () => {
    const provider = new FakeProvider({ tokensPerCall: 100, latencyMs: 5 });
    const run = startReview({
      document: documentOf(12),
      framework,
      provider,
      concurrency: 2,
      budget: new TokenBudget({ maxReviewTokens: 700 }),
    });
    const events = record(run);
    const result = await run.done();

    expect(result.stoppedBy).toMatchObject({ code: 'token_budget_exceeded', scope: 'review' });
    const calls = provider.sectionCalls.length + provider.documentCalls;
    // Two calls at a time: the budget is passed by the 5th reply, when at most one more runs.
    expect(calls).toBeGreaterThanOrEqual(5);
    expect(calls).toBeLessThanOrEqual(6);
    // Each call reports 100 input and 50 output tokens.
    expect(result.usage.inputTokens + result.usage.outputTokens).toBe(calls * 150);
    const completed = events.filter(([type]) => type === 'section.completed').length;
    expect(result.findings).toHaveLength(completed * 2);
    expect(events.at(-1)?.[0]).toBe('completed');
  });

  it('adds up the cost of each reply by the model that answered it, unknown if unpriced', async () => {
    const priced = await startReview({
      document: documentOf(2),
      framework,
      provider: new FakeProvider({ id: 'fake:priced', tokensPerCall: 1_000_000 }),
      prices: { 'fake:priced': { inputPerMillion: 1, outputPerMillion: 3 } },
    }).done();
    // Three calls (two sections, the document), each 1M input and 0.5M output tokens.
    expect(priced.costUsd).toBeCloseTo(3 * (1 * 1 + 0.5 * 3), 10);

    const unpriced = await startReview({
      document: documentOf(2),
      framework,
      provider: new FakeProvider({ id: 'fake:unpriced', tokensPerCall: 10 }),
      prices: {},
    }).done();
    expect(unpriced.costUsd).toBeNull();
  });

  it('refuses a bad concurrency or rate limit at once', () => {
    const provider = new FakeProvider();
    const document = documentOf(1);
    expect(() => startReview({ document, framework, provider, concurrency: 0 })).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
    expect(() =>
      startReview({ document, framework, provider, rateLimit: { maxPerSecond: 0.5 } }),
    ).toThrow(/maxPerSecond/);
    expect(provider.sectionCalls).toEqual([]);
  });
});

describe('the call limiter', () => {
  it('yields between jobs with setImmediate instead of bottleneck timers', () => {
    const limiter = createCallLimiter(2) as unknown as { _store: { yieldLoop: unknown } };
    const store = limiter._store;
    expect(typeof store.yieldLoop).toBe('function');
    expect(store.yieldLoop).not.toBe(Object.getPrototypeOf(store).yieldLoop);
  });
});
