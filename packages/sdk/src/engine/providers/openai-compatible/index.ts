export { AZURE_OPENAI_API_VERSION, type AzureOpenAIOptions, azureOpenAIOptions } from './azure.js';
export { createOpenAICompatibleClient } from './client.js';
export {
  DEFAULT_MODEL_TIMEOUT_MS,
  OPENAI_BASE_URL,
  type OpenAICompatibleOptions,
} from './options.js';
