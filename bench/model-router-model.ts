/**
 * The simulated model of bench/model-router.ts, and the trace of its calls: when each was asked
 * for, when it started, what it weighed in tokens, and how many were in flight at once.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import {
  estimateRequestTokens,
  FINDINGS_TOOL_NAME,
  type Framework,
  type ModelClient,
  type ToolAnswer,
  type ToolRequest,
} from '@prism/sdk';

/** One model call: when it was asked for, when it started, and its weight in tokens. */
export interface Call {
  requested: number;
  started: number;
  tokens: number;
}

/** Every call of one review, with the most that were in flight at once. */
export class CallTrace {
  readonly calls: Call[] = [];
  readonly #requested = new Map<ToolRequest, number>();
  #inFlight = 0;
  maxInFlight = 0;

  /** Notes that `client`'s calls were asked for (before any limiter) on this trace. */
  recordRequests(client: ModelClient): ModelClient {
    return {
      id: client.id,
      callTool: (request) => {
        this.#requested.set(request, performance.now());
        return client.callTool(request);
      },
      streamText: (request) => client.streamText(request),
    };
  }

  /** The most calls (or tokens, by `weight`) that started within any `windowMs`. */
  maxPerWindow(windowMs: number, weight: (call: Call) => number): number {
    const calls = [...this.calls].sort((a, b) => a.started - b.started);
    let max = 0;
    let sum = 0;
    let first = 0;
    for (const call of calls) {
      sum += weight(call);
      for (let old = calls[first]; old && old.started <= call.started - windowMs; ) {
        sum -= weight(old);
        first += 1;
        old = calls[first];
      }
      max = Math.max(max, sum);
    }
    return max;
  }

  started(request: ToolRequest): void {
    const started = performance.now();
    const requested = this.#requested.get(request) ?? started;
    this.calls.push({ requested, started, tokens: estimateRequestTokens(request) });
    this.#inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
  }

  ended(): void {
    this.#inFlight -= 1;
  }
}

/**
 * A model that answers every tool request after `latencyMs` with a valid `record_findings` call:
 * one finding citing the framework's first item and quoting the section's first sentence (no
 * quote for the document-level request). Each call is recorded on `trace`.
 */
export function simulatedModel(
  framework: Framework,
  latencyMs: number,
  trace: CallTrace,
): ModelClient {
  const item = framework.items[0];
  if (item === undefined) throw new Error('the framework has no items');
  let calls = 0;
  return {
    id: 'simulated:findings-model',
    async callTool(request: ToolRequest): Promise<ToolAnswer> {
      trace.started(request);
      try {
        await sleep(latencyMs, undefined, { signal: request.signal });
      } finally {
        trace.ended();
      }
      calls += 1;
      const prompt = request.messages[0];
      const shown = /<section_text>\n([^\n]+)/.exec(prompt && 'text' in prompt ? prompt.text : '');
      const finding = {
        frameworkItems: [item.number],
        severity: 'minor',
        category: 'unsupported-claim',
        title: 'Claim without its evidence',
        description: 'The statement is not tied to the record that shows it.',
        suggestion: 'Name the log, report or witness the statement comes from.',
        quote: shown?.[1]?.split(/(?<=\.) /)[0]?.slice(0, 200) ?? null,
        confidence: 0.7,
      };
      return {
        call: { id: `call-${calls}`, name: FINDINGS_TOOL_NAME, input: { findings: [finding] } },
        usage: {
          inputTokens: estimateRequestTokens(request) - request.maxOutputTokens,
          outputTokens: 160,
        },
      };
    },
    streamText: () => {
      throw new Error('the simulated model only answers tool calls');
    },
  };
}
