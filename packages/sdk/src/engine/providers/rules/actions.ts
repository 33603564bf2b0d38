import type { Section } from '../../../schema/index.js';
import { regionsFor } from './analysis.js';
import { ROLE } from './people.js';
import type { Rule, RuleHit } from './rule.js';
import { sectionHit } from './rule.js';
import { type Entry, entries, type Span, sentences, wordCount } from './text.js';
import { hasDueDate } from './time.js';

type Field = 'owner' | 'due' | 'priority';

const COLUMN: Record<Field, RegExp> = {
  owner:
    /\b(?:owner|owned|responsib\w*|assignee|assigned|accountable|who|lead|action by|by whom)\b/i,
  due: /\b(?:due|deadline|target|date|by when|when|complet\w*|timescale|time ?frame)\b/i,
  priority: /\b(?:priorit\w*|urgency|rank|importance)\b/i,
};

/** A cell that leaves its field unanswered: empty, a dash, a placeholder or a non-answer. */
const EMPTY_CELL =
  /^(?:|-+|–|—|\?+|n\/?a|tbd|tbc|tba|unknown|unassigned|none|pending|asap|as soon as possible|ongoing|soon|later)$/i;

const IN_TEXT: Record<'owner' | 'priority', RegExp> = {
  owner: new RegExp(
    `\\b(?:owner|owned by|assigned to|responsible|accountable)\\b|${ROLE.source}`,
    'i',
  ),
  priority: /\b(?:P[0-4]|priority|critical|urgent|high|medium|low)\b/i,
};

const FIELD_TEXT: Record<Field, { noun: string; why: string; fix: string }> = {
  owner: {
    noun: 'an owner',
    why: 'an action nobody owns is rarely done',
    fix: 'Name an owner by role for every action (e.g. "Database platform lead").',
  },
  due: {
    noun: 'a due date',
    why: 'without a date nobody can tell whether the action is late',
    fix: 'Give every action a due date (e.g. "30 September").',
  },
  priority: {
    noun: 'a priority',
    why: 'without a priority the team cannot order the work',
    fix: 'Give every action a priority (e.g. P1/P2 or high/medium/low).',
  },
};

/** Whether a table cell under the field's column answers it. */
function suppliesCell(text: string): boolean {
  return !EMPTY_CELL.test(text.trim());
}

/** Whether free text (a list item, a sentence, a row without the column) supplies a field. */
function suppliesText(field: Field, text: string): boolean {
  return field === 'due' ? hasDueDate(text) : IN_TEXT[field].test(text);
}

/** A run of actions: a table (with its header row, when it has one) or a list. */
interface ActionGroup {
  header: Entry | null;
  rows: Entry[];
}

function actionGroups(text: string): ActionGroup[] {
  const groups: ActionGroup[] = [];
  let previous: Entry | undefined;
  for (const entry of entries(text)) {
    if (previous === undefined || previous.kind !== entry.kind || entry.header) {
      groups.push({ header: entry.header ? entry : null, rows: [] });
    }
    if (!entry.header) groups.at(-1)?.rows.push(entry);
    previous = entry;
  }
  return groups.filter((group) => group.rows.length > 0);
}

/** The text of an action other than its description: a row's other cells, or a list item. */
function detailsOf(row: Entry): string {
  if (row.kind === 'list') return row.text;
  const action = pickActionCell(row);
  return row.cells
    .filter((cell) => cell !== action)
    .map((cell) => cell.text)
    .join(' | ');
}

/** For each field, the first action lacking it (or the header lacking its column) and how many. */
function gaps(group: ActionGroup): Map<Field, { first: Span; count: number }> {
  const result = new Map<Field, { first: Span; count: number }>();
  for (const field of ['owner', 'due', 'priority'] as const) {
    const column = group.header?.cells.findIndex((cell) => COLUMN[field].test(cell.text)) ?? -1;
    const missing = group.rows.filter((row) => {
      const cell = column >= 0 ? row.cells[column] : undefined;
      if (cell !== undefined) return !suppliesCell(cell.text);
      return !suppliesText(field, field === 'priority' ? row.text : detailsOf(row));
    });
    const first = missing[0];
    if (first !== undefined) {
      const quote = column < 0 && group.header !== null ? group.header : first;
      result.set(field, { first: quote, count: missing.length });
    }
  }
  return result;
}

function fieldRule(field: Field): Rule {
  return {
    category: `action-missing-${field === 'due' ? 'due-date' : field}`,
    item: 'actions',
    severity: 'minor',
    about: `Corrective or preventive actions without ${FIELD_TEXT[field].noun}.`,
    section({ section, info }) {
      return regionsFor(info, 'actions').flatMap((region) =>
        fieldGaps(section, region.text, field),
      );
    },
  };
}

/** One hit when some actions of a region lack the field. */
function fieldGaps(section: Section, body: string, field: Field): RuleHit[] {
  const groups = actionGroups(body);
  if (groups.length === 0) return proseGap(section, body, field);
  let total = 0;
  let first: Span | null = null;
  for (const group of groups) {
    const gap = gaps(group).get(field);
    if (gap === undefined) continue;
    total += gap.count;
    first = first ?? gap.first;
  }
  if (first === null) return [];
  const count = groups.reduce((sum, group) => sum + group.rows.length, 0);
  const about = FIELD_TEXT[field];
  return [
    sectionHit(section, first, {
      title: `${total} of ${count} actions have no ${about.noun.replace(/^an? /, '')}`,
      description: `Every action needs ${about.noun}: ${about.why}.`,
      suggestion: about.fix,
      confidence: 0.85,
    }),
  ];
}

/** Actions written as prose: checks the section as a whole. */
function proseGap(section: Section, text: string, field: Field): RuleHit[] {
  const actionSentences = sentences(text).filter((sentence) =>
    /\b(?:will|shall|must|to be|should)\b|^[A-Z][a-z]+ (?:the|a|an|all|each|every)\b/.test(
      sentence.text,
    ),
  );
  if (actionSentences.length === 0) return [];
  if (actionSentences.some((sentence) => suppliesText(field, sentence.text))) return [];
  const about = FIELD_TEXT[field];
  return [
    sectionHit(section, actionSentences[0] ?? null, {
      title: `Actions have no ${about.noun.replace(/^an? /, '')}`,
      description: `None of the actions states ${about.noun}: ${about.why}.`,
      suggestion: about.fix,
      confidence: 0.7,
    }),
  ];
}

const VAGUE_ACTION =
  /\b(?:as needed|as appropriate|as required|where possible|if possible|when possible|going forward|be more careful|pay more attention|try to|raise awareness)\b/i;
const VAGUE_VERB =
  /^(?:improve|enhance|strengthen|look into|investigate|consider|explore|review|ensure|monitor|address)\b/i;

const notSpecific: Rule = {
  category: 'action-not-specific',
  item: 'actions',
  severity: 'minor',
  about: 'Actions too vague to be checked ("improve monitoring", "be more careful").',
  section({ section, info }) {
    const list = regionsFor(info, 'actions').flatMap((region) => entries(region.text));
    for (const entry of list) {
      if (entry.header) continue;
      const action = entry.kind === 'row' ? pickActionCell(entry) : entry;
      const words = wordCount(action.text);
      if (VAGUE_ACTION.test(action.text) || (VAGUE_VERB.test(action.text) && words <= 3)) {
        return [
          sectionHit(section, action, {
            title: 'Action too vague to verify',
            description:
              'An action that does not say what will change cannot be verified as done, and the same problem tends to return.',
            suggestion:
              'State the concrete change and its measurable result (e.g. "Alert when WAL volume exceeds 80%" rather than "Improve monitoring").',
            confidence: 0.65,
          }),
        ];
      }
    }
    return [];
  },
};

function pickActionCell(entry: Entry): Span {
  const cells = entry.cells.filter((cell) => !/^#?\d+\.?$/.test(cell.text));
  return cells[0] ?? entry;
}

/** Checks of corrective and preventive actions (Hawkeye #12). */
export const actionRules: Rule[] = [
  fieldRule('owner'),
  fieldRule('due'),
  fieldRule('priority'),
  notSpecific,
];
