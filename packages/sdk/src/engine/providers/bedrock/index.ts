export { supportsPromptCaching } from './caching.js';
export {
  type BedrockClientOptions,
  createBedrockClient,
  DEFAULT_BEDROCK_MODEL_ID,
} from './client.js';
