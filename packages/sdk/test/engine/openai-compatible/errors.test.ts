import { delay, HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import { createOpenAICompatibleClient } from '../../../src/engine/providers/openai-compatible/index.js';
import { OPENAI_KEY, openAIError, toolRequest } from './fixtures.js';
import { setupMockService } from './mock-service.js';

const service = setupMockService();

function client(timeoutMs?: number) {
  return createOpenAICompatibleClient({
    model: 'gpt-4o',
    baseUrl: `${service.origin}/v1`,
    apiKey: OPENAI_KEY,
    timeoutMs,
  });
}

function answer(response: () => Response | Promise<Response>) {
  service.use(http.post(`${service.origin}/v1/chat/completions`, response));
}

async function failure(): Promise<ModelError> {
  const caught = await client()
    .callTool(toolRequest)
    .catch((error: unknown) => error);
  if (!(caught instanceof ModelError))
    throw new Error(`expected a ModelError, got ${String(caught)}`);
  return caught;
}

describe('error mapping', () => {
  const cases: Array<[string, () => Response, string, boolean]> = [
    [
      '400 context_length_exceeded',
      () =>
        openAIError(400, {
          message:
            "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens (130000 in the messages, 1072 in the functions). Please reduce the length of the messages or functions.",
          type: 'invalid_request_error',
          param: 'messages',
          code: 'context_length_exceeded',
        }),
      'model_input_too_long',
      false,
    ],
    [
      "vLLM's flat 400 about the maximum context length",
      () =>
        HttpResponse.json(
          {
            object: 'error',
            message:
              "This model's maximum context length is 32768 tokens. However, you requested 41648 tokens (37552 in the messages, 4096 in the completion). Please reduce the length of the messages or completion.",
            type: 'BadRequestError',
            param: null,
            code: 400,
          },
          { status: 400 },
        ),
      'model_input_too_long',
      false,
    ],
    [
      '400 invalid_request_error',
      () =>
        openAIError(400, {
          message:
            "Invalid schema for function 'record_findings': 'findings' is not of type 'array'.",
          type: 'invalid_request_error',
          param: 'tools[0].function.parameters',
          code: 'invalid_function_parameters',
        }),
      'model_request_invalid',
      false,
    ],
    [
      '422',
      () => openAIError(422, { message: 'Unprocessable entity', type: 'invalid_request_error' }),
      'model_request_invalid',
      false,
    ],
    [
      '401 invalid_api_key',
      () =>
        openAIError(401, {
          message:
            'Incorrect API key provided: sk-proj-********************************************6789. You can find your API key at https://platform.openai.com/account/api-keys.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        }),
      'model_access_denied',
      false,
    ],
    [
      '403',
      () =>
        openAIError(403, {
          message: 'Project `proj_abc` does not have access to model `gpt-4o`',
          type: 'invalid_request_error',
          code: 'model_not_found',
        }),
      'model_access_denied',
      false,
    ],
    [
      '404 model_not_found',
      () =>
        openAIError(404, {
          message: 'The model `gpt-4o-typo` does not exist or you do not have access to it.',
          type: 'invalid_request_error',
          code: 'model_not_found',
        }),
      'model_not_found',
      false,
    ],
    [
      "Azure's 404 DeploymentNotFound",
      () =>
        HttpResponse.json(
          {
            error: {
              code: 'DeploymentNotFound',
              message:
                'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.',
            },
          },
          { status: 404 },
        ),
      'model_not_found',
      false,
    ],
    [
      '500',
      () =>
        openAIError(500, {
          message: 'The server had an error while processing your request. Sorry about that!',
          type: 'server_error',
        }),
      'model_unavailable',
      true,
    ],
    [
      '502 from a proxy (HTML)',
      () => HttpResponse.html('<html><body>502 Bad Gateway</body></html>', { status: 502 }),
      'model_unavailable',
      true,
    ],
    [
      '503',
      () =>
        openAIError(503, {
          message: 'The engine is currently overloaded, please try again later.',
          type: 'server_error',
        }),
      'model_unavailable',
      true,
    ],
    ['504', () => new HttpResponse(null, { status: 504 }), 'model_unavailable', true],
  ];

  it.each(cases)('maps %s', async (_name, response, code, retryable) => {
    answer(response);

    const error = await failure();

    expect(error.code).toBe(code);
    expect(error.retryable).toBe(retryable);
    expect(error.hint).toBeTruthy();
    expect(error.message).toContain(service.origin);
  });

  it('quotes what the service said', async () => {
    answer(() =>
      openAIError(404, {
        message: 'The model `gpt-4o-typo` does not exist or you do not have access to it.',
        code: 'model_not_found',
      }),
    );

    const error = await failure();

    expect(error.message).toContain('The model `gpt-4o-typo` does not exist');
    expect(error.hint).toMatch(/deployment name/);
  });

  it('maps a 429 to model_throttled with the wait Retry-After asks for', async () => {
    answer(() =>
      openAIError(
        429,
        {
          message:
            'Rate limit reached for gpt-4o in organization org-prism on tokens per min (TPM): Limit 30000, Used 29500, Requested 1871. Please try again in 2.742s.',
          type: 'tokens',
          code: 'rate_limit_exceeded',
        },
        { 'retry-after': '3' },
      ),
    );

    const error = await failure();

    expect(error).toMatchObject({ code: 'model_throttled', retryable: true, retryAfterMs: 3000 });
  });

  it("prefers Azure's retry-after-ms to retry-after", async () => {
    answer(() =>
      HttpResponse.json(
        {
          error: {
            code: '429',
            message:
              'Requests to the ChatCompletions_Create Operation under Azure OpenAI API version 2024-10-21 have exceeded token rate limit of your current OpenAI S0 pricing tier. Please retry after 2 seconds.',
          },
        },
        { status: 429, headers: { 'retry-after': '2', 'retry-after-ms': '1500' } },
      ),
    );

    expect(await failure()).toMatchObject({ code: 'model_throttled', retryAfterMs: 1500 });
  });

  it('maps a 429 insufficient_quota to model_access_denied (not retried) with a billing hint', async () => {
    answer(() =>
      openAIError(429, {
        message:
          'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      }),
    );

    const error = await failure();

    expect(error).toMatchObject({ code: 'model_access_denied', retryable: false });
    expect(error.hint).toMatch(/billing/);
  });

  it('never puts the API key in a message, even when the service echoes it', async () => {
    answer(() =>
      openAIError(401, {
        message: `Incorrect API key provided: ${OPENAI_KEY}.`,
        code: 'invalid_api_key',
      }),
    );

    const error = await failure();

    expect(error.message).not.toContain(OPENAI_KEY);
    expect(error.message).toContain('[redacted]');
  });

  it('maps a dropped connection to model_unavailable', async () => {
    answer(() => HttpResponse.error());

    expect(await failure()).toMatchObject({ code: 'model_unavailable', retryable: true });
  });

  it('maps a service that does not answer within timeoutMs to model_timeout', async () => {
    answer(async () => {
      await delay('infinite');
      return HttpResponse.json({});
    });

    const error = await client(50)
      .callTool(toolRequest)
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({ code: 'model_timeout', retryable: true });
    expect((error as ModelError).message).toContain('50 ms');
  });

  it("rejects with the caller's abort reason when the signal aborts during the call", async () => {
    const controller = new AbortController();
    const reason = new Error('The review was canceled.');
    answer(async () => {
      controller.abort(reason);
      await delay('infinite');
      return HttpResponse.json({});
    });

    await expect(client().callTool({ ...toolRequest, signal: controller.signal })).rejects.toBe(
      reason,
    );
  });

  it('sends nothing when the signal has already aborted', async () => {
    const reason = new Error('The review was canceled.');

    await expect(
      client().callTool({ ...toolRequest, signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(service.requests).toHaveLength(0);
  });
});
