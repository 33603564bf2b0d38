import type { ResultCache } from '../engine/cache.js';
import type { ModelAnswerCache } from '../engine/providers/model/answer-cache.js';

/**
 * The model answers of a store, kept in its review cache beside whole reviews (their keys are
 * hashes of different inputs, so they never meet): a section reviewed once by a model is not
 * sent to it again, by any process on the store. Only the findings are kept: a cached answer
 * costs no tokens.
 */
export function storedModelAnswers(cache: ResultCache): ModelAnswerCache {
  return {
    get: (key) => cache.get(key),
    set: (key, reply) => cache.set(key, { findings: reply.findings }),
  };
}
