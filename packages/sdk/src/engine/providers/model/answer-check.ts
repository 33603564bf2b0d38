import type { z } from 'zod';
import type { Framework, FrameworkItemRef } from '../../../schema/index.js';
import type { ProviderFinding } from '../../types.js';
import { FINDINGS_TOOL_NAME, findingsTool, type ModelFinding } from './findings-tool.js';
import type { ModelToolCall } from './model-client.js';
import { checkQuote, QUOTE_MISS_CONFIDENCE_FACTOR } from './quotes.js';

/** Most problems a repair message lists; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 20;

/** Where an answer's findings belong and where their quotes must come from. */
export interface AnswerTarget {
  /** The section the findings are about; null for the document-level pass. */
  sectionIndex: number | null;
  /** The texts a quote must occur in (one of them). */
  texts: readonly string[];
}

/** An answer turned into findings, or the reasons it was refused (one line each, with paths). */
export type AnswerCheck =
  | { ok: true; findings: ProviderFinding[] }
  | { ok: false; problems: string[] };

/**
 * Validates a model's tool call against the framework's findings schema and turns it into
 * findings: origin `ai`, the target's section index, item numbers resolved to `{number, key}`,
 * quotes checked against the target's texts (see `checkQuote`; a quote that is not there is
 * dropped and the confidence multiplied by {@link QUOTE_MISS_CONFIDENCE_FACTOR}).
 */
export function checkAnswer(
  call: ModelToolCall,
  framework: Framework,
  target: AnswerTarget,
): AnswerCheck {
  if (call.name !== FINDINGS_TOOL_NAME) {
    return {
      ok: false,
      problems: [`(tool): called ${call.name}; answer by calling ${FINDINGS_TOOL_NAME}`],
    };
  }
  const parsed = findingsTool(framework).schema.safeParse(call.input);
  if (!parsed.success) {
    return {
      ok: false,
      problems: parsed.error.issues.map((issue) => describeIssue(issue, call.input)),
    };
  }
  const keys = new Map(framework.items.map((item) => [item.number, item.key]));
  return {
    ok: true,
    findings: parsed.data.findings.map((finding) => toFinding(finding, keys, target)),
  };
}

/**
 * The message of a repair round: what was wrong with the tool input, one line per problem
 * (at most {@link MAX_LISTED_PROBLEMS}), and what to do.
 */
export function repairMessage(problems: readonly string[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) => `- ${problem}`);
  const more = problems.length - listed.length;
  return [
    `The ${FINDINGS_TOOL_NAME} input was invalid:`,
    ...listed,
    ...(more > 0 ? [`- and ${more} more problem${more === 1 ? '' : 's'}`] : []),
    `Call ${FINDINGS_TOOL_NAME} again with the whole corrected answer.`,
  ].join('\n');
}

function toFinding(
  finding: ModelFinding,
  keys: ReadonlyMap<number, string>,
  target: AnswerTarget,
): ProviderFinding {
  const frameworkItems: FrameworkItemRef[] = [...new Set(finding.frameworkItems)].map((number) => ({
    number,
    key: keys.get(number) ?? '',
  }));
  const checked = checkQuote(finding.quote, target.texts);
  const confidence = finding.confidence * (checked.missed ? QUOTE_MISS_CONFIDENCE_FACTOR : 1);
  return {
    sectionIndex: target.sectionIndex,
    frameworkItems,
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    description: finding.description,
    suggestion: finding.suggestion,
    quote: checked.quote,
    confidence: Math.round(confidence * 100) / 100,
    origin: 'ai',
  };
}

/**
 * One line per issue, with the field's path: `findings[2].severity: got "high"; expected one of
 * critical|major|minor|info`, `findings[0].title: required (expected string)`.
 */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = formatPath(issue.path);
  const message = issue.message.replace(/^Invalid (input|option): /, '');
  if (issue.code === 'invalid_type' && message.endsWith('received undefined')) {
    return `${path}: required (${message.replace(/, received undefined$/, '')})`;
  }
  if (issue.code === 'invalid_value') {
    return `${path}: got ${describeValue(valueAt(input, issue.path))}; ${message}`;
  }
  return `${path}: ${message}`;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const part of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}

function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}
