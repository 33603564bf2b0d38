import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createBedrockClient,
  DEFAULT_BEDROCK_MODEL_ID,
} from '../../../src/engine/providers/bedrock/index.js';
import { ModelError } from '../../../src/engine/providers/model/model-error.js';
import {
  bedrockError,
  CREDENTIALS,
  fetchRequestHandler,
  modelUrl,
  REGION,
  testClient,
  toolRequest,
  toolUseAnswer,
} from './bedrock-fixture.js';

let requests = 0;
const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  server.resetHandlers();
  vi.unstubAllEnvs();
  requests = 0;
});
afterAll(() => server.close());

/** Answers the Converse calls in turn with the given responses, then with a tool call. */
function converseAnswers(...answers: Response[]): void {
  server.use(
    http.post(modelUrl(DEFAULT_BEDROCK_MODEL_ID, 'converse'), () => {
      requests += 1;
      return answers.shift() ?? HttpResponse.json(toolUseAnswer());
    }),
  );
}

/** The error a tool call fails with. */
async function failureOf(call: Promise<unknown>): Promise<ModelError> {
  const failure = await call.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(ModelError);
  return failure as ModelError;
}

describe('bedrock error mapping', () => {
  it('maps throttling to model_throttled with the wait Bedrock asked for', async () => {
    converseAnswers(
      bedrockError(
        429,
        'ThrottlingException',
        'Too many requests, please wait before trying again.',
        {
          'retry-after': '3',
        },
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_throttled', retryable: true, retryAfterMs: 3000 });
    expect(failure.message).toContain('Too many requests');
    expect(failure.hint).toMatch(/quota/i);
  });

  it('sends each request once, leaving retries to Prism', async () => {
    converseAnswers(
      bedrockError(
        503,
        'ServiceUnavailableException',
        'Bedrock is unable to process your request.',
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_unavailable', retryable: true });
    expect(failure.retryAfterMs).toBeUndefined();
    expect(requests).toBe(1);
  });

  it.each([
    [500, 'InternalServerException', 'The server encountered an internal error.'],
    [429, 'ModelNotReadyException', 'Model is not ready to serve inference requests.'],
  ])('maps %i %s to model_unavailable', async (status, type, message) => {
    converseAnswers(bedrockError(status, type, message));

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_unavailable', retryable: true });
  });

  it('maps a 502 page from a proxy, with no Bedrock error type, to model_unavailable', async () => {
    converseAnswers(
      new HttpResponse('<html><body>502 Bad Gateway</body></html>', {
        status: 502,
        headers: { 'content-type': 'text/html' },
      }),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure.code).toBe('model_unavailable');
  });

  it('maps a model timeout to model_timeout', async () => {
    converseAnswers(
      bedrockError(408, 'ModelTimeoutException', 'Model has timed out in processing the request.'),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_timeout', retryable: true });
  });

  it.each([
    'Input is too long for requested model.',
    'The model returned the following errors: prompt is too long: 200049 tokens > 200000 maximum',
    'The model returned the following errors: input length and `max_tokens` exceed context limit: 198000 + 4096 > 200000, decrease input length or `max_tokens` and try again',
  ])(
    'maps a ValidationException saying the input is too long to model_input_too_long: %s',
    async (message) => {
      converseAnswers(bedrockError(400, 'ValidationException', message));

      const failure = await failureOf(testClient().callTool(toolRequest()));

      expect(failure).toMatchObject({ code: 'model_input_too_long', retryable: false });
      expect(failure.hint).toMatch(/split/i);
    },
  );

  it('maps another ValidationException to model_request_invalid', async () => {
    converseAnswers(
      bedrockError(
        400,
        'ValidationException',
        'The maximum tokens you requested exceeds the model limit of 64000. Try again with a maximum tokens value that is lower than 64000.',
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_request_invalid', retryable: false });
    expect(failure.hint).toMatch(/maxOutputTokens/);
  });

  it('tells to use an inference profile when the bare model id is refused on demand', async () => {
    converseAnswers(
      bedrockError(
        400,
        'ValidationException',
        'Invocation of model ID anthropic.claude-sonnet-4-20250514-v1:0 with on-demand throughput isn’t supported. Retry your request with the ID or ARN of an inference profile that contains this model.',
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure.code).toBe('model_request_invalid');
    expect(failure.hint).toMatch(/inference profile id/);
  });

  it('maps denied model access to model_access_denied, saying how to get access', async () => {
    converseAnswers(
      bedrockError(
        403,
        'AccessDeniedException',
        "You don't have access to the model with the specified model ID.",
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({
      code: 'model_access_denied',
      retryable: false,
      hint: 'Model access not granted in this account/region: request access in the Bedrock console (Model access) or use an inference profile id.',
    });
  });

  it('maps refused credentials to model_access_denied, saying how to set them', async () => {
    converseAnswers(
      bedrockError(
        403,
        'UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure.code).toBe('model_access_denied');
    expect(failure.hint).toMatch(/AWS_PROFILE.*AWS_ACCESS_KEY_ID.*AWS_REGION/);
  });

  it('maps missing credentials to model_access_denied before sending anything', async () => {
    converseAnswers();
    const client = createBedrockClient({
      region: REGION,
      requestHandler: fetchRequestHandler,
      credentials: async () => {
        throw Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        });
      },
    });

    const failure = await failureOf(client.callTool(toolRequest()));

    expect(failure.code).toBe('model_access_denied');
    expect(failure.hint).toMatch(/AWS_PROFILE.*AWS_ACCESS_KEY_ID.*AWS_REGION/);
    expect(requests).toBe(0);
  });

  it('maps a missing region to model_request_invalid, saying how to set it', async () => {
    converseAnswers();
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    // Otherwise the SDK asks the EC2 instance metadata service for a region.
    vi.stubEnv('AWS_EC2_METADATA_DISABLED', 'true');
    const client = createBedrockClient({
      credentials: CREDENTIALS,
      requestHandler: fetchRequestHandler,
    });

    const failure = await failureOf(client.callTool(toolRequest()));

    expect(failure.code).toBe('model_request_invalid');
    expect(failure.hint).toMatch(/AWS_REGION/);
    expect(requests).toBe(0);
  });

  it('maps an unknown model to model_not_found', async () => {
    converseAnswers(
      bedrockError(
        404,
        'ResourceNotFoundException',
        'Could not resolve the foundation model from the provided model identifier.',
      ),
    );

    const failure = await failureOf(testClient().callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_not_found', retryable: false });
    expect(failure.hint).toMatch(/region/);
  });

  it('maps an unreachable endpoint to model_unavailable', async () => {
    const client = createBedrockClient({
      region: REGION,
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
      requestHandler: {
        handle: async () => {
          throw Object.assign(
            new Error(`getaddrinfo ENOTFOUND bedrock-runtime.${REGION}.amazonaws.com`),
            { code: 'ENOTFOUND' },
          );
        },
      },
    });

    const failure = await failureOf(client.callTool(toolRequest()));

    expect(failure).toMatchObject({ code: 'model_unavailable', retryable: true });
    expect(failure.message).toContain('ENOTFOUND');
  });
});
