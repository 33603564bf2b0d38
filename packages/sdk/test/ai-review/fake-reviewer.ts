/**
 * The judgement of the mocked models: what a review request asks (read from the prompt's user
 * turn, as a model would) and the findings a model answers with, quoting the text it was shown.
 */

/** What one request asks the model to review. */
export type Asked =
  | {
      kind: 'section';
      /** The section's index. */
      index: number;
      /** The section's heading. */
      heading: string;
      /** The text shown between `<section_text>` tags: the section's, or a part of it. */
      text: string;
      /** The characters shown, when the request holds only a part of the section. */
      part: { start: number; end: number } | null;
    }
  | {
      kind: 'document';
      /** The number of sections the prompt says the document has. */
      sections: number;
    };

/** A finding as a model writes it in the `record_findings` tool input. */
export interface ToolFinding {
  frameworkItems: number[];
  severity: string;
  category: string;
  title: string;
  description: string;
  suggestion: string;
  quote: string | null;
  confidence: number;
}

/** The `record_findings` tool input. */
export interface ToolInput {
  findings: ToolFinding[];
}

/** The hawkeye-20 item each section of the test report is mainly about. */
const ITEM_OF_HEADING: Readonly<Record<string, number>> = {
  Summary: 1,
  Timeline: 4,
  Evidence: 7,
  'Root cause': 8,
  Actions: 12,
};

/** The hawkeye-20 item a model cites for a section of unknown heading: clear language. */
const CLARITY_ITEM = 20;

/** The title a model gives its finding about a section. */
export function sectionFindingTitle(heading: string): string {
  return `${heading}: a reader who was not there needs more detail`;
}

/** The title a model gives its document-level finding. */
export const DOCUMENT_FINDING_TITLE = 'The cost of the stoppage is not given';

/**
 * What a prompt's user turn asks: a section (its index, heading and the text shown, with the
 * part shown when the section was split) or the whole document.
 *
 * @throws {Error} when the text is neither prompt, so a changed prompt fails loudly.
 */
export function readAsked(userText: string): Asked {
  const section = /^The section under review: \[(\d+)\] (.*)$/m.exec(userText);
  if (section === null) {
    const sections = /^Sections: (\d+)$/m.exec(userText);
    if (sections === null || !userText.includes('<section index=')) {
      throw new Error(`Not a review prompt: ${userText.slice(0, 200)}`);
    }
    return { kind: 'document', sections: Number(sections[1]) };
  }
  const text = /<section_text>\n([\s\S]*)\n<\/section_text>/.exec(userText);
  if (text === null) throw new Error('The section prompt holds no <section_text>.');
  const part = /only its characters (\d+) to (\d+) of \d+ are shown/.exec(userText);
  return {
    kind: 'section',
    index: Number(section[1]),
    heading: section[2] ?? '',
    text: text[1] ?? '',
    part: part === null ? null : { start: Number(part[1]), end: Number(part[2]) },
  };
}

/** The first sentence of a text, as a model would quote it. */
export function firstSentence(text: string): string {
  const trimmed = text.trim();
  return /^[\s\S]*?[.!?](?=\s|$)/.exec(trimmed)?.[0] ?? trimmed;
}

/**
 * What a careful model answers: for a section, one finding citing the item the section is
 * about and quoting the first sentence it was shown; for the document, one finding that the
 * cost is missing (nothing to quote). `model` names the model in the description.
 */
export function answerFor(asked: Asked, model: string): ToolInput {
  if (asked.kind === 'document') {
    return {
      findings: [
        {
          frameworkItems: [6],
          severity: 'major',
          category: 'impact-not-costed',
          title: DOCUMENT_FINDING_TITLE,
          description: `${model}: the late orders are counted, but no section says what they cost.`,
          suggestion: 'Add the cost of the late orders and of the repair to the summary.',
          quote: null,
          confidence: 0.6,
        },
      ],
    };
  }
  return {
    findings: [
      {
        frameworkItems: [ITEM_OF_HEADING[asked.heading] ?? CLARITY_ITEM],
        severity: 'minor',
        category: 'needs-detail',
        title: sectionFindingTitle(asked.heading),
        description: `${model}: this statement is given without the detail that would let a reader check it.`,
        suggestion: 'Say who observed it, when, and where the record of it is kept.',
        quote: firstSentence(asked.text),
        confidence: 0.7,
      },
    ],
  };
}
