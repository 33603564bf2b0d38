import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { TextEvent, TextRequest } from '../../../src/engine/providers/model/model-client.js';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import { createOpenAICompatibleClient } from '../../../src/engine/providers/openai-compatible/index.js';
import { chunk, eventStream, OPENAI_KEY, openAIError } from './fixtures.js';
import { setupMockService } from './mock-service.js';

const service = setupMockService();

const textRequest: TextRequest = {
  system: [{ text: 'You answer questions about one investigation report.', cache: true }],
  messages: [{ role: 'user', text: 'Who acknowledged the alarm?' }],
  maxOutputTokens: 512,
};

function client() {
  return createOpenAICompatibleClient({
    model: 'gpt-4o',
    baseUrl: `${service.origin}/v1`,
    apiKey: OPENAI_KEY,
  });
}

function answer(response: () => Response) {
  service.use(http.post(`${service.origin}/v1/chat/completions`, response));
}

/** `events` as a server-sent event stream, one `data:` event each, with `lineBreak`. */
function sse(events: unknown[], lineBreak = '\n'): string {
  return events
    .map(
      (event) =>
        `data: ${typeof event === 'string' ? event : JSON.stringify(event)}${lineBreak}${lineBreak}`,
    )
    .join('');
}

async function collect(events: AsyncIterable<TextEvent>): Promise<TextEvent[]> {
  const collected: TextEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

const usage = {
  prompt_tokens: 2210,
  completion_tokens: 9,
  total_tokens: 2219,
  prompt_tokens_details: { cached_tokens: 2048, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0 },
};

const answerEvents = [
  chunk({ role: 'assistant', content: '', refusal: null }),
  chunk({ content: 'The shift ' }),
  chunk({ content: 'supervisor, at 14:05 — ' }),
  chunk({ content: 'per the log.' }),
  chunk({}, { finishReason: 'stop' }),
  chunk(undefined, { usage }),
  '[DONE]',
];

describe('streamText', () => {
  it('streams the text as it arrives, then the usage, from chunks cut mid-line', async () => {
    const text = `: OPENROUTER PROCESSING\r\n\r\n${sse(answerEvents, '\r\n')}`;
    answer(() => eventStream(text, 7));

    const events = await collect(client().streamText(textRequest));

    expect(events).toEqual([
      { type: 'text', text: 'The shift ' },
      { type: 'text', text: 'supervisor, at 14:05 — ' },
      { type: 'text', text: 'per the log.' },
      { type: 'usage', usage: { inputTokens: 2210, outputTokens: 9, cacheReadInputTokens: 2048 } },
    ]);
    const [request] = service.requests;
    expect(request?.headers.get('accept')).toBe('text/event-stream');
    expect(await request?.json()).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'You answer questions about one investigation report.' },
        { role: 'user', content: 'Who acknowledged the alarm?' },
      ],
      max_tokens: 512,
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it("reads vLLM's usage chunk without choices, and a stream that ends without [DONE] after a finish reason", async () => {
    const events = [
      chunk({ role: 'assistant', content: 'Nobody.' }),
      chunk({}, { finishReason: 'stop' }),
      {
        id: 'chatcmpl-7f3a',
        object: 'chat.completion.chunk',
        created: 1741570100,
        model: 'Qwen/Qwen2.5-7B-Instruct',
        usage: { prompt_tokens: 40, completion_tokens: 3, total_tokens: 43 },
      },
    ];
    answer(() => eventStream(sse(events), 1024));

    expect(await collect(client().streamText(textRequest))).toEqual([
      { type: 'text', text: 'Nobody.' },
      { type: 'usage', usage: { inputTokens: 40, outputTokens: 3 } },
    ]);
  });

  it('fails with the mapped error when the stream request is refused', async () => {
    answer(() =>
      openAIError(
        429,
        {
          message: 'Rate limit reached for gpt-4o.',
          type: 'requests',
          code: 'rate_limit_exceeded',
        },
        { 'retry-after': '1' },
      ),
    );

    await expect(collect(client().streamText(textRequest))).rejects.toMatchObject({
      code: 'model_throttled',
      retryAfterMs: 1000,
    });
  });

  it('fails with model_unavailable on an error event in the middle of the stream', async () => {
    const events = [
      chunk({ role: 'assistant', content: 'The shift ' }),
      {
        error: {
          message: 'The server had an error while processing your request.',
          type: 'server_error',
          param: null,
          code: null,
        },
      },
    ];
    answer(() => eventStream(sse(events), 64));
    const seen: TextEvent[] = [];

    const error = await (async () => {
      for await (const event of client().streamText(textRequest)) seen.push(event);
    })().catch((caught: unknown) => caught);

    expect(seen).toEqual([{ type: 'text', text: 'The shift ' }]);
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'model_unavailable', retryable: true });
  });

  it('fails with model_unavailable when the stream stops before the answer is complete', async () => {
    answer(() => eventStream(sse([chunk({ role: 'assistant', content: 'The shift ' })]), 64));

    await expect(collect(client().streamText(textRequest))).rejects.toMatchObject({
      code: 'model_unavailable',
    });
  });

  it("rejects with the caller's abort reason when the signal aborts mid-stream", async () => {
    const encoder = new TextEncoder();
    answer(
      () =>
        new HttpResponse(
          new ReadableStream<Uint8Array>({
            start(controller) {
              // The first piece of the answer, then nothing more: the stream stays open.
              controller.enqueue(
                encoder.encode(sse([chunk({ role: 'assistant', content: 'The ' })])),
              );
            },
          }),
          { headers: { 'content-type': 'text/event-stream' } },
        ),
    );
    const controller = new AbortController();
    const reason = new Error('The chat was closed.');
    const seen: TextEvent[] = [];

    const error = await (async () => {
      for await (const event of client().streamText({
        ...textRequest,
        signal: controller.signal,
      })) {
        seen.push(event);
        controller.abort(reason);
      }
    })().catch((caught: unknown) => caught);

    expect(seen).toEqual([{ type: 'text', text: 'The ' }]);
    expect(error).toBe(reason);
  });

  it('lets the caller stop reading early', async () => {
    answer(() => eventStream(sse(answerEvents), 4096));
    const seen: TextEvent[] = [];

    for await (const event of client().streamText(textRequest)) {
      seen.push(event);
      break;
    }

    expect(seen).toEqual([{ type: 'text', text: 'The shift ' }]);
  });
});
