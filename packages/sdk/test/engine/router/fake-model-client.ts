import type {
  ModelClient,
  TextEvent,
  TextRequest,
  ToolAnswer,
  ToolRequest,
} from '../../../src/engine/providers/model/model-client.js';

/** A model client answering at once (or when let go), counting what it was asked. */
export interface FakeModelClient extends ModelClient {
  /** Calls started so far (tool calls and streams). */
  readonly calls: number;
  /** Calls started and not finished. */
  readonly inFlight: number;
  /** Lets the oldest held call finish (with `hold: true`), or the next one to wait if none is. */
  letOneGo(): void;
}

/**
 * A fake {@link ModelClient}. With `hold`, every call (and every stream, after its first text)
 * waits for {@link FakeModelClient.letOneGo}.
 */
export function fakeModelClient(options: { id?: string; hold?: boolean } = {}): FakeModelClient {
  let calls = 0;
  let inFlight = 0;
  const held: Array<() => void> = [];
  let permits = 0;
  const waitIfHeld = (): Promise<void> => {
    if (!options.hold) return Promise.resolve();
    if (permits > 0) {
      permits -= 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => held.push(resolve));
  };
  const usage = { inputTokens: 10, outputTokens: 5 };
  return {
    id: options.id ?? 'bedrock:test-model',
    get calls() {
      return calls;
    },
    get inFlight() {
      return inFlight;
    },
    letOneGo() {
      const next = held.shift();
      if (next) next();
      else permits += 1;
    },
    async callTool(request: ToolRequest): Promise<ToolAnswer> {
      calls += 1;
      inFlight += 1;
      try {
        await waitIfHeld();
        return { call: { id: `call-${calls}`, name: request.tool.name, input: {} }, usage };
      } finally {
        inFlight -= 1;
      }
    },
    async *streamText(): AsyncIterable<TextEvent> {
      calls += 1;
      inFlight += 1;
      try {
        yield { type: 'text', text: 'Hello' };
        await waitIfHeld();
        yield { type: 'usage', usage };
      } finally {
        inFlight -= 1;
      }
    },
  };
}

/** A tool request whose texts are `chars` characters long in all, asking for `maxOutputTokens`. */
export function toolRequest(
  chars: number,
  maxOutputTokens: number,
  signal?: AbortSignal,
): ToolRequest {
  const tool = { name: 'report', description: 'd', inputSchema: {} };
  const fixed =
    tool.name.length + tool.description.length + JSON.stringify(tool.inputSchema).length;
  return {
    system: [{ text: 'x'.repeat(Math.max(0, chars - fixed)), cache: true }],
    messages: [{ role: 'user', text: '' }],
    tool,
    maxOutputTokens,
    signal,
  };
}

/** A text request of one short user turn. */
export function textRequest(maxOutputTokens = 100): TextRequest {
  return { system: [], messages: [{ role: 'user', text: 'Hi' }], maxOutputTokens };
}

/**
 * Lets the event loop run (bounded) until `condition` holds; fails if it never does. No time
 * passes on a faked clock.
 */
export async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
  for (let turn = 0; turn < 2_000; turn += 1) {
    if (await condition()) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  throw new Error('The condition never held.');
}

/** Lets the event loop turn `turns` times, so anything that could start has started. */
export async function settle(turns = 50): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) {
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
