import { PrismError } from '../errors.js';
import type { ChatMessage } from '../schema/chat.js';
import type { Section } from '../schema/documents.js';
import { rankForQuestion } from './chat.js';
import { documentPassages, type Passage } from './chat-passages.js';
import type { SystemPart, TextRequest } from './providers/model/model-client.js';

/** How much of the document and of the conversation a chat prompt carries. */
export interface ChatPromptLimits {
  /** Most passages (sentences, list items, table rows) shown to the model. */
  maxPassages: number;
  /** Most characters of passage text shown, in total. */
  maxPassageChars: number;
  /** Most earlier messages of the conversation passed on, the most recent ones. */
  maxHistoryMessages: number;
  /** Most characters of each earlier message; a longer one is cut, ending with `…`. */
  maxHistoryMessageChars: number;
}

/**
 * The default limits: 60 passages and 12,000 characters of them, and the last 10 messages of
 * the conversation, 2,000 characters each: about 33,000 characters of prompt at most.
 */
export const DEFAULT_CHAT_PROMPT_LIMITS: Readonly<ChatPromptLimits> = {
  maxPassages: 60,
  maxPassageChars: 12_000,
  maxHistoryMessages: 10,
  maxHistoryMessageChars: 2_000,
};

/** What a chat prompt is built from besides the sections and the question. */
export interface ChatPromptInput {
  /** The conversation so far, oldest first. */
  history: readonly ChatMessage[];
  /** The document's title, named at the top of the passages when there is one. */
  title: string | null;
  /** How much to carry. */
  limits: Readonly<ChatPromptLimits>;
}

/** A prompt for a model's answer, and the passages it shows. */
export interface ChatPrompt {
  /** The instructions. */
  system: SystemPart[];
  /** The earlier turns, then one user turn with the passages and the question. */
  messages: TextRequest['messages'];
  /** The passages shown, best-matching first. */
  passages: Passage[];
}

/** What the model is told to do; `[S<n>]` names the section whose `index` is n. */
export const CHAT_INSTRUCTIONS = [
  'You answer questions about one document. You are given passages from it (the whole document',
  'when it is short, else the parts that best match the question), grouped by section. Each',
  'section starts with its marker, such as [S3], and its heading.',
  '',
  'Rules:',
  '- Answer only from the passages. Do not use outside knowledge and do not guess.',
  '- After each statement, cite the sections it comes from with their markers exactly as given,',
  '  e.g. "The account was disabled at 12:58 [S3]." or "[S3][S5]" for two sections. Cite only',
  '  markers that appear in the passages.',
  '- If the passages do not contain the answer, say that the document does not appear to answer',
  '  the question, and cite nothing.',
  '- Earlier turns of the conversation are context; answer the last question.',
  '- Be concise. Write plain text without Markdown headings.',
].join('\n');

/**
 * The prompt answering `question` about a document. A document whose passages (sentences, list
 * items, table rows) all fit the limits is shown whole. A longer one shows the passages that
 * match the question (ranked as the extractive answer ranks them, see `rankForQuestion`), best
 * first, up to `limits.maxPassages` and `limits.maxPassageChars` (a passage that would pass the
 * character budget is skipped for a shorter one); when none matches, the document's opening
 * passages stand in. They are shown in document order, grouped under `[S<index>] <heading>`,
 * table rows as `column: value`. The conversation's last `limits.maxHistoryMessages` non-empty
 * messages come before, each cut to `limits.maxHistoryMessageChars`; turns of the same role in
 * a row are joined and a leading assistant turn is dropped, so the turns alternate and start
 * and end with the user. Pure.
 *
 * @throws {PrismError} `invalid_argument` for an empty question or one over 4,000 characters,
 *   or a limit that is not a positive whole number.
 */
export function chatPrompt(
  sections: readonly Section[],
  question: string,
  input: ChatPromptInput,
): ChatPrompt {
  checkLimits(input.limits);
  const passages = choosePassages(sections, question, input);
  const turns: TextRequest['messages'] = input.history
    .slice(-input.limits.maxHistoryMessages)
    .filter((message) => message.content.trim() !== '')
    .map((message) => ({
      role: message.role,
      text: cut(message.content, input.limits.maxHistoryMessageChars),
    }));
  turns.push({ role: 'user', text: questionTurn(passages, question, input.title) });
  return {
    system: [{ text: CHAT_INSTRUCTIONS, cache: false }],
    messages: alternating(turns),
    passages,
  };
}

function checkLimits(limits: Readonly<ChatPromptLimits>): void {
  const wrong = Object.entries(limits)
    .filter(([, value]) => !Number.isInteger(value) || value < 1)
    .map(([name]) => name);
  if (wrong.length > 0) {
    throw new PrismError(
      'invalid_argument',
      `The chat prompt limits ${wrong.join(', ')} must be positive whole numbers.`,
      { hint: 'Pass whole numbers of 1 or more, or leave the limits out for the defaults.' },
    );
  }
}

/** The passages to show, best-matching first, within the limits. */
function choosePassages(
  sections: readonly Section[],
  question: string,
  input: ChatPromptInput,
): Passage[] {
  const { maxPassages, maxPassageChars } = input.limits;
  const ranked = rankForQuestion(sections, question, input.history).map(({ passage }) => passage);
  const all = documentPassages(sections);
  if (all.length <= maxPassages && charsOf(all) <= maxPassageChars) {
    const matched = new Set(ranked.map((passage) => passage.order));
    return [...ranked, ...all.filter((passage) => !matched.has(passage.order))];
  }
  const chosen: Passage[] = [];
  let chars = 0;
  for (const passage of ranked.length > 0 ? ranked : all) {
    if (chosen.length === maxPassages) break;
    if (chars + passage.statement.length > maxPassageChars) continue;
    chosen.push(passage);
    chars += passage.statement.length;
  }
  return chosen;
}

function charsOf(passages: readonly Passage[]): number {
  return passages.reduce((sum, passage) => sum + passage.statement.length, 0);
}

/** The last user turn: the title, the passages by section in document order, the question. */
function questionTurn(
  passages: readonly Passage[],
  question: string,
  title: string | null,
): string {
  const lines: string[] = [];
  if (title !== null && title.trim() !== '') lines.push(`Document: ${title.trim()}`, '');
  lines.push('<passages>');
  let section: Section | undefined;
  for (const passage of [...passages].sort((a, b) => a.order - b.order)) {
    if (passage.section !== section) {
      if (section !== undefined) lines.push('');
      section = passage.section;
      lines.push(`[S${section.index}] ${section.heading ?? '(no heading)'}`);
    }
    lines.push(`- ${passage.statement}`);
  }
  if (passages.length === 0) lines.push('(The document has no text.)');
  lines.push('</passages>', '', `Question: ${question.trim()}`);
  return lines.join('\n');
}

/** Turns that alternate, starting and ending with the user: runs joined, a leading assistant dropped. */
function alternating(turns: TextRequest['messages']): TextRequest['messages'] {
  const result: TextRequest['messages'] = [];
  for (const turn of turns) {
    const last = result.at(-1);
    if (last === undefined && turn.role === 'assistant') continue;
    if (last !== undefined && last.role === turn.role) {
      result[result.length - 1] = { role: last.role, text: `${last.text}\n\n${turn.text}` };
    } else {
      result.push(turn);
    }
  }
  return result;
}

function cut(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `${text.slice(0, maxChars - 1).trimEnd()}…`;
}
