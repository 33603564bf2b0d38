import type { Passage } from './chat-passages.js';

/** BM25 term-frequency saturation. */
const K1 = 1.2;
/** BM25 length normalisation. */
const B = 0.75;
/**
 * A term in a passage's heading or column names counts as this many occurrences in its text:
 * enough to favour the section the question names, less than the passage saying it itself.
 */
const LABEL_WEIGHT = 0.5;

/** What to look for: each term with its weight (1 for the question's own terms). */
export interface Query {
  /** Term → weight. */
  weights: ReadonlyMap<string, number>;
  /** The terms the question itself asks about; coverage is measured against these. */
  asked: ReadonlySet<string>;
}

/** A passage that matches a query. */
export interface RankedPassage {
  passage: Passage;
  /** BM25 score over the passage text and its labels (heading, column names). */
  score: number;
  /**
   * The share of the question's terms, weighted by how rare they are in the document, that the
   * passage contains (0 to 1); a term only in its labels counts half. A term the document never
   * uses weighs the most.
   */
  coverage: number;
}

/**
 * Scores passages against a query with BM25 (k1 1.2, b 0.75), where a query term in the
 * passage's heading or column names counts as half an occurrence. One pass over the
 * passages' terms, so the cost grows linearly with the document. Returns only passages that
 * match, in document order.
 */
export function rankPassages(passages: readonly Passage[], query: Query): RankedPassage[] {
  const documentFrequency = new Map<string, number>();
  const matches: { passage: Passage; frequencies: Map<string, number> }[] = [];
  let totalLength = 0;
  for (const passage of passages) {
    totalLength += passage.terms.length;
    let frequencies: Map<string, number> | undefined;
    const count = (term: string, occurrences: number) => {
      frequencies ??= new Map();
      frequencies.set(term, (frequencies.get(term) ?? 0) + occurrences);
    };
    for (const term of passage.terms) if (query.weights.has(term)) count(term, 1);
    for (const term of query.weights.keys()) {
      if (passage.labelTerms.has(term)) count(term, LABEL_WEIGHT);
    }
    if (frequencies === undefined) continue;
    matches.push({ passage, frequencies });
    for (const term of frequencies.keys()) {
      documentFrequency.set(term, (documentFrequency.get(term) ?? 0) + 1);
    }
  }
  const total = passages.length;
  const averageLength = total === 0 ? 1 : totalLength / total;
  const idf = (term: string) => {
    const frequency = documentFrequency.get(term) ?? 0;
    return Math.log(1 + (total - frequency + 0.5) / (frequency + 0.5));
  };
  let askedWeight = 0;
  for (const term of query.asked) askedWeight += idf(term);

  return matches.map(({ passage, frequencies }) => {
    const norm = K1 * (1 - B + (B * passage.terms.length) / averageLength);
    let score = 0;
    let covered = 0;
    for (const [term, frequency] of frequencies) {
      const weight = query.weights.get(term) ?? 0;
      score += (weight * idf(term) * frequency * (K1 + 1)) / (frequency + norm);
      // A frequency under 1 is a label-only match, which covers the term by that much.
      if (query.asked.has(term)) covered += idf(term) * Math.min(1, frequency);
    }
    return { passage, score, coverage: askedWeight === 0 ? 0 : covered / askedWeight };
  });
}
