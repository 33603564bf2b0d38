import {
  BedrockRuntimeClient,
  type BedrockRuntimeClientConfig,
  ConverseCommand,
  type ConverseCommandOutput,
  type SystemContentBlock,
} from '@aws-sdk/client-bedrock-runtime';
import type { ModelClient, SystemPart, ToolRequest } from '../model/model-client.js';
import { toToolAnswer } from './answer.js';
import { supportsPromptCaching } from './caching.js';
import { bedrockFailure } from './errors.js';
import { toConverseMessages, toConverseSystem, toConverseTool } from './messages.js';
import { streamConverse } from './stream.js';

/**
 * The model Prism asks on Bedrock unless told otherwise: Claude Sonnet 4 through its US
 * cross-region inference profile. Claude 4 models are served on demand only through inference
 * profiles, so the bare model id (`anthropic.claude-sonnet-4-20250514-v1:0`) is refused; outside
 * the US, pass the matching `eu.`, `apac.` or `global.` profile id as `modelId`.
 */
export const DEFAULT_BEDROCK_MODEL_ID = 'us.anthropic.claude-sonnet-4-20250514-v1:0';

/** Options of {@link createBedrockClient}. */
export interface BedrockClientOptions {
  /** A Bedrock model id, inference profile id or ARN; {@link DEFAULT_BEDROCK_MODEL_ID} if unset. */
  modelId?: string;
  /** The AWS region; by default the SDK's own resolution (`AWS_REGION`, the AWS profile). */
  region?: string;
  /**
   * AWS credentials or a provider of them; by default the SDK's credential chain (environment,
   * `AWS_PROFILE` and SSO, web identity, container and instance roles).
   */
  credentials?: BedrockRuntimeClientConfig['credentials'];
  /** The HTTP handler the SDK sends with; by default the SDK's own. */
  requestHandler?: BedrockRuntimeClientConfig['requestHandler'];
  /**
   * A ready SDK client to send with instead of a new one (then `region`, `credentials` and
   * `requestHandler` are not used). It should be made with `maxAttempts: 1`, as Prism retries.
   */
  client?: BedrockRuntimeClient;
}

/**
 * A {@link ModelClient} for one model on Amazon Bedrock, through the Converse API: `callTool`
 * sends a Converse request forcing the tool (`toolChoice`), `streamText` a ConverseStream
 * request. Its id is `bedrock:<modelId>`.
 *
 * The SDK client it makes sends each request once (`maxAttempts: 1`): retries are Prism's.
 * System parts marked `cache` are followed by a `cachePoint` when the model supports prompt
 * caching ({@link supportsPromptCaching}). Failures are thrown as `ModelError`s, except
 * an abort, which throws the signal's reason.
 */
export function createBedrockClient(options: BedrockClientOptions = {}): ModelClient {
  const modelId = options.modelId ?? DEFAULT_BEDROCK_MODEL_ID;
  const runtime = options.client ?? new BedrockRuntimeClient(sdkConfig(options));
  const caching = supportsPromptCaching(modelId);
  const system = (parts: SystemPart[]): { system?: SystemContentBlock[] } =>
    parts.length > 0 ? { system: toConverseSystem(parts, caching) } : {};

  return {
    id: `bedrock:${modelId}`,

    async callTool(request: ToolRequest) {
      const context = { modelId, signal: request.signal };
      let response: ConverseCommandOutput;
      try {
        response = await runtime.send(
          new ConverseCommand({
            modelId,
            ...system(request.system),
            messages: toConverseMessages(request.messages),
            inferenceConfig: { maxTokens: request.maxOutputTokens },
            toolConfig: {
              tools: [toConverseTool(request.tool)],
              toolChoice: { tool: { name: request.tool.name } },
            },
          }),
          { abortSignal: request.signal },
        );
      } catch (error) {
        throw bedrockFailure(error, context);
      }
      return toToolAnswer(response, request.tool.name, modelId);
    },

    streamText(request) {
      return streamConverse(
        runtime,
        {
          modelId,
          ...system(request.system),
          messages: toConverseMessages(request.messages),
          inferenceConfig: { maxTokens: request.maxOutputTokens },
        },
        { modelId, signal: request.signal },
      );
    },
  };
}

function sdkConfig(options: BedrockClientOptions): BedrockRuntimeClientConfig {
  const config: BedrockRuntimeClientConfig = { maxAttempts: 1 };
  if (options.region !== undefined) config.region = options.region;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  if (options.requestHandler !== undefined) config.requestHandler = options.requestHandler;
  return config;
}
