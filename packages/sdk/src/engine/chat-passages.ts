import type { Section } from '../schema/documents.js';
import { lineSentences } from './chat-sentences.js';
import { termsOf } from './chat-terms.js';

/** One sentence, list item or table row of a document: the unit an answer is built from. */
export interface Passage {
  /** Position in the document, counting passages from the first section. */
  order: number;
  /** The section it is in. */
  section: Section;
  /** The text exactly as it appears in the section (without a list marker). */
  quote: string;
  /** The text as an answer states it: a sentence as it is, a table row as `column: value`. */
  statement: string;
  /** The terms of the text. */
  terms: string[];
  /** The terms of what labels it: the section heading and, for a table row, the column names. */
  labelTerms: ReadonlySet<string>;
}

const LIST_MARKER = /^\s*(?:[-*+•]|\d{1,3}[.)]|\(?[a-z][.)])\s+/;
const CELL_SEPARATOR = ' | ';

/**
 * The passages of a document, in order. Every line of a section stands alone (the sectioner
 * puts list items and table rows one to a line and separates paragraphs with blank lines); a
 * table row is one passage, and other lines are split into sentences, keeping abbreviations
 * ("e.g.", "Mr."), decimals and clock times whole. Passages without any terms are left out.
 * The document title labels nothing: it names what every section is about.
 */
export function documentPassages(sections: readonly Section[]): Passage[] {
  const passages: Passage[] = [];
  const title = titleSection(sections);
  for (const section of sections) {
    const headingTerms = section === title ? [] : termsOf(section.heading ?? '');
    const sectionLabels = new Set(headingTerms);
    let columns: string[] | null = null;
    let rowLabels = sectionLabels;
    let inTable = false;
    for (const line of section.text.split(/\r?\n/)) {
      if (!line.includes(CELL_SEPARATOR)) {
        inTable = false;
        columns = null;
        rowLabels = sectionLabels;
        for (const sentence of lineSentences(line.replace(LIST_MARKER, ''))) {
          add(passages, section, sentence, sentence, sectionLabels);
        }
        continue;
      }
      const cells = line.split(CELL_SEPARATOR).map((cell) => cell.trim());
      if (!inTable && !cells.some((cell) => /\d/.test(cell))) {
        columns = cells;
        rowLabels = new Set([...headingTerms, ...termsOf(cells.join(' '))]);
      } else {
        add(passages, section, line.trim(), rowStatement(cells, columns), rowLabels);
      }
      inTable = true;
    }
  }
  return passages;
}

/** The section headed by the document title: the only one at the top heading level, if any. */
function titleSection(sections: readonly Section[]): Section | undefined {
  const headed = sections.filter((section) => section.heading !== null);
  const top = headed.reduce((lowest, section) => Math.min(lowest, section.level), Infinity);
  const atTop = headed.filter((section) => section.level === top);
  return atTop.length === 1 && headed.length > 1 ? atTop[0] : undefined;
}

function add(
  passages: Passage[],
  section: Section,
  quote: string,
  statement: string,
  labelTerms: ReadonlySet<string>,
): void {
  const terms = termsOf(quote);
  if (terms.length === 0) return;
  passages.push({
    order: passages.length,
    section,
    quote,
    statement: asSentence(statement),
    terms,
    labelTerms,
  });
}

/**
 * A table row as a statement: `first: second` for two columns, else `column: value` pairs when
 * the table has a header row, else the cells joined by semicolons.
 */
function rowStatement(cells: string[], columns: string[] | null): string {
  const filled = cells.map((cell, i) => ({ cell, column: columns?.[i] ?? '' }));
  const values = filled.filter(({ cell }) => cell !== '');
  if (cells.length === 2) return values.map(({ cell }) => cell).join(': ');
  if (columns === null) return values.map(({ cell }) => cell).join('; ');
  return values.map(({ cell, column }) => (column === '' ? cell : `${column}: ${cell}`)).join('; ');
}

/** The text ending as a sentence does: a full stop added, or put in place of a `:`, `;` or `,`. */
function asSentence(text: string): string {
  return /[.!?…]["'”’)\]]?$/.test(text) ? text : `${text.replace(/[:;,]$/, '')}.`;
}
