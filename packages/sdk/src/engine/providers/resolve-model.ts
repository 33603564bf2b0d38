import { PrismError } from '../../errors.js';
import type { ReviewProvider } from '../types.js';
import { createBedrockClient } from './bedrock/index.js';
import type { ModelClient } from './model/model-client.js';
import type { ModelProviderOptions } from './model/options.js';
import { createModelProvider } from './model/provider.js';
import { createOpenAICompatibleClient } from './openai-compatible/index.js';
import { limitModelClient, type ModelClientLimits } from './router/limited-client.js';
import { createRouter, type RouterOptions } from './router/router.js';
import { createRulesProvider } from './rules/index.js';

/** The forms a model may be named in, for messages. */
const MODEL_FORMS = "'rules', 'bedrock[:<model-id>]' or 'openai-compatible:<model>'";

/** How the providers of a model spec are made. Everything is optional. */
export interface ModelSpecOptions {
  /** Options of each model provider (answer cache, retries, ...). */
  provider?: ModelProviderOptions;
  /** Limits on each model's calls (requests and tokens per minute, shared through Redis). */
  limits?: Omit<ModelClientLimits, 'id'>;
  /** The router's options, when the spec names several providers. */
  router?: RouterOptions;
  /**
   * Makes the client of one model, e.g. to pass credentials or a base URL in code. Default:
   * Bedrock with the AWS credential chain and region; OpenAI-compatible from `OPENAI_BASE_URL`
   * and `OPENAI_API_KEY`.
   */
  client?: (provider: 'bedrock' | 'openai-compatible', model: string | undefined) => ModelClient;
}

/** What a model spec names: the provider reviews use, and the model chat answers with. */
export interface ResolvedModel {
  /** The provider, a router when the spec names several. */
  provider: ReviewProvider;
  /** The first model of the spec, for chat; undefined when it names only `rules`. */
  chat: ModelClient | undefined;
}

/**
 * Makes the provider a model spec names: `rules` (offline, the default), `bedrock` (Claude on
 * Amazon Bedrock; `bedrock:<model-id>` for another model or inference profile), or
 * `openai-compatible:<model>` (OpenAI, Azure OpenAI, vLLM, Ollama). Several, comma-separated,
 * are tried in that order (a router with fallback and circuit breakers), e.g.
 * `bedrock,openai-compatible:gpt-4o,rules`.
 *
 * @throws {PrismError} `unknown_model` for a spec that names no known provider.
 */
export function resolveModel(spec: string, options: ModelSpecOptions = {}): ResolvedModel {
  const entries = spec.split(',').map((entry) => entry.trim());
  if (entries.some((entry) => entry === '')) throw unknownModel(spec, 'an empty name');
  const clients: ModelClient[] = [];
  const providers = entries.map((entry) => {
    if (entry === 'rules') return createRulesProvider();
    const client = clientOf(entry, spec, options);
    clients.push(client);
    return createModelProvider(client, options.provider);
  });
  const [only] = providers;
  return {
    provider:
      providers.length === 1 && only !== undefined ? only : createRouter(providers, options.router),
    chat: clients[0],
  };
}

function clientOf(entry: string, spec: string, options: ModelSpecOptions): ModelClient {
  // Model ids may hold colons themselves (`anthropic.claude-3-5-haiku-20241022-v1:0`).
  const colon = entry.indexOf(':');
  const name = colon < 0 ? entry : entry.slice(0, colon);
  const model = colon < 0 ? undefined : entry.slice(colon + 1);
  if (name !== 'bedrock' && name !== 'openai-compatible') {
    throw unknownModel(spec, `"${name}"`);
  }
  if (model === '' || (name === 'openai-compatible' && model === undefined)) {
    throw unknownModel(spec, `"${entry}" without a model`);
  }
  const client =
    options.client?.(name, model) ??
    (name === 'bedrock'
      ? createBedrockClient(model === undefined ? {} : { modelId: model })
      : createOpenAICompatibleClient({ model: model as string }));
  return options.limits === undefined ? client : limitModelClient(client, options.limits);
}

function unknownModel(spec: string, what: string): PrismError {
  return new PrismError('unknown_model', `The model "${spec}" names ${what}.`, {
    hint: `Name models as ${MODEL_FORMS}, several separated by commas to fall back in order.`,
  });
}
