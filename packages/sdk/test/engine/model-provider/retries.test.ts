import { describe, expect, it } from 'vitest';
import { createModelProvider, ModelError } from '../../../src/engine/providers/model/index.js';
import { CLEAN_ROOT_CAUSE, contextOf, documentOf, recordingSleep, sectionOf } from './fixture.js';
import { findingsAnswer, rawFinding, ScriptedModelClient } from './scripted-client.js';

const DOCUMENT = documentOf([['Root cause', CLEAN_ROOT_CAUSE]]);
const SECTION = sectionOf(DOCUMENT, 0);

function throttled(retryAfterMs?: number): ModelError {
  return new ModelError('model_throttled', 'Too many requests.', {
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  });
}

describe('a model provider facing failures', () => {
  it('retries throttling with growing, jittered waits, at least as long as the service asks', async () => {
    const { sleep, waits } = recordingSleep();
    const client = new ScriptedModelClient([
      throttled(2000),
      throttled(),
      findingsAnswer([rawFinding()], { inputTokens: 900, outputTokens: 40 }),
    ]);
    const reply = await createModelProvider(client, { sleep, baseDelayMs: 100 }).reviewSection(
      SECTION,
      contextOf(DOCUMENT),
    );

    expect(client.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
    expect(waits[0]).toBeGreaterThanOrEqual(2000);
    expect(waits[0]).toBeLessThanOrEqual(2100);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[1]).toBeLessThanOrEqual(200);
    expect(reply.findings).toHaveLength(1);
    expect(reply.usage).toEqual({ inputTokens: 900, outputTokens: 40 });
  });

  it('retries unavailability and timeouts too', async () => {
    const { sleep, waits } = recordingSleep();
    const client = new ScriptedModelClient([
      new ModelError('model_unavailable', 'Service unavailable.'),
      new ModelError('model_timeout', 'The model timed out.'),
      findingsAnswer([]),
    ]);
    await createModelProvider(client, { sleep }).reviewSection(SECTION, contextOf(DOCUMENT));
    expect(waits).toHaveLength(2);
  });

  it('throws the ModelError once the retries are spent', async () => {
    const { sleep, waits } = recordingSleep();
    const client = new ScriptedModelClient([throttled(), throttled(), throttled()]);
    const provider = createModelProvider(client, { sleep, maxRetries: 2 });
    await expect(provider.reviewSection(SECTION, contextOf(DOCUMENT))).rejects.toMatchObject({
      name: 'ModelError',
      code: 'model_throttled',
    });
    expect(client.requests).toHaveLength(3);
    expect(waits).toHaveLength(2);
  });

  it('retries four times by default', async () => {
    const { sleep, waits } = recordingSleep();
    const client = new ScriptedModelClient(Array.from({ length: 5 }, () => throttled()));
    await expect(
      createModelProvider(client, { sleep }).reviewSection(SECTION, contextOf(DOCUMENT)),
    ).rejects.toBeInstanceOf(ModelError);
    expect(client.requests).toHaveLength(5);
    expect(waits).toHaveLength(4);
  });

  it('does not wait longer than maxDelayMs: the error is thrown for a fallback to take over', async () => {
    const { sleep, waits } = recordingSleep();
    const client = new ScriptedModelClient([throttled(120_000)]);
    await expect(
      createModelProvider(client, { sleep, maxDelayMs: 60_000 }).reviewSection(
        SECTION,
        contextOf(DOCUMENT),
      ),
    ).rejects.toMatchObject({ code: 'model_throttled' });
    expect(waits).toEqual([]);
  });

  it('throws an error that is not retryable at once', async () => {
    const { sleep, waits } = recordingSleep();
    const denied = new ModelError('model_access_denied', 'Not granted this model.', {
      hint: 'Grant access.',
    });
    const client = new ScriptedModelClient([denied]);
    await expect(
      createModelProvider(client, { sleep }).reviewSection(SECTION, contextOf(DOCUMENT)),
    ).rejects.toBe(denied);
    expect(client.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('throws errors that are not ModelErrors unchanged', async () => {
    const failure = new TypeError('fetch failed');
    const client = new ScriptedModelClient([failure]);
    await expect(createModelProvider(client).reviewDocument(contextOf(DOCUMENT))).rejects.toBe(
      failure,
    );
  });
});

describe('a model provider whose review is aborted', () => {
  it('makes no call when the signal has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the caller'));
    const client = new ScriptedModelClient([findingsAnswer([])]);
    const provider = createModelProvider(client);
    await expect(
      provider.reviewSection(SECTION, contextOf(DOCUMENT, controller.signal)),
    ).rejects.toThrow('stopped by the caller');
    await expect(provider.reviewDocument(contextOf(DOCUMENT, controller.signal))).rejects.toThrow(
      'stopped by the caller',
    );
    expect(client.requests).toEqual([]);
  });

  it('stops retrying once the signal aborts during a call', async () => {
    const controller = new AbortController();
    const { sleep, waits } = recordingSleep();
    const client = new ScriptedModelClient([
      () => {
        controller.abort(new Error('stopped by the caller'));
        throw throttled();
      },
      findingsAnswer([]),
    ]);
    await expect(
      createModelProvider(client, { sleep }).reviewSection(
        SECTION,
        contextOf(DOCUMENT, controller.signal),
      ),
    ).rejects.toThrow('stopped by the caller');
    expect(client.requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('stops retrying once the signal aborts during a wait', async () => {
    const controller = new AbortController();
    const client = new ScriptedModelClient([throttled(), findingsAnswer([])]);
    const sleep = async (_ms: number, signal?: AbortSignal) => {
      controller.abort(new Error('stopped by the caller'));
      signal?.throwIfAborted();
    };
    await expect(
      createModelProvider(client, { sleep }).reviewSection(
        SECTION,
        contextOf(DOCUMENT, controller.signal),
      ),
    ).rejects.toThrow('stopped by the caller');
    expect(client.requests).toHaveLength(1);
  });

  it('cuts a real wait short', async () => {
    const controller = new AbortController();
    const client = new ScriptedModelClient([
      () => {
        setImmediate(() => controller.abort(new Error('stopped by the caller')));
        throw throttled(59_000);
      },
    ]);
    await expect(
      createModelProvider(client).reviewSection(SECTION, contextOf(DOCUMENT, controller.signal)),
    ).rejects.toThrow('stopped by the caller');
    expect(client.requests).toHaveLength(1);
  });
});
