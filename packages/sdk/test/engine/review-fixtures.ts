import type {
  ProviderFinding,
  ReviewableDocument,
  ReviewContext,
  ReviewProvider,
} from '../../src/engine/types.js';
import type { Framework, Section, Severity } from '../../src/index.js';

/** A small framework of four items, enough for the engine's tests. */
export const framework: Framework = {
  id: 'hawkeye',
  version: '1.0.0',
  name: 'Hawkeye 20-point checklist',
  description: 'Test subset.',
  items: [
    { number: 4, key: 'timeline', title: 'Timeline', checks: 'times', defaultSeverity: 'major' },
    {
      number: 8,
      key: 'root-cause',
      title: 'Root cause',
      checks: 'cause',
      defaultSeverity: 'major',
    },
    { number: 12, key: 'actions', title: 'Actions', checks: 'owners', defaultSeverity: 'major' },
    { number: 20, key: 'clarity', title: 'Clarity', checks: 'wording', defaultSeverity: 'minor' },
  ],
  builtIn: true,
  createdAt: '2025-01-01T00:00:00Z',
};

/** A document of `count` sections with distinct headings and text. */
export function documentOf(count: number, title = 'Payment outage'): ReviewableDocument {
  const sections: Section[] = Array.from({ length: count }, (_, index) => ({
    index,
    heading: `Section ${index + 1}`,
    level: 1,
    text: `Paragraph ${index + 1}: some systems failed at some point.`,
    anchors: [{ block: index * 2, page: null }],
  }));
  return { title, sections };
}

/** A finding with sensible defaults. */
export function finding(overrides: Partial<ProviderFinding> = {}): ProviderFinding {
  return {
    sectionIndex: 0,
    frameworkItems: [{ number: 20, key: 'clarity' }],
    severity: 'minor',
    category: 'vague-quantifier',
    title: 'Vague quantifier',
    description: '"some" does not say how many.',
    suggestion: 'Give the number.',
    quote: 'some',
    confidence: 0.8,
    origin: 'rule',
    ...overrides,
  };
}

const SEVERITY_CYCLE: Severity[] = ['info', 'major', 'minor', 'critical'];

/** Every section gets a vague-quantifier finding and one more whose severity cycles. */
function findingsFor(section: Section): ProviderFinding[] {
  return [
    finding({ sectionIndex: section.index, quote: `Paragraph ${section.index + 1}` }),
    finding({
      sectionIndex: section.index,
      frameworkItems: [{ number: 4, key: 'timeline' }],
      severity: SEVERITY_CYCLE[section.index % SEVERITY_CYCLE.length] ?? 'minor',
      category: 'timeline-missing-times',
      title: 'Timeline entry without a time',
      quote: null,
    }),
  ];
}

/** How a {@link FakeProvider} behaves. */
export interface FakeProviderOptions {
  /** The provider id. Default `fake:test-model`. */
  id?: string;
  /** Milliseconds each call takes. Default 0. */
  latencyMs?: number;
  /** Sections (by index) whose review throws this error. */
  failures?: Map<number, Error>;
  /** Tokens reported per call. Default 0. */
  tokensPerCall?: number;
}

/** A provider with controllable latency and failures that records every call. */
export class FakeProvider implements ReviewProvider {
  readonly id: string;
  /** Section indexes, in the order their reviews started. */
  readonly sectionCalls: number[] = [];
  documentCalls = 0;
  /** Calls (section and document) in flight now, and at most. */
  inFlight = 0;
  maxInFlight = 0;
  readonly #options: FakeProviderOptions;

  constructor(options: FakeProviderOptions = {}) {
    this.#options = options;
    this.id = options.id ?? 'fake:test-model';
  }

  async reviewSection(section: Section, context: ReviewContext) {
    this.sectionCalls.push(section.index);
    return this.#call(context, () => {
      const failure = this.#options.failures?.get(section.index);
      if (failure) throw failure;
      return findingsFor(section);
    });
  }

  async reviewDocument(context: ReviewContext) {
    this.documentCalls += 1;
    return this.#call(context, () =>
      context.document.title?.includes('missing root cause')
        ? [
            finding({
              sectionIndex: null,
              frameworkItems: [{ number: 8, key: 'root-cause' }],
              severity: 'critical',
              category: 'item-missing',
              title: 'No root cause',
              quote: null,
            }),
          ]
        : [],
    );
  }

  /** Waits the latency, counting calls in flight, then answers. */
  async #call(context: ReviewContext, answer: () => ProviderFinding[]) {
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      await delay(this.#options.latencyMs ?? 0, context.signal);
      return { findings: answer(), usage: this.#usage() };
    } finally {
      this.inFlight -= 1;
    }
  }

  #usage() {
    const tokens = this.#options.tokensPerCall ?? 0;
    return { inputTokens: tokens, outputTokens: tokens / 2 };
  }
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
