import { describe, expect, it } from 'vitest';
import { ReviewCanceledError } from '../../../src/engine/errors.js';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import {
  AllProvidersFailedError,
  createRouter,
  type ProviderBreakerChange,
} from '../../../src/engine/providers/router/index.js';
import { PrismError } from '../../../src/errors.js';
import { documentOf } from '../review-fixtures.js';
import { contextOf, replyFrom, scriptedProvider } from './scripted-provider.js';

const section = documentOf(1).sections[0];
if (!section) throw new Error('fixture has no section');

const throttled = () => new ModelError('model_throttled', 'Too many requests.');
const unavailable = () => new ModelError('model_unavailable', 'Service unavailable.');

describe('createRouter: fallback', () => {
  it('answers with the first provider when it succeeds, untouched', async () => {
    const bedrock = scriptedProvider('bedrock:claude', [replyFrom('from bedrock')]);
    const openai = scriptedProvider('openai-compatible:gpt', [replyFrom('from openai')]);
    const router = createRouter([bedrock, openai]);

    const reply = await router.reviewSection(section, contextOf());

    expect(router.id).toBe('bedrock:claude,openai-compatible:gpt');
    expect(reply.findings.map((f) => f.title)).toEqual(['from bedrock']);
    expect(reply.answeredBy).toBe('bedrock:claude');
    expect(reply.degraded).toBeUndefined();
    expect(reply.usage).toEqual({ inputTokens: 100, outputTokens: 20 });
    expect(openai.calls).toBe(0);
  });

  it('falls back in order and says which provider failed and which answered', async () => {
    const bedrock = scriptedProvider('bedrock:claude', [throttled()]);
    const azure = scriptedProvider('openai-compatible:azure', [unavailable()]);
    const rules = scriptedProvider('rules', [replyFrom('from rules')]);
    const last = scriptedProvider('never', [replyFrom('never')]);
    const router = createRouter([bedrock, azure, rules, last]);

    const reply = await router.reviewDocument(contextOf());

    expect(reply.findings.map((f) => f.title)).toEqual(['from rules']);
    expect(reply.answeredBy).toBe('rules');
    expect(reply.degraded).toBe(
      'bedrock:claude failed (model_throttled); openai-compatible:azure failed (model_unavailable); answered by rules',
    );
    expect([bedrock.calls, azure.calls, rules.calls, last.calls]).toEqual([1, 1, 1, 0]);
  });

  it("keeps the answering provider's own degraded reason after the routing one", async () => {
    const bedrock = scriptedProvider('bedrock:claude', [new Error('socket hang up')]);
    const openai = scriptedProvider('openai-compatible:gpt', [
      { findings: [], degraded: 'the answer stayed invalid; rules findings stand in' },
    ]);
    const reply = await createRouter([bedrock, openai]).reviewSection(section, contextOf());

    expect(reply.degraded).toBe(
      'bedrock:claude failed (Error); answered by openai-compatible:gpt; the answer stayed invalid; rules findings stand in',
    );
  });

  it('throws all_providers_failed naming each provider and its error code', async () => {
    const bedrockError = throttled();
    const openaiError = new ModelError('model_access_denied', 'Bad key.');
    const router = createRouter([
      scriptedProvider('bedrock:claude', [bedrockError]),
      scriptedProvider('openai-compatible:gpt', [openaiError]),
    ]);

    const error = await router.reviewSection(section, contextOf()).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AllProvidersFailedError);
    expect(error).toBeInstanceOf(PrismError);
    const failed = error as AllProvidersFailedError;
    expect(failed.code).toBe('all_providers_failed');
    expect(failed.message).toBe(
      'No review provider answered: bedrock:claude failed (model_throttled); openai-compatible:gpt failed (model_access_denied).',
    );
    expect(failed.hint).toMatch(/rules/);
    expect(failed.failures).toEqual([
      {
        providerId: 'bedrock:claude',
        outcome: 'failed',
        code: 'model_throttled',
        error: bedrockError,
      },
      {
        providerId: 'openai-compatible:gpt',
        outcome: 'failed',
        code: 'model_access_denied',
        error: openaiError,
      },
    ]);
    expect((failed.cause as AggregateError).errors).toEqual([bedrockError, openaiError]);
  });

  it('refuses an empty list and two providers with one id', () => {
    expect(() => createRouter([])).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    const a = scriptedProvider('rules', [replyFrom('a')]);
    expect(() => createRouter([a, a])).toThrow(/two providers with the id "rules"/);
  });
});

describe('createRouter: aborts', () => {
  it('rethrows the error of a call whose signal aborted, without falling back', async () => {
    const controller = new AbortController();
    const abortError = new DOMException('This operation was aborted', 'AbortError');
    const bedrock = scriptedProvider('bedrock:claude', [
      async () => {
        controller.abort();
        throw abortError;
      },
    ]);
    const rules = scriptedProvider('rules', [replyFrom('from rules')]);
    const router = createRouter([bedrock, rules]);

    await expect(router.reviewSection(section, contextOf(controller.signal))).rejects.toBe(
      abortError,
    );
    expect(rules.calls).toBe(0);
  });

  it('rethrows a ReviewCanceledError without falling back', async () => {
    const canceled = new ReviewCanceledError();
    const bedrock = scriptedProvider('bedrock:claude', [canceled]);
    const rules = scriptedProvider('rules', [replyFrom('from rules')]);

    await expect(createRouter([bedrock, rules]).reviewDocument(contextOf())).rejects.toBe(canceled);
    expect(rules.calls).toBe(0);
  });

  it('calls no provider when the signal is already aborted', async () => {
    const bedrock = scriptedProvider('bedrock:claude', [replyFrom('from bedrock')]);
    const context = contextOf(AbortSignal.abort());

    await expect(createRouter([bedrock]).reviewDocument(context)).rejects.toBeInstanceOf(
      ReviewCanceledError,
    );
    expect(bedrock.calls).toBe(0);
  });

  it('does not count an aborted call against the provider', async () => {
    const controller = new AbortController();
    const bedrock = scriptedProvider('bedrock:claude', [
      async () => {
        controller.abort();
        throw new Error('aborted');
      },
    ]);
    const router = createRouter([bedrock], { failureThreshold: 1 });

    await expect(router.reviewDocument(contextOf(controller.signal))).rejects.toThrow('aborted');
    expect(router.breakerStates()).toEqual([
      { providerId: 'bedrock:claude', state: 'closed', consecutiveFailures: 0, openedAt: null },
    ]);
  });
});

describe('createRouter: circuit breakers', () => {
  function setup(bedrockScript: Parameters<typeof scriptedProvider>[1]) {
    let now = 1_000;
    const changes: ProviderBreakerChange[] = [];
    const bedrock = scriptedProvider('bedrock:claude', bedrockScript);
    const rules = scriptedProvider('rules', [replyFrom('from rules')]);
    const router = createRouter([bedrock, rules], {
      failureThreshold: 3,
      coolDownMs: 30_000,
      now: () => now,
      onStateChange: (change) => changes.push(change),
    });
    const advance = (ms: number) => {
      now += ms;
    };
    return { router, bedrock, rules, changes, advance };
  }

  it('opens after N consecutive failures and then skips the provider without calling it', async () => {
    const { router, bedrock, changes } = setup([unavailable()]);

    for (let call = 0; call < 3; call += 1) await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(3);
    expect(changes).toEqual([
      { providerId: 'bedrock:claude', from: 'closed', to: 'open', at: 1_000 },
    ]);

    const reply = await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(3);
    expect(reply.degraded).toBe('bedrock:claude skipped (circuit_open); answered by rules');
    expect(router.breakerStates()).toEqual([
      { providerId: 'bedrock:claude', state: 'open', consecutiveFailures: 3, openedAt: 1_000 },
      { providerId: 'rules', state: 'closed', consecutiveFailures: 0, openedAt: null },
    ]);
  });

  it('a success before the threshold resets the count', async () => {
    const { router, bedrock } = setup([
      unavailable(),
      unavailable(),
      replyFrom('ok'),
      unavailable(),
      unavailable(),
      replyFrom('ok'),
    ]);
    for (let call = 0; call < 6; call += 1) await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(6);
    expect(router.breakerStates()[0]?.state).toBe('closed');
  });

  it('after the cool-down, one successful trial call closes the breaker', async () => {
    const failures = [unavailable(), unavailable(), unavailable()];
    const { router, bedrock, changes, advance } = setup([...failures, replyFrom('recovered')]);
    for (let call = 0; call < 3; call += 1) await router.reviewSection(section, contextOf());

    advance(29_999);
    await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(3);

    advance(1);
    const reply = await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(4);
    expect(reply.answeredBy).toBe('bedrock:claude');
    expect(reply.degraded).toBeUndefined();
    expect(changes.map(({ from, to }) => `${from}->${to}`)).toEqual([
      'closed->open',
      'open->half-open',
      'half-open->closed',
    ]);
    expect(router.breakerStates()[0]).toMatchObject({ state: 'closed', consecutiveFailures: 0 });
  });

  it('a failed trial call opens the breaker again for another cool-down', async () => {
    const { router, bedrock, changes, advance } = setup([unavailable()]);
    for (let call = 0; call < 3; call += 1) await router.reviewSection(section, contextOf());

    advance(30_000);
    const trial = await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(4);
    expect(trial.degraded).toBe('bedrock:claude failed (model_unavailable); answered by rules');
    expect(router.breakerStates()[0]).toMatchObject({ state: 'open', openedAt: 31_000 });

    advance(29_999);
    await router.reviewSection(section, contextOf());
    expect(bedrock.calls).toBe(4);
    expect(changes.map(({ from, to }) => `${from}->${to}`)).toEqual([
      'closed->open',
      'open->half-open',
      'half-open->open',
    ]);
  });

  it('lets only one trial call through while half-open', async () => {
    let finishTrial: (() => void) | undefined;
    const { router, bedrock, advance } = setup([
      unavailable(),
      unavailable(),
      unavailable(),
      () =>
        new Promise((resolve) => {
          finishTrial = () => resolve(replyFrom('recovered'));
        }),
    ]);
    for (let call = 0; call < 3; call += 1) await router.reviewSection(section, contextOf());
    advance(30_000);

    const trial = router.reviewSection(section, contextOf());
    const meanwhile = await router.reviewSection(section, contextOf());
    expect(meanwhile.degraded).toBe('bedrock:claude skipped (circuit_open); answered by rules');
    expect(bedrock.calls).toBe(4);

    finishTrial?.();
    expect((await trial).answeredBy).toBe('bedrock:claude');
  });

  it('does not count errors about the request size towards opening the breaker', async () => {
    const { router, bedrock } = setup([
      new ModelError('model_input_too_long', 'Input is too long.'),
    ]);
    for (let call = 0; call < 5; call += 1) {
      const reply = await router.reviewSection(section, contextOf());
      expect(reply.degraded).toBe(
        'bedrock:claude failed (model_input_too_long); answered by rules',
      );
    }
    expect(bedrock.calls).toBe(5);
    expect(router.breakerStates()[0]?.state).toBe('closed');
  });
});
