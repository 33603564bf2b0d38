import { PrismError } from '../../../errors.js';
import { ModelError } from '../model/model-error.js';
import { envValue, type OpenAICompatibleOptions } from './options.js';

/** The Azure OpenAI inference API version used when none is given (the latest GA one). */
export const AZURE_OPENAI_API_VERSION = '2024-10-21';

/** Where an Azure OpenAI deployment is and how to authenticate to it. */
export interface AzureOpenAIOptions {
  /**
   * The resource's endpoint, `https://<resource>.openai.azure.com`. Default:
   * `AZURE_OPENAI_ENDPOINT`.
   */
  endpoint?: string | undefined;
  /** The deployment's name (chosen when the model was deployed, not the model's name). */
  deployment: string;
  /**
   * The inference API version, sent as the `api-version` query parameter. Default:
   * `OPENAI_API_VERSION`, else {@link AZURE_OPENAI_API_VERSION}.
   */
  apiVersion?: string | undefined;
  /** The resource's key, sent in the `api-key` header. Default: `AZURE_OPENAI_API_KEY`. */
  apiKey?: string | undefined;
}

/**
 * Options for `createOpenAICompatibleClient` that reach an Azure OpenAI deployment by Azure's URL
 * scheme, `<endpoint>/openai/deployments/<deployment>/chat/completions?api-version=<version>`,
 * with the key in the `api-key` header (the defaults read the environment variables of the OpenAI
 * SDKs' `AzureOpenAI` client). Spread them to add more:
 * `createOpenAICompatibleClient({ ...azureOpenAIOptions({ deployment: 'gpt-4o' }), timeoutMs: 60_000 })`.
 *
 * Throws a `PrismError` (`invalid_argument`) without an endpoint or deployment, and a
 * `ModelError` (`model_access_denied`) without a key.
 */
export function azureOpenAIOptions(options: AzureOpenAIOptions): OpenAICompatibleOptions {
  const endpoint = options.endpoint ?? envValue('AZURE_OPENAI_ENDPOINT');
  if (!endpoint) {
    throw new PrismError('invalid_argument', 'No Azure OpenAI endpoint is set.', {
      hint: 'Set AZURE_OPENAI_ENDPOINT, or pass `endpoint` (https://<resource>.openai.azure.com).',
    });
  }
  const deployment = options.deployment?.trim() ?? '';
  if (!deployment) {
    throw new PrismError('invalid_argument', 'No Azure OpenAI deployment is named.', {
      hint: "Pass `deployment`: the deployment's name in the Azure OpenAI resource.",
    });
  }
  const apiKey = options.apiKey ?? envValue('AZURE_OPENAI_API_KEY');
  if (!apiKey) {
    throw new ModelError('model_access_denied', 'No API key is set for Azure OpenAI.', {
      hint: 'Set AZURE_OPENAI_API_KEY, or pass `apiKey` (a key of the Azure OpenAI resource).',
    });
  }
  const apiVersion =
    options.apiVersion ?? envValue('OPENAI_API_VERSION') ?? AZURE_OPENAI_API_VERSION;
  return {
    model: deployment,
    baseUrl: `${endpoint.replace(/\/+$/, '')}/openai/deployments/${encodeURIComponent(deployment)}`,
    apiKey,
    apiKeyHeader: 'api-key',
    query: { 'api-version': apiVersion },
  };
}
