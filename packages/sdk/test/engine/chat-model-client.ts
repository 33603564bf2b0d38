import type {
  ModelClient,
  TextEvent,
  TextRequest,
  ToolAnswer,
} from '../../src/engine/providers/model/model-client.js';
import type { ProviderUsage } from '../../src/engine/types.js';

/** What the stream does next: give an event, fail, or end. */
type Step = TextEvent | Error | 'end';

/**
 * A model client whose text stream gives exactly what the test sends it, when it sends it: the
 * stream waits for {@link ChannelModelClient.send} (or fails, or ends) and stops, rejecting with
 * the signal's reason, when the request's signal aborts. It records every request it gets.
 */
export class ChannelModelClient implements ModelClient {
  readonly id: string;
  /** Every text request, in the order received. */
  readonly requests: TextRequest[] = [];
  /** Whether a stream was started and has since stopped (ended, failed or was closed). */
  stopped = false;
  readonly #steps: Step[] = [];
  #wake: (() => void) | undefined;

  constructor(id = 'openai-compatible:test-model') {
    this.id = id;
  }

  /** Lets the stream give pieces of text. */
  send(...texts: string[]): this {
    return this.#push(...texts.map((text): Step => ({ type: 'text', text })));
  }

  /** Lets the stream give its usage and end. */
  finish(usage: ProviderUsage = { inputTokens: 1200, outputTokens: 40 }): this {
    return this.#push({ type: 'usage', usage }, 'end');
  }

  /** Makes the stream fail with `error` once what was sent before is read. */
  fail(error: Error): this {
    return this.#push(error);
  }

  async callTool(): Promise<ToolAnswer> {
    throw new Error('This client only streams text.');
  }

  streamText(request: TextRequest): AsyncIterable<TextEvent> {
    this.requests.push(request);
    return this.#stream(request.signal);
  }

  #push(...steps: Step[]): this {
    this.#steps.push(...steps);
    this.#wake?.();
    return this;
  }

  async *#stream(signal: AbortSignal | undefined): AsyncGenerator<TextEvent> {
    try {
      for (;;) {
        const step = this.#steps.shift() ?? (await this.#next(signal));
        if (step === 'end') return;
        if (step instanceof Error) throw step;
        yield step;
      }
    } finally {
      this.stopped = true;
    }
  }

  /** The next step once one is sent; rejects with the signal's reason when it aborts first. */
  #next(signal: AbortSignal | undefined): Promise<Step> {
    return new Promise<Step>((resolve, reject) => {
      const abort = () => reject(signal?.reason);
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort, { once: true });
      this.#wake = () => {
        const step = this.#steps.shift();
        if (step === undefined) return;
        this.#wake = undefined;
        signal?.removeEventListener('abort', abort);
        resolve(step);
      };
    });
  }
}

/** A client that answers with `texts` and `usage` straight away. */
export function answeringClient(
  texts: string[],
  usage?: ProviderUsage,
  id?: string,
): ChannelModelClient {
  return new ChannelModelClient(id).send(...texts).finish(usage);
}
