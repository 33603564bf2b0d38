import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ToolRequest } from '../../../src/engine/providers/model/model-client.js';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import {
  azureOpenAIOptions,
  createOpenAICompatibleClient,
} from '../../../src/engine/providers/openai-compatible/index.js';
import { PrismError } from '../../../src/errors.js';
import {
  AZURE_KEY,
  chatCompletion,
  findingsInput,
  OPENAI_KEY,
  toolCall,
  toolRequest,
} from './fixtures.js';
import { setupMockService } from './mock-service.js';

const service = setupMockService();

beforeEach(() => {
  vi.stubEnv('OPENAI_API_KEY', undefined);
  vi.stubEnv('OPENAI_BASE_URL', undefined);
  vi.stubEnv('AZURE_OPENAI_API_KEY', undefined);
  vi.stubEnv('AZURE_OPENAI_ENDPOINT', undefined);
  vi.stubEnv('OPENAI_API_VERSION', undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
});

/** Answers every chat completions request with a call of the tool with `findingsInput`. */
function answerWithFindings(path = '/v1/chat/completions') {
  service.use(
    http.post(`${service.origin}${path}`, () =>
      HttpResponse.json(chatCompletion({ tool_calls: [toolCall(JSON.stringify(findingsInput))] })),
    ),
  );
}

async function sentBody(index = 0): Promise<Record<string, unknown>> {
  const request = service.requests[index];
  if (!request) throw new Error(`no request ${index}`);
  return (await request.clone().json()) as Record<string, unknown>;
}

describe('callTool', () => {
  it('sends a forced tool call in OpenAI format and reads the call and the usage', async () => {
    answerWithFindings();
    const client = createOpenAICompatibleClient({
      model: 'gpt-4o',
      baseUrl: `${service.origin}/v1`,
      apiKey: OPENAI_KEY,
    });

    const answer = await client.callTool(toolRequest);

    expect(client.id).toBe('openai-compatible:gpt-4o');
    expect(answer).toEqual({
      call: { id: 'call_Ue2bDqNbYWFcRZbnuwH6dNvT', name: 'record_findings', input: findingsInput },
      usage: { inputTokens: 1830, outputTokens: 41, cacheReadInputTokens: 1536 },
    });
    const [request] = service.requests;
    expect(request?.method).toBe('POST');
    expect(new URL(request?.url ?? '').pathname).toBe('/v1/chat/completions');
    expect(request?.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`);
    expect(request?.headers.get('content-type')).toBe('application/json');
    expect(request?.headers.get('user-agent')).toMatch(/^prism-sdk\//);
    expect(await sentBody()).toEqual({
      model: 'gpt-4o',
      messages: [
        {
          role: 'system',
          content: 'You review incident investigation reports.\n\nApply the Hawkeye framework.',
        },
        { role: 'user', content: 'Section 2. Timeline: the alarm sounded at 14:02.' },
      ],
      tools: [
        {
          type: 'function',
          function: {
            name: 'record_findings',
            description: 'Records the findings of a section review.',
            parameters: toolRequest.tool.inputSchema,
          },
        },
      ],
      tool_choice: { type: 'function', function: { name: 'record_findings' } },
      max_tokens: 1024,
    });
  });

  it('sends a repair round: the earlier call as assistant tool_calls, its refusal as a tool message', async () => {
    answerWithFindings();
    const client = createOpenAICompatibleClient({
      model: 'gpt-4o',
      baseUrl: `${service.origin}/v1`,
      apiKey: OPENAI_KEY,
    });
    const earlier = { id: 'call_first', name: 'record_findings', input: { findings: 'none' } };
    const repair: ToolRequest = {
      ...toolRequest,
      messages: [
        ...toolRequest.messages,
        { role: 'assistant', toolCall: earlier },
        {
          role: 'user',
          toolResult: {
            toolCallId: 'call_first',
            error: 'findings: expected array, received string',
          },
        },
      ],
    };

    await client.callTool(repair);

    expect((await sentBody()).messages).toEqual([
      expect.objectContaining({ role: 'system' }),
      { role: 'user', content: 'Section 2. Timeline: the alarm sounded at 14:02.' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_first',
            type: 'function',
            function: { name: 'record_findings', arguments: '{"findings":"none"}' },
          },
        ],
      },
      {
        role: 'tool',
        tool_call_id: 'call_first',
        content: 'findings: expected array, received string',
      },
    ]);
  });

  it('sends max_completion_tokens instead when asked (OpenAI reasoning models)', async () => {
    answerWithFindings();
    const client = createOpenAICompatibleClient({
      model: 'o3-mini',
      baseUrl: `${service.origin}/v1`,
      apiKey: OPENAI_KEY,
      maxTokensParameter: 'max_completion_tokens',
    });

    await client.callTool(toolRequest);

    const body = await sentBody();
    expect(body.max_completion_tokens).toBe(1024);
    expect(body).not.toHaveProperty('max_tokens');
  });

  it('takes the base URL and the key from OPENAI_BASE_URL and OPENAI_API_KEY', async () => {
    vi.stubEnv('OPENAI_BASE_URL', `${service.origin}/v1/`);
    vi.stubEnv('OPENAI_API_KEY', OPENAI_KEY);
    answerWithFindings();

    await createOpenAICompatibleClient({ model: 'gpt-4o-mini' }).callTool(toolRequest);

    expect(new URL(service.requests[0]?.url ?? '').pathname).toBe('/v1/chat/completions');
    expect(service.requests[0]?.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`);
  });

  it('sends extra headers and query parameters', async () => {
    answerWithFindings();
    const client = createOpenAICompatibleClient({
      model: 'gpt-4o',
      baseUrl: `${service.origin}/v1`,
      apiKey: OPENAI_KEY,
      headers: { 'OpenAI-Organization': 'org-prism' },
      query: { tenant: 'ops' },
    });

    await client.callTool(toolRequest);

    const [request] = service.requests;
    expect(request?.headers.get('openai-organization')).toBe('org-prism');
    expect(new URL(request?.url ?? '').searchParams.get('tenant')).toBe('ops');
  });

  it('refuses to call OpenAI without a key, naming OPENAI_API_KEY', () => {
    const create = () => createOpenAICompatibleClient({ model: 'gpt-4o' });

    expect(create).toThrow(ModelError);
    expect(create).toThrow(
      expect.objectContaining({
        code: 'model_access_denied',
        hint: expect.stringContaining('OPENAI_API_KEY'),
        retryable: false,
      }),
    );
    expect(service.requests).toHaveLength(0);
  });

  it('refuses a base URL that is not http(s), and an empty model', () => {
    expect(() =>
      createOpenAICompatibleClient({ model: 'llama3.1', baseUrl: 'localhost:11434' }),
    ).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
    expect(() => createOpenAICompatibleClient({ model: ' ', apiKey: OPENAI_KEY })).toThrow(
      PrismError,
    );
  });
});

describe('Ollama and vLLM', () => {
  it('call a local server without a key (Ollama answers finish_reason tool_calls, no cache details)', async () => {
    service.use(
      http.post(`${service.origin}/v1/chat/completions`, () =>
        HttpResponse.json({
          id: 'chatcmpl-318',
          object: 'chat.completion',
          created: 1741570000,
          model: 'llama3.1',
          system_fingerprint: 'fp_ollama',
          choices: [
            {
              index: 0,
              message: {
                role: 'assistant',
                content: '',
                tool_calls: [
                  {
                    id: 'call_k2x8pq1n',
                    index: 0,
                    type: 'function',
                    function: { name: 'record_findings', arguments: JSON.stringify(findingsInput) },
                  },
                ],
              },
              finish_reason: 'tool_calls',
            },
          ],
          usage: { prompt_tokens: 412, completion_tokens: 37, total_tokens: 449 },
        }),
      ),
    );
    const client = createOpenAICompatibleClient({
      model: 'llama3.1',
      baseUrl: `${service.origin}/v1`,
    });

    const answer = await client.callTool(toolRequest);

    expect(answer.call).toEqual({
      id: 'call_k2x8pq1n',
      name: 'record_findings',
      input: findingsInput,
    });
    expect(answer.usage).toEqual({ inputTokens: 412, outputTokens: 37 });
    expect(service.requests[0]?.headers.has('authorization')).toBe(false);
  });
});

describe('Azure OpenAI', () => {
  const deploymentPath = '/openai/deployments/prism-gpt-4o/chat/completions';

  it('calls the deployment URL with api-version and the api-key header, never OPENAI_API_KEY', async () => {
    vi.stubEnv('OPENAI_API_KEY', OPENAI_KEY);
    answerWithFindings(deploymentPath);
    const client = createOpenAICompatibleClient(
      azureOpenAIOptions({
        endpoint: `${service.origin}/`,
        deployment: 'prism-gpt-4o',
        apiVersion: '2024-10-21',
        apiKey: AZURE_KEY,
      }),
    );

    const answer = await client.callTool(toolRequest);

    expect(answer.call.input).toEqual(findingsInput);
    expect(client.id).toBe('openai-compatible:prism-gpt-4o');
    const [request] = service.requests;
    const url = new URL(request?.url ?? '');
    expect(url.pathname).toBe(deploymentPath);
    expect(url.searchParams.get('api-version')).toBe('2024-10-21');
    expect(request?.headers.get('api-key')).toBe(AZURE_KEY);
    expect(request?.headers.has('authorization')).toBe(false);
  });

  it('reads the endpoint, key and API version from the AzureOpenAI environment variables', async () => {
    vi.stubEnv('AZURE_OPENAI_ENDPOINT', service.origin);
    vi.stubEnv('AZURE_OPENAI_API_KEY', AZURE_KEY);
    vi.stubEnv('OPENAI_API_VERSION', '2025-01-01-preview');
    answerWithFindings(deploymentPath);

    await createOpenAICompatibleClient(azureOpenAIOptions({ deployment: 'prism-gpt-4o' })).callTool(
      toolRequest,
    );

    const url = new URL(service.requests[0]?.url ?? '');
    expect(url.searchParams.get('api-version')).toBe('2025-01-01-preview');
    expect(service.requests[0]?.headers.get('api-key')).toBe(AZURE_KEY);
  });

  it('defaults to the latest GA API version, and refuses a missing key or endpoint', () => {
    const options = azureOpenAIOptions({
      endpoint: 'https://prism.openai.azure.com',
      deployment: 'prism-gpt-4o',
      apiKey: AZURE_KEY,
    });
    expect(options.baseUrl).toBe('https://prism.openai.azure.com/openai/deployments/prism-gpt-4o');
    expect(options.query).toEqual({ 'api-version': '2024-10-21' });

    expect(() =>
      azureOpenAIOptions({
        endpoint: 'https://prism.openai.azure.com',
        deployment: 'prism-gpt-4o',
      }),
    ).toThrow(
      expect.objectContaining({
        code: 'model_access_denied',
        hint: expect.stringContaining('AZURE_OPENAI_API_KEY'),
      }),
    );
    expect(() => azureOpenAIOptions({ deployment: 'prism-gpt-4o', apiKey: AZURE_KEY })).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        hint: expect.stringContaining('AZURE_OPENAI_ENDPOINT'),
      }),
    );
  });
});

describe('invalid answers', () => {
  const client = () =>
    createOpenAICompatibleClient({
      model: 'gpt-4o',
      baseUrl: `${service.origin}/v1`,
      apiKey: OPENAI_KEY,
    });

  function answer(body: ReturnType<typeof chatCompletion>) {
    service.use(http.post(`${service.origin}/v1/chat/completions`, () => HttpResponse.json(body)));
  }

  it('fails with model_answer_invalid quoting the parse error and the text when the input is not JSON', async () => {
    const broken = '{"findings": [{"rule": "timeline", "message": "Say who';
    answer(chatCompletion({ tool_calls: [toolCall(broken)] }));

    const error = await client()
      .callTool(toolRequest)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'model_answer_invalid', retryable: false });
    expect((error as ModelError).message).toContain(broken);
    expect((error as ModelError).message).toMatch(/not valid JSON \(.*JSON.*\)/);
  });

  it('fails with model_answer_invalid when the answer was cut off at the token limit', async () => {
    answer(
      chatCompletion({ tool_calls: [toolCall('{"findings": [')] }, { finishReason: 'length' }),
    );

    await expect(client().callTool(toolRequest)).rejects.toMatchObject({
      code: 'model_answer_invalid',
      message: expect.stringContaining('1024 output tokens'),
    });
  });

  it('fails with model_answer_invalid when the model answers in words instead of calling the tool', async () => {
    answer(chatCompletion({ content: 'The section looks fine to me.' }));

    await expect(client().callTool(toolRequest)).rejects.toMatchObject({
      code: 'model_answer_invalid',
      message: expect.stringContaining('The section looks fine to me.'),
    });
  });

  it('fails with model_unavailable for a 200 that is not a chat completion', async () => {
    service.use(
      http.post(`${service.origin}/v1/chat/completions`, () =>
        HttpResponse.html('<html>proxy</html>'),
      ),
    );

    await expect(client().callTool(toolRequest)).rejects.toMatchObject({
      code: 'model_unavailable',
      retryable: true,
    });
  });
});
