import { PrismError } from '../errors.js';
import type { ChatMessage, Citation } from '../schema/chat.js';
import type { Section } from '../schema/documents.js';
import { documentPassages, type Passage } from './chat-passages.js';
import { type Query, type RankedPassage, rankPassages } from './chat-ranking.js';
import { termsOf } from './chat-terms.js';
import { hasMoment } from './providers/rules/time.js';

/** The longest question accepted, in characters (as the API's `ChatRequest` allows). */
export const MAX_QUESTION_CHARS = 4000;
/** How many sentences an answer quotes unless told otherwise. */
export const DEFAULT_ANSWER_SENTENCES = 3;
/** The most sentences an answer may be asked to quote. */
export const MAX_ANSWER_SENTENCES = 20;
/** What an answer says when the document does not answer the question. */
export const NO_ANSWER = 'The document does not appear to answer this.';

/** Weight of the terms of the previous question, next to the question's own terms (1). */
const HISTORY_WEIGHT = 0.4;
/** A passage answers when it holds at least this share of the question's terms (by rarity). */
const MIN_COVERAGE = 0.5;
/** A passage joins the answer only when it scores at least this share of the best one. */
const MIN_RELATIVE_SCORE = 0.5;
/** Passages holding what the question asks for (a time for "when") score this much more. */
const CUE_BOOST = 1.3;
/** Passages sharing at least this share of their terms (Jaccard) say the same thing. */
const NEAR_DUPLICATE = 0.8;
/** How many sections a non-answer points to. */
const CLOSEST_SECTIONS = 3;

/** What {@link answerFromSections} takes besides the document and the question. */
export interface AnswerOptions {
  /** The conversation so far; the last user message lends its terms to a follow-up. */
  history?: readonly ChatMessage[];
  /** Most sentences to quote, 1 to {@link MAX_ANSWER_SENTENCES} (default 3). */
  maxSentences?: number;
}

/** An answer made of the document's own sentences, each cited. */
export interface ExtractiveAnswer {
  /** The quoted sentences as one paragraph, or {@link NO_ANSWER} and the closest sections. */
  answer: string;
  /** One citation per quoted sentence, or per closest section of a non-answer. */
  citations: Citation[];
}

const DURATION =
  /\b\d+(?:[.,]\d+)?\s?(?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?)\b/i;

const CAUSE = /\b(?:because|due to|caused|as a result|led to|resulted from|root cause)\b/i;

/** Kinds of question whose answer holds something recognisable, and how to recognise it. */
const CUES: { asks: RegExp; holds: (text: string) => boolean }[] = [
  { asks: /\b(?:when|what (?:time|date|day)|which (?:day|date))\b/i, holds: hasMoment },
  { asks: /\bhow long\b/i, holds: (text) => DURATION.test(text) || hasMoment(text) },
  { asks: /\bhow (?:many|much)\b/i, holds: (text) => /\d/.test(text) },
  { asks: /\bwhy\b|\bwhat (?:caused|led to)\b/i, holds: (text) => CAUSE.test(text) },
];

/**
 * Answers a question about a document without a model: the sentences, list items and table
 * rows that best match it, in document order, each cited with its section and its exact text.
 *
 * Passages are ranked with BM25 over their terms (lower-cased, stop and question words left
 * out, lightly stemmed), a section heading or table column matching the question counting as
 * half an occurrence. A passage must hold at least half of the question's terms, weighted by
 * their rarity, to answer it, and ranks by its score times that share; "when" questions prefer
 * passages with a date or time, "how long" ones a duration, "how many" ones a number, "why"
 * ones a cause ("because", "due to"...). The
 * last user message of `history` adds its terms at a lower weight, so a follow-up ("and when
 * was it contained?") stays on its subject; a question of stop words only ("and when?") is
 * read as the previous one. Near-duplicate passages are quoted once. When nothing answers,
 * the answer says so and, if any passage matches part of the question, names the closest
 * sections; no text is made up. Same input, same output; the work grows linearly with the
 * document.
 *
 * @throws {PrismError} `invalid_argument` for an empty question, one over
 *   {@link MAX_QUESTION_CHARS} characters, or a `maxSentences` outside 1 to
 *   {@link MAX_ANSWER_SENTENCES}.
 */
export function answerFromSections(
  sections: readonly Section[],
  question: string,
  options: AnswerOptions = {},
): ExtractiveAnswer {
  const ranked = rankForQuestion(sections, question, options.history ?? []);
  const maxSentences = checkMaxSentences(options.maxSentences ?? DEFAULT_ANSWER_SENTENCES);
  const answering = ranked.filter((match) => match.coverage >= MIN_COVERAGE);
  return answering.length > 0 ? quoted(answering, maxSentences) : noAnswer(ranked);
}

/**
 * The passages of a document that match a question, best first (ties in document order), as
 * {@link answerFromSections} ranks them: each `score` is its BM25 score times its coverage of
 * the question's terms, raised for passages holding what the question asks for; the last user
 * message of `history` lends its terms at a lower weight. Every matching passage is returned,
 * however little of the question it covers.
 *
 * @throws {PrismError} `invalid_argument` for an empty question or one over
 *   {@link MAX_QUESTION_CHARS} characters.
 */
export function rankForQuestion(
  sections: readonly Section[],
  question: string,
  history: readonly ChatMessage[],
): RankedPassage[] {
  checkQuestion(question);
  const query = queryFor(question, history);
  const cues = CUES.filter((cue) => cue.asks.test(question));
  return rankPassages(documentPassages(sections), query)
    .map((match) => {
      const boost = cues.some((cue) => cue.holds(match.passage.quote)) ? CUE_BOOST : 1;
      return { ...match, score: match.score * match.coverage * boost };
    })
    .sort(byScore);
}

function checkQuestion(question: string): void {
  if (question.trim() === '') {
    throw new PrismError('invalid_argument', 'The question is empty.', {
      hint: 'Ask a question in words, e.g. "When was the account disabled?".',
    });
  }
  if (question.length > MAX_QUESTION_CHARS) {
    throw new PrismError(
      'invalid_argument',
      `The question is ${question.length} characters; the limit is ${MAX_QUESTION_CHARS}.`,
      { hint: `Shorten the question to ${MAX_QUESTION_CHARS} characters or fewer.` },
    );
  }
}

function checkMaxSentences(value: number): number {
  if (!Number.isInteger(value) || value < 1 || value > MAX_ANSWER_SENTENCES) {
    throw new PrismError(
      'invalid_argument',
      `maxSentences must be a whole number from 1 to ${MAX_ANSWER_SENTENCES}; got ${value}.`,
      { hint: `Pass a maxSentences from 1 to ${MAX_ANSWER_SENTENCES}, or leave it out for 3.` },
    );
  }
  return value;
}

/** The question's terms at weight 1 and the previous question's at {@link HISTORY_WEIGHT}. */
function queryFor(question: string, history: readonly ChatMessage[]): Query {
  const previous = history.findLast((message) => message.role === 'user')?.content ?? '';
  const previousTerms = termsOf(previous);
  let asked = new Set(termsOf(question));
  let context = previousTerms;
  if (asked.size === 0) {
    asked = new Set(previousTerms);
    context = [];
  }
  const weights = new Map<string, number>();
  for (const term of context) weights.set(term, HISTORY_WEIGHT);
  for (const term of asked) weights.set(term, 1);
  return { weights, asked };
}

/** Best first; ties in document order. */
function byScore(a: RankedPassage, b: RankedPassage): number {
  return b.score - a.score || a.passage.order - b.passage.order;
}

function quoted(ranked: RankedPassage[], maxSentences: number): ExtractiveAnswer {
  const floor = (ranked[0]?.score ?? 0) * MIN_RELATIVE_SCORE;
  const chosen: Passage[] = [];
  for (const { passage, score } of ranked) {
    if (chosen.length === maxSentences || score < floor) break;
    if (!chosen.some((other) => nearDuplicates(other, passage))) chosen.push(passage);
  }
  chosen.sort((a, b) => a.order - b.order);
  return {
    answer: chosen.map((passage) => passage.statement).join(' '),
    citations: chosen.map(citation),
  };
}

/** The answer when nothing answers: say so, and point to the best-matching sections. */
function noAnswer(ranked: RankedPassage[]): ExtractiveAnswer {
  const closest: Passage[] = [];
  for (const { passage } of ranked) {
    if (closest.length === CLOSEST_SECTIONS) break;
    if (!closest.some((other) => other.section === passage.section)) closest.push(passage);
  }
  if (closest.length === 0) return { answer: NO_ANSWER, citations: [] };
  const names = closest.map((passage) => `"${sectionName(passage.section)}"`).join(', ');
  const lead = closest.length === 1 ? 'The closest section is' : 'The closest sections are';
  return { answer: `${NO_ANSWER} ${lead} ${names}.`, citations: closest.map(citation) };
}

function citation(passage: Passage): Citation {
  return {
    sectionIndex: passage.section.index,
    heading: passage.section.heading,
    quote: passage.quote,
  };
}

function sectionName(section: Section): string {
  return section.heading ?? `Section ${section.index + 1}`;
}

/** Whether two passages say the same: the same or nearly the same terms, in any case or order. */
function nearDuplicates(a: Passage, b: Passage): boolean {
  const mine = new Set(a.terms);
  const theirs = new Set(b.terms);
  let shared = 0;
  for (const term of mine) if (theirs.has(term)) shared += 1;
  return shared / (mine.size + theirs.size - shared) >= NEAR_DUPLICATE;
}
