import {
  type BedrockRuntimeClient,
  ConverseStreamCommand,
  type ConverseStreamCommandInput,
  type ConverseStreamOutput,
} from '@aws-sdk/client-bedrock-runtime';
import type { TextEvent } from '../model/model-client.js';
import { bedrockFailure, type FailureContext } from './errors.js';
import { toProviderUsage } from './usage.js';

/**
 * Sends a ConverseStream request and yields the answer's text as it arrives, then the usage
 * from the closing `metadata` event. An exception in the stream (throttling, a model or service
 * failure mid-answer) is thrown as a `ModelError`. Leaving the loop early closes the
 * HTTP stream.
 */
export async function* streamConverse(
  runtime: BedrockRuntimeClient,
  input: ConverseStreamCommandInput,
  context: FailureContext,
): AsyncGenerator<TextEvent> {
  const closing = new AbortController();
  const abortSignal = context.signal
    ? AbortSignal.any([context.signal, closing.signal])
    : closing.signal;
  try {
    const response = await runtime.send(new ConverseStreamCommand(input), { abortSignal });
    for await (const event of response.stream ?? []) {
      const exception = streamException(event);
      if (exception !== undefined) throw exception;
      const text = event.contentBlockDelta?.delta?.text;
      if (text) yield { type: 'text', text };
      if (event.metadata) yield { type: 'usage', usage: toProviderUsage(event.metadata.usage) };
    }
  } catch (error) {
    throw bedrockFailure(error, context);
  } finally {
    closing.abort();
  }
}

/**
 * The exception an event carries, for the exceptions the SDK hands over as stream members
 * rather than throwing them.
 */
function streamException(event: ConverseStreamOutput): Error | undefined {
  return (
    event.throttlingException ??
    event.modelStreamErrorException ??
    event.serviceUnavailableException ??
    event.internalServerException ??
    event.validationException
  );
}
