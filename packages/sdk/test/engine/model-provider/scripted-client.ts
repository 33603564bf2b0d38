import type {
  ModelClient,
  TextEvent,
  ToolAnswer,
  ToolRequest,
} from '../../../src/engine/providers/model/index.js';
import type { ProviderUsage } from '../../../src/engine/types.js';

/** One scripted reply: an answer, an error to throw, or a function of the request. */
export type ScriptStep = ToolAnswer | Error | ((request: ToolRequest) => ToolAnswer);

/**
 * A model client that replies from a queue, in order, and records every tool request it gets.
 * It fails when asked more often than it was scripted to answer.
 */
export class ScriptedModelClient implements ModelClient {
  readonly id: string;
  /** Every tool request, in the order received. */
  readonly requests: ToolRequest[] = [];
  readonly #steps: ScriptStep[];

  constructor(steps: ScriptStep[] = [], id = 'test:scripted-model') {
    this.#steps = [...steps];
    this.id = id;
  }

  /** Adds replies at the end of the queue. */
  push(...steps: ScriptStep[]): void {
    this.#steps.push(...steps);
  }

  async callTool(request: ToolRequest): Promise<ToolAnswer> {
    this.requests.push(request);
    const step = this.#steps.shift();
    if (step === undefined) throw new Error(`No reply scripted for call ${this.requests.length}.`);
    if (step instanceof Error) throw step;
    return typeof step === 'function' ? step(request) : step;
  }

  streamText(): AsyncIterable<TextEvent> {
    return {
      [Symbol.asyncIterator]() {
        throw new Error('The scripted client answers tool calls only.');
      },
    };
  }
}

let callCount = 0;

/** A tool answer calling `record_findings` (or `name`) with `input`. */
export function toolAnswer(
  input: unknown,
  usage: ProviderUsage = { inputTokens: 1000, outputTokens: 100 },
  name = 'record_findings',
): ToolAnswer {
  callCount += 1;
  return { call: { id: `toolu_${callCount}`, name, input }, usage };
}

/** A finding as a model writes it into the tool input. */
export interface RawFinding {
  frameworkItems: unknown;
  severity: unknown;
  category: unknown;
  title: unknown;
  description: unknown;
  suggestion: unknown;
  quote: unknown;
  confidence: unknown;
}

/** A valid raw finding about root cause (#8), with `overrides`. */
export function rawFinding(overrides: Partial<RawFinding> = {}): RawFinding {
  return {
    frameworkItems: [8],
    severity: 'major',
    category: 'root-cause-unsupported',
    title: 'The root cause is asserted, not shown',
    description: 'No evidence links the expired certificate to the failed payments.',
    suggestion: 'Cite the gateway log lines that show the handshake failures.',
    quote: null,
    confidence: 0.8,
    ...overrides,
  };
}

/** A tool answer with these raw findings. */
export function findingsAnswer(findings: RawFinding[], usage?: ProviderUsage): ToolAnswer {
  return toolAnswer({ findings }, usage);
}
