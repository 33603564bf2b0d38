import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_BEDROCK_MODEL_ID } from '../../../src/engine/providers/bedrock/index.js';
import type { TextEvent, TextRequest } from '../../../src/engine/providers/model/model-client.js';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import {
  bedrockError,
  eventFrame,
  eventStreamResponse,
  exceptionFrame,
  modelUrl,
  REGION,
  testClient,
  textAnswerFrames,
} from './bedrock-fixture.js';

interface SeenRequest {
  url: string;
  headers: Headers;
  body: Record<string, unknown>;
  signal: AbortSignal;
}

const seen: SeenRequest[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  seen.length = 0;
});
afterAll(() => server.close());

/** Answers ConverseStream calls with `answer`, recording each request. */
function streamAnswers(answer: () => Response): void {
  server.use(
    http.post(modelUrl(DEFAULT_BEDROCK_MODEL_ID, 'converse-stream'), async ({ request }) => {
      seen.push({
        url: request.url,
        headers: request.headers,
        body: (await request.json()) as Record<string, unknown>,
        signal: request.signal,
      });
      return answer();
    }),
  );
}

function chatRequest(overrides: Partial<TextRequest> = {}): TextRequest {
  return {
    system: [{ text: 'You answer questions about a reviewed report.', cache: true }],
    messages: [
      { role: 'user', text: 'What is missing?' },
      { role: 'assistant', text: 'The root cause.' },
      { role: 'user', text: 'Why does it matter?' },
    ],
    maxOutputTokens: 512,
    ...overrides,
  };
}

/** The events a stream yields before it ends, and the error it ends with, if any. */
async function drain(
  stream: AsyncIterable<TextEvent>,
): Promise<{ events: TextEvent[]; failure: unknown }> {
  const events: TextEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, failure: undefined };
  } catch (failure) {
    return { events, failure };
  }
}

describe('bedrock streamText', () => {
  it('streams the text chunks as they arrive, then the usage', async () => {
    streamAnswers(() =>
      eventStreamResponse(textAnswerFrames(['Without it, ', 'the fix may ', 'miss.'])),
    );

    const { events, failure } = await drain(testClient().streamText(chatRequest()));

    expect(failure).toBeUndefined();
    expect(events).toEqual([
      { type: 'text', text: 'Without it, ' },
      { type: 'text', text: 'the fix may ' },
      { type: 'text', text: 'miss.' },
      { type: 'usage', usage: { inputTokens: 530, outputTokens: 12, cacheReadInputTokens: 500 } },
    ]);
    const [request] = seen;
    expect(request?.url).toBe(
      `https://bedrock-runtime.${REGION}.amazonaws.com/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse-stream`,
    );
    expect(request?.headers.get('authorization')).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/${REGION}/bedrock/aws4_request, `,
      ),
    );
    expect(request?.body).toEqual({
      system: [
        { text: 'You answer questions about a reviewed report.' },
        { cachePoint: { type: 'default' } },
      ],
      messages: [
        { role: 'user', content: [{ text: 'What is missing?' }] },
        { role: 'assistant', content: [{ text: 'The root cause.' }] },
        { role: 'user', content: [{ text: 'Why does it matter?' }] },
      ],
      inferenceConfig: { maxTokens: 512 },
    });
  });

  it('maps a throttling exception in the middle of the stream to model_throttled', async () => {
    streamAnswers(() =>
      eventStreamResponse([
        eventFrame('messageStart', { role: 'assistant', p: 'abcdefgh' }),
        eventFrame('contentBlockDelta', {
          contentBlockIndex: 0,
          delta: { text: 'Partial' },
          p: 'ab',
        }),
        exceptionFrame('throttlingException', 'Too many tokens, please wait before trying again.'),
      ]),
    );

    const { events, failure } = await drain(testClient().streamText(chatRequest()));

    expect(events).toEqual([{ type: 'text', text: 'Partial' }]);
    expect(failure).toBeInstanceOf(ModelError);
    expect(failure).toMatchObject({ code: 'model_throttled', retryable: true });
    expect((failure as ModelError).message).toContain('Too many tokens');
  });

  it.each([
    ['modelStreamErrorException', 'Model produced an invalid sequence.', 'model_unavailable'],
    [
      'serviceUnavailableException',
      'Bedrock is unable to process your request.',
      'model_unavailable',
    ],
    ['internalServerException', 'The server encountered an internal error.', 'model_unavailable'],
    ['validationException', 'Input is too long for requested model.', 'model_input_too_long'],
    [
      'validationException',
      'The format of the value at messages.1 is invalid.',
      'model_request_invalid',
    ],
  ])('maps a %s in the stream to its code', async (exceptionType, message, code) => {
    streamAnswers(() =>
      eventStreamResponse([
        eventFrame('messageStart', { role: 'assistant', p: 'abcdefgh' }),
        exceptionFrame(exceptionType, message),
      ]),
    );

    const { failure } = await drain(testClient().streamText(chatRequest()));

    expect(failure).toMatchObject({ code });
  });

  it('maps an error answer to the stream request like a Converse error', async () => {
    streamAnswers(() =>
      bedrockError(
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        {
          'retry-after': '1',
        },
      ),
    );

    const { events, failure } = await drain(testClient().streamText(chatRequest()));

    expect(events).toEqual([]);
    expect(failure).toMatchObject({ code: 'model_throttled', retryAfterMs: 1000 });
  });

  it('stops with the caller’s abort reason when the signal fires mid-stream', async () => {
    const controller = new AbortController();
    const reason = new Error('chat closed');
    streamAnswers(() =>
      eventStreamResponse(
        [
          eventFrame('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { text: 'Hel' },
            p: 'ab',
          }),
        ],
        { open: true },
      ),
    );

    const events: TextEvent[] = [];
    const stopped = (async () => {
      for await (const event of testClient().streamText(
        chatRequest({ signal: controller.signal }),
      )) {
        events.push(event);
        controller.abort(reason);
      }
    })();

    await expect(stopped).rejects.toBe(reason);
    expect(events).toEqual([{ type: 'text', text: 'Hel' }]);
  });

  it('closes the HTTP stream when the reader stops early', async () => {
    streamAnswers(() =>
      eventStreamResponse(
        [
          eventFrame('contentBlockDelta', {
            contentBlockIndex: 0,
            delta: { text: 'Hel' },
            p: 'ab',
          }),
        ],
        { open: true },
      ),
    );

    for await (const event of testClient().streamText(chatRequest())) {
      expect(event).toEqual({ type: 'text', text: 'Hel' });
      break;
    }

    expect(seen[0]?.signal.aborted).toBe(true);
  });
});
