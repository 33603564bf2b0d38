import type { ProviderReply, ReviewContext, ReviewProvider } from '../../../src/engine/types.js';
import { documentOf, finding, framework } from '../review-fixtures.js';

/** What a scripted provider does on a call: answer with a reply, or throw an error. */
export type Step = ProviderReply | Error | ((context: ReviewContext) => Promise<ProviderReply>);

/** A review provider that follows a script, call after call, and counts its calls. */
export interface ScriptedProvider extends ReviewProvider {
  /** How many times it was called (sections and document). */
  readonly calls: number;
}

/**
 * A provider answering each call with the next step of `script` (the last step repeats):
 * a reply is returned, an error thrown, a function awaited.
 */
export function scriptedProvider(id: string, script: Step[]): ScriptedProvider {
  let calls = 0;
  const next = async (context: ReviewContext): Promise<ProviderReply> => {
    const step = script[Math.min(calls, script.length - 1)];
    calls += 1;
    if (step instanceof Error) throw step;
    if (typeof step === 'function') return step(context);
    if (!step) throw new Error('empty script');
    return step;
  };
  return {
    id,
    get calls() {
      return calls;
    },
    reviewSection: (_section, context) => next(context),
    reviewDocument: (context) => next(context),
  };
}

/** A reply with one finding titled `title`, and some usage. */
export function replyFrom(title: string): ProviderReply {
  return {
    findings: [finding({ title, origin: 'ai' })],
    usage: { inputTokens: 100, outputTokens: 20 },
  };
}

/** A review context over a two-section document. */
export function contextOf(signal?: AbortSignal): ReviewContext {
  return { framework, document: documentOf(2), signal };
}
