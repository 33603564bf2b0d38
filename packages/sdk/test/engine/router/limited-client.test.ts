import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  estimateRequestTokens,
  type LimitedModelClient,
  limitModelClient,
} from '../../../src/engine/providers/router/index.js';
import { fakeModelClient, settle, textRequest, toolRequest, until } from './fake-model-client.js';

/** The window of the tests; checks just before a window ends leave it a second of margin. */
const WINDOW_MS = 60_000;
const MARGIN_MS = 1_000;
const started: LimitedModelClient[] = [];

function limited(...args: Parameters<typeof limitModelClient>): LimitedModelClient {
  const client = limitModelClient(...args);
  started.push(client);
  return client;
}

/**
 * What a call took is given back a window after it started, by `setTimeout`: the tests using
 * this jump the clock, which also moves with real time so bottleneck's own short timers run.
 */
function fakeClock(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout'],
    shouldAdvanceTime: true,
    advanceTimeDelta: 1,
  });
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((client) => client.stop()));
  vi.useRealTimers();
});

describe('estimateRequestTokens', () => {
  it('counts a quarter token per character sent, rounded up, plus maxOutputTokens', () => {
    const request = {
      system: [
        { text: 'abcd', cache: true },
        { text: 'ef', cache: false },
      ],
      messages: [
        { role: 'user' as const, text: 'hello' },
        { role: 'assistant' as const, toolCall: { id: '1', name: 'report', input: { a: 1 } } },
        { role: 'user' as const, toolResult: { toolCallId: '1', error: 'bad' } },
      ],
      tool: { name: 'report', description: 'Report', inputSchema: { type: 'object' } },
      maxOutputTokens: 100,
    };
    // 6 system + 5 text + 6 name + 7 `{"a":1}` + 3 error + 6 + 6 + 17 `{"type":"object"}` = 56.
    expect(estimateRequestTokens(request)).toBe(14 + 100);
    expect(estimateRequestTokens(textRequest(50))).toBe(1 + 50);
  });
});

describe('limitModelClient', () => {
  it('holds the request past requestsPerMinute until a window has passed since the first', async () => {
    fakeClock();
    const model = fakeModelClient();
    const client = limited(model, { requestsPerMinute: 3, windowMs: WINDOW_MS });

    const firstThree = [1, 2, 3].map(() => client.callTool(toolRequest(40, 10)));
    const fourth = client.callTool(toolRequest(40, 10));
    await Promise.all(firstThree);
    await until(async () => (await client.counts()).queued === 1);
    expect(await client.counts()).toEqual({
      requestsLeft: 0,
      tokensLeft: null,
      queued: 1,
      running: 0,
    });

    vi.advanceTimersByTime(WINDOW_MS - MARGIN_MS);
    await settle();
    expect(model.calls).toBe(3);

    vi.advanceTimersByTime(MARGIN_MS);
    await expect(fourth).resolves.toMatchObject({ call: { id: 'call-4' } });
    expect((await client.counts()).requestsLeft).toBe(2);
  });

  it('never starts more than requestsPerMinute in any window, even across refills', async () => {
    fakeClock();
    const model = fakeModelClient();
    const client = limited(model, { requestsPerMinute: 3, windowMs: WINDOW_MS });
    await client.callTool(toolRequest(40, 10));
    vi.advanceTimersByTime(WINDOW_MS / 2);
    await Promise.all([1, 2].map(() => client.callTool(toolRequest(40, 10))));
    const later = [1, 2, 3].map(() => client.callTool(toolRequest(40, 10)));
    await until(async () => (await client.counts()).queued === 3);

    // A window after the first call, only its one request is free again.
    vi.advanceTimersByTime(WINDOW_MS / 2);
    await until(() => model.calls === 4);
    vi.advanceTimersByTime(WINDOW_MS / 2 - MARGIN_MS);
    await settle();
    expect(model.calls).toBe(4);

    // A window after the next two, theirs are.
    vi.advanceTimersByTime(MARGIN_MS);
    await Promise.all(later);
    expect(model.calls).toBe(6);
  });

  it("takes each request's estimated tokens from tokensPerMinute", async () => {
    fakeClock();
    const model = fakeModelClient();
    const client = limited(model, { tokensPerMinute: 1_000, windowMs: WINDOW_MS });
    const request = toolRequest(400, 500);
    expect(estimateRequestTokens(request)).toBe(600);

    await client.callTool(request);
    expect((await client.counts()).tokensLeft).toBe(400);
    await client.callTool(toolRequest(40, 290));
    expect((await client.counts()).tokensLeft).toBe(100);

    const waiting = client.callTool(request);
    await until(async () => (await client.counts()).queued === 1);
    await settle();
    expect(model.calls).toBe(2);

    vi.advanceTimersByTime(WINDOW_MS);
    await waiting;
    expect(model.calls).toBe(3);
    expect((await client.counts()).tokensLeft).toBe(400);
  });

  it('fails at once for a request bigger than the whole token budget', async () => {
    const model = fakeModelClient();
    const client = limited(model, { tokensPerMinute: 1_000 });

    const error = await client.callTool(toolRequest(4_000, 200)).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: 'request_exceeds_token_limit',
      message: expect.stringContaining('1200 tokens, more than its whole budget of 1000'),
      hint: expect.stringContaining('maxOutputTokens'),
    });
    expect(model.calls).toBe(0);
    expect(await client.counts()).toMatchObject({ tokensLeft: 1_000, queued: 0 });
  });

  it('keeps at most maxConcurrent calls in flight', async () => {
    const model = fakeModelClient({ hold: true });
    const client = limited(model, { maxConcurrent: 2 });

    const calls = [1, 2, 3].map(() => client.callTool(toolRequest(40, 10)));
    await until(() => model.inFlight === 2);
    await settle();
    expect(await client.counts()).toMatchObject({ running: 2, queued: 1, requestsLeft: null });
    expect(model.calls).toBe(2);

    model.letOneGo();
    await until(() => model.calls === 3);
    model.letOneGo();
    model.letOneGo();
    await Promise.all(calls);
  });

  it("holds a stream's slot until the stream ends", async () => {
    const model = fakeModelClient({ hold: true });
    const client = limited(model, { maxConcurrent: 1 });

    const stream = client.streamText(textRequest())[Symbol.asyncIterator]();
    expect(await stream.next()).toEqual({ done: false, value: { type: 'text', text: 'Hello' } });
    const toolCall = client.callTool(toolRequest(40, 10));
    await settle();
    expect(model.calls).toBe(1);

    model.letOneGo();
    expect((await stream.next()).value).toMatchObject({ type: 'usage' });
    expect((await stream.next()).done).toBe(true);
    await until(() => model.calls === 2);
    model.letOneGo();
    await toolCall;
  });

  it('rejects a waiting request at once when its signal aborts, without calling the model', async () => {
    fakeClock();
    const model = fakeModelClient();
    const client = limited(model, { requestsPerMinute: 1, windowMs: WINDOW_MS });
    await client.callTool(toolRequest(40, 10));

    const controller = new AbortController();
    const waiting = client.callTool(toolRequest(40, 10, controller.signal));
    await until(async () => (await client.counts()).queued === 1);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: 'AbortError' });

    vi.advanceTimersByTime(WINDOW_MS);
    await until(async () => (await client.counts()).queued === 0);
    await settle();
    expect(model.calls).toBe(1);
  });

  it('rejects requests still waiting when stopped', async () => {
    const model = fakeModelClient();
    const client = limitModelClient(model, { requestsPerMinute: 1 });
    await client.callTool(toolRequest(40, 10));
    const waiting = client.callTool(toolRequest(40, 10));
    await until(async () => (await client.counts()).queued === 1);

    const outcome = waiting.catch((error: unknown) => error);
    await client.stop();

    expect(await outcome).toMatchObject({ code: 'rate_limiter_stopped' });
    expect(model.calls).toBe(1);
    await client.stop();
    await expect(client.callTool(toolRequest(40, 10))).rejects.toMatchObject({
      code: 'rate_limiter_stopped',
    });
  });

  it('passes calls straight through without limits and keeps the client id', async () => {
    const model = fakeModelClient({ id: 'openai-compatible:gpt-4o' });
    const client = limited(model);
    expect(client.id).toBe('openai-compatible:gpt-4o');
    await client.callTool(toolRequest(40, 10));
    expect(await client.counts()).toEqual({
      requestsLeft: null,
      tokensLeft: null,
      queued: 0,
      running: 0,
    });
  });

  it('refuses limits that are not whole numbers of at least 1', () => {
    expect(() =>
      limitModelClient(fakeModelClient(), { requestsPerMinute: 0, tokensPerMinute: 1.5 }),
    ).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringMatching(/requestsPerMinute.*tokensPerMinute/),
      }),
    );
  });
});
