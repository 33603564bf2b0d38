import type { AddressInfo } from 'node:net';
import {
  type ChatStreamEvent,
  HttpPrism,
  MemoryStore,
  type ModelClient,
  PrismService,
  type TextEvent,
  type TextRequest,
  type ToolRequest,
} from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapKey } from '../../src/bootstrap.js';
import { buildServer } from '../../src/server.js';
import { NOTES_UPLOAD } from './harness.js';

/**
 * A model client whose text stream gives what the test sends it, when it sends it, and ends
 * when told to; it records the requests it gets.
 */
class ChannelModelClient implements ModelClient {
  readonly id = 'openai-compatible:test-model';
  readonly requests: TextRequest[] = [];
  readonly #steps: (TextEvent | 'end')[] = [];
  #wake: (() => void) | undefined;

  /** Lets the stream give pieces of text. */
  send(...texts: string[]): this {
    this.#steps.push(...texts.map((text): TextEvent => ({ type: 'text', text })));
    this.#wake?.();
    return this;
  }

  /** Lets the stream give its usage and end. */
  finish(): this {
    this.#steps.push({ type: 'usage', usage: { inputTokens: 800, outputTokens: 12 } }, 'end');
    this.#wake?.();
    return this;
  }

  async callTool(_request: ToolRequest): Promise<never> {
    throw new Error('This client only streams text.');
  }

  async *streamText(request: TextRequest): AsyncGenerator<TextEvent> {
    this.requests.push(request);
    for (;;) {
      const step = this.#steps.shift() ?? (await this.#next());
      if (step === 'end') return;
      yield step;
    }
  }

  #next(): Promise<TextEvent | 'end'> {
    return new Promise((resolve) => {
      this.#wake = () => {
        const step = this.#steps.shift();
        if (step === undefined) return;
        this.#wake = undefined;
        resolve(step);
      };
    });
  }
}

/** The model client of the test under way; the server's chat model passes every call to it. */
let model = new ChannelModelClient();
const chatModel: ModelClient = {
  id: 'openai-compatible:test-model',
  callTool: (request) => model.callTool(request),
  streamText: (request) => model.streamText(request),
};

let app: FastifyInstance;
let service: PrismService;
let secret: string;
let documentId: string;

beforeAll(async () => {
  const store = new MemoryStore();
  secret = (await ensureBootstrapKey(store)) as string;
  service = new PrismService({
    store,
    model: 'openai-compatible:test-model',
    modelOptions: { client: () => chatModel },
  });
  app = await buildServer({ service });
  const uploaded = await app.inject({
    method: 'POST',
    url: '/v2/documents',
    headers: { authorization: `Bearer ${secret}` },
    payload: NOTES_UPLOAD,
  });
  expect(uploaded.statusCode).toBe(201);
  documentId = (uploaded.json() as { id: string }).id;
});

afterAll(async () => {
  await app.close();
  await service.close();
});

/** The `event:` and `data:` of each server-sent event of a body. */
function sseEvents(body: string): { event: string; data: unknown }[] {
  return body
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((line) => line.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return { event: field('event'), data: JSON.parse(field('data')) };
    });
}

describe('POST /v2/chat with a chat model, as text/event-stream', () => {
  it('sends the model text as delta events, then done with the answer', async () => {
    const client = new ChannelModelClient()
      .send('The printers', ' stopped [S0].', ' They work again [S0].')
      .finish();
    model = client;

    const response = await app.inject({
      method: 'POST',
      url: '/v2/chat',
      headers: { authorization: `Bearer ${secret}`, accept: 'text/event-stream' },
      payload: { documentId, question: 'What happened to the printers?' },
    });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = sseEvents(response.body);
    expect(events.map(({ event }) => event)).toEqual(['delta', 'delta', 'delta', 'done']);
    expect(events.slice(0, 3).map(({ data }) => data)).toEqual([
      { type: 'delta', text: 'The printers' },
      { type: 'delta', text: ' stopped [S0].' },
      { type: 'delta', text: ' They work again [S0].' },
    ]);
    expect(events[3]?.data).toEqual({
      type: 'done',
      answer: {
        answer: 'The printers stopped [S0]. They work again [S0].',
        citations: [
          { sectionIndex: 0, heading: 'Summary', quote: 'The printers stopped.' },
          { sectionIndex: 0, heading: 'Summary', quote: 'They work again.' },
        ],
        model: 'openai-compatible:test-model',
        usage: { inputTokens: 800, outputTokens: 12, costUsd: null },
      },
    });
    expect(client.requests[0]?.messages.at(-1)?.text).toContain('[S0] Summary');
  });

  it('streams each delta to the client as the model writes it', async () => {
    const client = new ChannelModelClient();
    model = client;
    await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const http = new HttpPrism({ baseUrl: `http://127.0.0.1:${port}`, apiKey: secret });
    try {
      const events = http.chat
        .stream({ documentId, question: 'What happened to the printers?' })
        [Symbol.asyncIterator]();

      client.send('The printers');
      expect((await events.next()).value).toEqual({ type: 'delta', text: 'The printers' });
      client.send(' stopped [S0].');
      expect((await events.next()).value).toEqual({ type: 'delta', text: ' stopped [S0].' });

      client.finish();
      const done = (await events.next()).value as ChatStreamEvent;
      expect(done).toMatchObject({
        type: 'done',
        answer: { answer: 'The printers stopped [S0].', model: 'openai-compatible:test-model' },
      });
      expect((await events.next()).done).toBe(true);
    } finally {
      await http.close();
    }
  });
});
