import type { Citation } from '../schema/chat.js';
import type { CitedSection } from './chat-model-markers.js';
import type { Passage } from './chat-passages.js';
import { lineSentences } from './chat-sentences.js';
import { termsOf } from './chat-terms.js';

const MARKER = /\[S\d+\]/g;

/**
 * The citations of a model's answer: for each section it cited, the passage of that section it
 * was shown that shares the most terms with the sentence the marker ends (the best-matching
 * such passage on a tie or when none shares any), quoted exactly as it stands in the section.
 * In the order first cited; the same section and quote are cited once. `passages` are the
 * passages shown, best-matching first.
 */
export function citationsOf(
  answer: string,
  cited: readonly CitedSection[],
  passages: readonly Passage[],
): Citation[] {
  const citations: Citation[] = [];
  const seen = new Set<string>();
  for (const { sectionIndex, offset } of cited) {
    const shown = passages.filter((passage) => passage.section.index === sectionIndex);
    const passage = closestTo(claimBefore(answer, offset), shown);
    if (passage === undefined) continue;
    const key = `${sectionIndex}\n${passage.quote}`;
    if (seen.has(key)) continue;
    seen.add(key);
    citations.push({ sectionIndex, heading: passage.section.heading, quote: passage.quote });
  }
  return citations;
}

/** The last sentence of the answer's line before `offset`, markers left out. */
function claimBefore(answer: string, offset: number): string {
  const line = answer.slice(0, offset).split('\n').at(-1) ?? '';
  return lineSentences(line.replace(MARKER, ' ')).at(-1) ?? '';
}

/** The passage sharing the most terms with `claim`; the first one on a tie. */
function closestTo(claim: string, passages: readonly Passage[]): Passage | undefined {
  const claimed = new Set(termsOf(claim));
  let best: Passage | undefined;
  let bestShared = -1;
  for (const passage of passages) {
    const shared = new Set(passage.terms.filter((term) => claimed.has(term))).size;
    if (shared > bestShared) {
      best = passage;
      bestShared = shared;
    }
  }
  return best;
}
