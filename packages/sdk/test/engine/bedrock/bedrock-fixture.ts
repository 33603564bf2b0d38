import { PassThrough, type Readable } from 'node:stream';
import { EventStreamCodec, type MessageHeaders } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { HttpResponse } from 'msw';
import {
  type BedrockClientOptions,
  createBedrockClient,
} from '../../../src/engine/providers/bedrock/index.js';
import type { ModelClient, ToolRequest } from '../../../src/engine/providers/model/model-client.js';

/** The region every test client talks to. */
export const REGION = 'eu-west-1';

/** Fixed fake credentials: requests are signed, never sent beyond the mock. */
export const CREDENTIALS = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

/** The Bedrock runtime endpoint of an operation on a model, as the SDK addresses it. */
export function modelUrl(modelId: string, operation: 'converse' | 'converse-stream'): string {
  return `https://bedrock-runtime.${REGION}.amazonaws.com/model/${encodeURIComponent(modelId)}/${operation}`;
}

/** The request as the SDK's HTTP layer hands it to a handler. */
interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

/**
 * An SDK request handler that sends with the global `fetch`, which msw intercepts (the SDK's
 * default handler for Bedrock speaks HTTP/2, which msw does not see).
 */
export const fetchRequestHandler = {
  async handle(request: SdkRequest, options?: { abortSignal?: AbortSignal }) {
    const url = new URL(
      `${request.protocol}//${request.hostname}${request.port ? `:${request.port}` : ''}${request.path}`,
    );
    for (const [key, value] of Object.entries(request.query ?? {})) {
      for (const item of Array.isArray(value) ? value : [value ?? '']) {
        url.searchParams.append(key, item);
      }
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => name.toLowerCase() !== 'host'),
    );
    const response = await fetch(url, {
      method: request.method,
      headers,
      body: request.body ?? null,
      signal: options?.abortSignal ?? null,
    });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name] = value;
    });
    const body = nodeBody(response.body, options?.abortSignal);
    return {
      response: {
        statusCode: response.status,
        reason: response.statusText,
        headers: responseHeaders,
        body,
      },
    };
  },
};

/**
 * The answer's body as the Node stream the SDK reads. As with a real HTTP handler, an abort
 * ends the body at once, not only the request.
 */
function nodeBody(
  web: ReadableStream<Uint8Array> | null,
  signal: AbortSignal | undefined,
): Readable {
  const body = new PassThrough();
  if (web === null) return body.end();
  const reader = web.getReader();
  signal?.addEventListener(
    'abort',
    () => {
      body.destroy(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
      reader.cancel().catch(() => {});
    },
    { once: true },
  );
  const pump = async (): Promise<void> => {
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      body.write(chunk.value);
    }
    body.end();
  };
  pump().catch((error: unknown) => {
    body.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return body;
}

/** A Bedrock client for tests: fixed region and credentials, sending through msw. */
export function testClient(options: BedrockClientOptions = {}): ModelClient {
  return createBedrockClient({
    region: REGION,
    credentials: CREDENTIALS,
    requestHandler: fetchRequestHandler,
    ...options,
  });
}

/** A tool request asking for findings, with a cached framework prefix. */
export function toolRequest(overrides: Partial<ToolRequest> = {}): ToolRequest {
  return {
    system: [
      { text: 'You review investigation reports against the Hawkeye framework.', cache: true },
      { text: 'Section 3 of 7.', cache: false },
    ],
    messages: [{ role: 'user', text: 'Review this section: the pump failed.' }],
    tool: {
      name: 'report_findings',
      description: 'Report the findings for the section.',
      inputSchema: {
        type: 'object',
        properties: { findings: { type: 'array', items: { type: 'string' } } },
        required: ['findings'],
      },
    },
    maxOutputTokens: 2048,
    ...overrides,
  };
}

/** A Converse answer as Bedrock sends it, calling `report_findings`. */
export function toolUseAnswer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    output: {
      message: {
        role: 'assistant',
        content: [
          { text: 'I will report the findings.' },
          {
            toolUse: {
              toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q',
              name: 'report_findings',
              input: { findings: ['No root cause is stated.'] },
            },
          },
        ],
      },
    },
    stopReason: 'tool_use',
    usage: {
      inputTokens: 120,
      outputTokens: 45,
      totalTokens: 1365,
      cacheReadInputTokens: 1000,
      cacheWriteInputTokens: 200,
    },
    metrics: { latencyMs: 1523 },
    ...overrides,
  };
}

/**
 * A Bedrock error response: the status, the `x-amzn-errortype` header naming the exception,
 * and the JSON body with its message.
 */
export function bedrockError(
  status: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
): HttpResponse<string> {
  return new HttpResponse(JSON.stringify({ message }), {
    status,
    headers: {
      'content-type': 'application/json',
      'x-amzn-requestid': 'c5f6a2f3-1b7e-4f3a-9d55-0c2f1a4b7e21',
      'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazon.bedrock/`,
      ...headers,
    },
  });
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(headers: MessageHeaders, payload: unknown): Uint8Array {
  return codec.encode({ headers, body: fromUtf8(JSON.stringify(payload)) });
}

/** An `event` frame of a ConverseStream answer, e.g. `contentBlockDelta`. */
export function eventFrame(eventType: string, payload: unknown): Uint8Array {
  return frame(
    {
      ':event-type': { type: 'string', value: eventType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'event' },
    },
    payload,
  );
}

/** An `exception` frame, e.g. `throttlingException`, as Bedrock sends mid-stream. */
export function exceptionFrame(exceptionType: string, message: string): Uint8Array {
  return frame(
    {
      ':exception-type': { type: 'string', value: exceptionType },
      ':content-type': { type: 'string', value: 'application/json' },
      ':message-type': { type: 'string', value: 'exception' },
    },
    { message },
  );
}

/**
 * A 200 ConverseStream response carrying the frames, in Bedrock's content type. With `open`,
 * the stream stays open after them, as when the model is still writing.
 */
export function eventStreamResponse(
  frames: Uint8Array[],
  { open = false }: { open?: boolean } = {},
): HttpResponse<ReadableStream> {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of frames) controller.enqueue(chunk);
      if (!open) controller.close();
    },
  });
  return new HttpResponse(body, {
    status: 200,
    headers: {
      'content-type': 'application/vnd.amazon.eventstream',
      'x-amzn-requestid': '9d3a2c61-7f0e-4c1b-8a6e-5b2d4f1e3c70',
    },
  });
}

/** The text deltas of a short answer, then its stop and usage, as ConverseStream frames. */
export function textAnswerFrames(chunks: string[]): Uint8Array[] {
  return [
    eventFrame('messageStart', { role: 'assistant', p: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJ' }),
    ...chunks.map((text) =>
      eventFrame('contentBlockDelta', { contentBlockIndex: 0, delta: { text }, p: 'abcdef' }),
    ),
    eventFrame('contentBlockStop', { contentBlockIndex: 0, p: 'abcdefghij' }),
    eventFrame('messageStop', { stopReason: 'end_turn', p: 'abcdefghijklmnop' }),
    eventFrame('metadata', {
      usage: { inputTokens: 30, outputTokens: 12, totalTokens: 542, cacheReadInputTokens: 500 },
      metrics: { latencyMs: 812 },
      p: 'abcdefghijklmnopqrstu',
    }),
  ];
}
