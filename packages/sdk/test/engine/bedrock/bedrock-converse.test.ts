import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createBedrockClient,
  DEFAULT_BEDROCK_MODEL_ID,
  supportsPromptCaching,
} from '../../../src/engine/providers/bedrock/index.js';
import type { ModelMessage } from '../../../src/engine/providers/model/model-client.js';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import {
  CREDENTIALS,
  fetchRequestHandler,
  modelUrl,
  REGION,
  testClient,
  toolRequest,
  toolUseAnswer,
} from './bedrock-fixture.js';

interface SeenRequest {
  url: string;
  method: string;
  headers: Headers;
  body: Record<string, unknown>;
}

const seen: SeenRequest[] = [];
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
  seen.length = 0;
});
afterAll(() => server.close());

/** Answers Converse calls on `modelId` with `answer`, recording each request. */
function converseAnswers(modelId: string, answer: () => Response): void {
  server.use(
    http.post(modelUrl(modelId, 'converse'), async ({ request }) => {
      seen.push({
        url: request.url,
        method: request.method,
        headers: request.headers,
        body: (await request.json()) as Record<string, unknown>,
      });
      return answer();
    }),
  );
}

describe('bedrock callTool', () => {
  it('sends a signed Converse request forcing the tool and returns its call with the usage', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () => HttpResponse.json(toolUseAnswer()));
    const client = testClient();

    const answer = await client.callTool(toolRequest());

    expect(client.id).toBe(`bedrock:${DEFAULT_BEDROCK_MODEL_ID}`);
    expect(seen).toHaveLength(1);
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe(
      `https://bedrock-runtime.${REGION}.amazonaws.com/model/us.anthropic.claude-sonnet-4-20250514-v1%3A0/converse`,
    );
    expect(request?.headers.get('authorization')).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(request?.headers.get('x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/);
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.body).toEqual({
      system: [
        { text: 'You review investigation reports against the Hawkeye framework.' },
        { cachePoint: { type: 'default' } },
        { text: 'Section 3 of 7.' },
      ],
      messages: [{ role: 'user', content: [{ text: 'Review this section: the pump failed.' }] }],
      inferenceConfig: { maxTokens: 2048 },
      toolConfig: {
        tools: [
          {
            toolSpec: {
              name: 'report_findings',
              description: 'Report the findings for the section.',
              inputSchema: {
                json: {
                  type: 'object',
                  properties: { findings: { type: 'array', items: { type: 'string' } } },
                  required: ['findings'],
                },
              },
            },
          },
        ],
        toolChoice: { tool: { name: 'report_findings' } },
      },
    });
    expect(answer).toEqual({
      call: {
        id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
        name: 'report_findings',
        input: { findings: ['No root cause is stated.'] },
      },
      // Bedrock's inputTokens (120) leaves out the cached tokens; Prism counts them in.
      usage: {
        inputTokens: 1320,
        outputTokens: 45,
        cacheReadInputTokens: 1000,
        cacheWriteInputTokens: 200,
      },
    });
  });

  it('takes the region from AWS_REGION when none is given', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () => HttpResponse.json(toolUseAnswer()));
    vi.stubEnv('AWS_REGION', REGION);

    await createBedrockClient({
      credentials: CREDENTIALS,
      requestHandler: fetchRequestHandler,
    }).callTool(toolRequest());

    expect(seen[0]?.url).toContain(`https://bedrock-runtime.${REGION}.amazonaws.com/`);
  });

  it('leaves cache points out for a model without prompt caching', async () => {
    const llama = 'meta.llama3-1-70b-instruct-v1:0';
    converseAnswers(llama, () => HttpResponse.json(toolUseAnswer()));

    await testClient({ modelId: llama }).callTool(toolRequest());

    expect(seen[0]?.body.system).toEqual([
      { text: 'You review investigation reports against the Hawkeye framework.' },
      { text: 'Section 3 of 7.' },
    ]);
  });

  it.each([
    ['anthropic.claude-sonnet-4-20250514-v1:0', true],
    ['us.anthropic.claude-3-7-sonnet-20250219-v1:0', true],
    ['eu.anthropic.claude-3-5-haiku-20241022-v1:0', true],
    ['global.anthropic.claude-opus-4-1-20250805-v1:0', true],
    ['apac.anthropic.claude-haiku-4-5-20251001-v1:0', true],
    ['amazon.nova-pro-v1:0', true],
    ['arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0', true],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', false],
    ['anthropic.claude-3-haiku-20240307-v1:0', false],
    ['meta.llama3-1-70b-instruct-v1:0', false],
    ['mistral.mistral-large-2407-v1:0', false],
    ['arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6', false],
  ])('knows whether %s supports prompt caching (%s)', (modelId, expected) => {
    expect(supportsPromptCaching(modelId)).toBe(expected);
  });

  it('sends the refused tool call back as an error tool result for the repair round', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () => HttpResponse.json(toolUseAnswer()));
    const messages: ModelMessage[] = [
      { role: 'user', text: 'Review this section.' },
      { role: 'assistant', toolCall: { id: 'tooluse_1', name: 'report_findings', input: {} } },
      {
        role: 'user',
        toolResult: { toolCallId: 'tooluse_1', error: 'findings: required property missing' },
      },
    ];

    await testClient().callTool(toolRequest({ messages }));

    expect(seen[0]?.body.messages).toEqual([
      { role: 'user', content: [{ text: 'Review this section.' }] },
      {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 'tooluse_1', name: 'report_findings', input: {} } }],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'tooluse_1',
              content: [{ text: 'findings: required property missing' }],
              status: 'error',
            },
          },
        ],
      },
    ]);
  });

  it('merges consecutive turns of the same role into one message, as Converse requires', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () => HttpResponse.json(toolUseAnswer()));
    const messages: ModelMessage[] = [
      { role: 'user', text: 'Here is the framework.' },
      { role: 'user', text: 'Review this section.' },
      { role: 'assistant', text: 'Reporting now.' },
      { role: 'assistant', toolCall: { id: 'tooluse_2', name: 'report_findings', input: {} } },
      { role: 'user', toolResult: { toolCallId: 'tooluse_2', error: 'findings is missing' } },
      { role: 'user', text: 'Call the tool again with the findings.' },
    ];

    await testClient().callTool(toolRequest({ messages }));

    expect(seen[0]?.body.messages).toEqual([
      {
        role: 'user',
        content: [{ text: 'Here is the framework.' }, { text: 'Review this section.' }],
      },
      {
        role: 'assistant',
        content: [
          { text: 'Reporting now.' },
          { toolUse: { toolUseId: 'tooluse_2', name: 'report_findings', input: {} } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: {
              toolUseId: 'tooluse_2',
              content: [{ text: 'findings is missing' }],
              status: 'error',
            },
          },
          { text: 'Call the tool again with the findings.' },
        ],
      },
    ]);
  });

  it('rejects an answer cut off at the output token limit as invalid', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () =>
      HttpResponse.json(toolUseAnswer({ stopReason: 'max_tokens' })),
    );

    const failure = await testClient()
      .callTool(toolRequest())
      .catch((error: unknown) => error);

    expect(failure).toBeInstanceOf(ModelError);
    expect(failure).toMatchObject({ code: 'model_answer_invalid', retryable: false });
    expect((failure as ModelError).hint).toMatch(/maxOutputTokens/);
  });

  it('rejects an answer without a call of the tool as invalid', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () =>
      HttpResponse.json(
        toolUseAnswer({
          output: { message: { role: 'assistant', content: [{ text: 'The section is fine.' }] } },
          stopReason: 'end_turn',
        }),
      ),
    );

    await expect(testClient().callTool(toolRequest())).rejects.toMatchObject({
      code: 'model_answer_invalid',
      message: expect.stringContaining("without calling the tool 'report_findings'"),
    });
  });

  it('throws the caller’s abort reason when the signal fires during the call', async () => {
    const controller = new AbortController();
    const reason = new Error('review canceled');
    server.use(
      http.post(modelUrl(DEFAULT_BEDROCK_MODEL_ID, 'converse'), async () => {
        controller.abort(reason);
        return new Promise<Response>(() => {});
      }),
    );

    await expect(testClient().callTool(toolRequest({ signal: controller.signal }))).rejects.toBe(
      reason,
    );
  });

  it('sends nothing when the signal has already fired', async () => {
    converseAnswers(DEFAULT_BEDROCK_MODEL_ID, () => HttpResponse.json(toolUseAnswer()));
    const reason = new Error('review canceled');

    await expect(
      testClient().callTool(toolRequest({ signal: AbortSignal.abort(reason) })),
    ).rejects.toBe(reason);
    expect(seen).toHaveLength(0);
  });
});
