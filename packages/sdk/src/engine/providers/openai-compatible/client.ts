import type { ProviderUsage } from '../../types.js';
import type {
  ModelClient,
  TextEvent,
  TextRequest,
  ToolAnswer,
  ToolRequest,
} from '../model/model-client.js';
import { ModelError } from '../model/model-error.js';
import { ChatCompletionChunkSchema, parseJson, toolAnswerOf, usageOf } from './answers.js';
import { errorFromStreamEvent, failureToThrow, serviceErrorDetail } from './errors.js';
import { postChatCompletions, readText } from './http.js';
import { textRequestBody, toolRequestBody } from './messages.js';
import {
  type OpenAICompatibleOptions,
  resolveSettings,
  type ServiceSettings,
  serviceName,
} from './options.js';
import { serverSentData } from './sse.js';

/**
 * A {@link ModelClient} for a service that speaks OpenAI's chat completions API: OpenAI, Azure
 * OpenAI (`azureOpenAIOptions`), Ollama, vLLM... (see {@link OpenAICompatibleOptions}). Its
 * id is `openai-compatible:<model>`. Each call is one HTTP request over undici, never retried here;
 * failures are `ModelError`s, and an aborted `signal` rejects with its reason.
 *
 * Throws at once a `ModelError` (`model_access_denied`) when no key is set for OpenAI's own API,
 * and a `PrismError` (`invalid_argument`) for a bad model, base URL or timeout.
 */
export function createOpenAICompatibleClient(options: OpenAICompatibleOptions): ModelClient {
  const settings = resolveSettings(options);
  return {
    id: `openai-compatible:${settings.model}`,
    callTool: (request) => callTool(settings, request),
    streamText: (request) => streamText(settings, request),
  };
}

async function callTool(settings: ServiceSettings, request: ToolRequest): Promise<ToolAnswer> {
  const { signal } = request;
  const body = await postChatCompletions(
    settings,
    toolRequestBody(request, settings),
    'application/json',
    signal,
  );
  return toolAnswerOf(await readText(body, settings, signal), request, settings);
}

/**
 * The text of a streamed answer as it arrives, then its usage (zero when the service reports
 * none). The stream must end with `data: [DONE]` or a finish reason; one that stops short fails
 * with `model_unavailable`.
 */
async function* streamText(
  settings: ServiceSettings,
  request: TextRequest,
): AsyncGenerator<TextEvent> {
  const { signal } = request;
  const body = await postChatCompletions(
    settings,
    textRequestBody(request, settings),
    'text/event-stream',
    signal,
  );
  let usage: ProviderUsage | undefined;
  let finished = false;
  try {
    for await (const data of serverSentData(body)) {
      if (data === '[DONE]') {
        finished = true;
        break;
      }
      const event = parseJson(data);
      if (typeof event === 'object' && event !== null && 'error' in event) {
        throw errorFromStreamEvent(serviceErrorDetail(event), settings);
      }
      const chunk = ChatCompletionChunkSchema.safeParse(event);
      if (!chunk.success) {
        throw new ModelError(
          'model_unavailable',
          `${serviceName(settings)} sent a stream event that is not a chat completion chunk.`,
          {
            hint: 'Check that `baseUrl` is an OpenAI-compatible API; Prism retries the call.',
          },
        );
      }
      const choice = chunk.data.choices?.[0];
      if (choice?.delta?.content) yield { type: 'text', text: choice.delta.content };
      if (choice?.finish_reason) finished = true;
      if (chunk.data.usage) usage = usageOf(chunk.data.usage);
    }
  } catch (cause) {
    throw failureToThrow(cause, settings, signal);
  } finally {
    body.destroy();
  }
  if (!finished) {
    throw new ModelError(
      'model_unavailable',
      `${serviceName(settings)} ended the stream before the answer was complete.`,
      {
        hint: 'The connection was cut: Prism retries the call.',
      },
    );
  }
  yield { type: 'usage', usage: usage ?? usageOf(undefined) };
}
