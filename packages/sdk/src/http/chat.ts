import type { ChatApi, PostOptions } from '../api/types.js';
import type { HttpTransport } from '../client/transport.js';
import {
  type ChatAnswer,
  ChatAnswerSchema,
  type ChatRequest,
  type ChatStreamEvent,
  ChatStreamEventSchema,
} from '../schema/chat.js';
import { eventStream } from './event-stream.js';
import { send, transportOptions } from './request.js';

/** `prism.chat` over HTTP; `stream` asks `POST /v2/chat` for `text/event-stream`. */
export class HttpChat implements ChatApi {
  readonly #transport: HttpTransport;

  constructor(transport: HttpTransport) {
    this.#transport = transport;
  }

  ask(params: ChatRequest, options?: PostOptions): Promise<ChatAnswer> {
    return send(this.#transport, {
      method: 'POST',
      path: '/v2/chat',
      body: params,
      schema: ChatAnswerSchema,
      ...transportOptions(options),
    });
  }

  async *stream(params: ChatRequest, options?: PostOptions): AsyncGenerator<ChatStreamEvent> {
    const events = eventStream(this.#transport, {
      method: 'POST',
      path: '/v2/chat',
      body: params,
      schema: ChatStreamEventSchema,
      ...transportOptions(options),
    });
    for await (const { data } of events) yield data;
  }
}
