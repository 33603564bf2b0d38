import { z } from 'zod';
import { KebabKey, SeveritySchema } from '../../../schema/common.js';
import type { Framework } from '../../../schema/index.js';
import type { ModelTool } from './model-client.js';

/** The name of the tool a model calls to answer with its findings. */
export const FINDINGS_TOOL_NAME = 'record_findings';
/** Most findings one answer may hold; an answer with more is refused and repaired. */
export const MAX_FINDINGS_PER_ANSWER = 50;
/** Most framework items one finding may cite. */
export const MAX_ITEMS_PER_FINDING = 5;
/** Longest `category`, in characters. */
export const MAX_CATEGORY_CHARS = 64;
/** Longest `title`, in characters (as a reviewer's own finding allows). */
export const MAX_TITLE_CHARS = 200;
/** Longest `description`, in characters. */
export const MAX_DESCRIPTION_CHARS = 2000;
/** Longest `suggestion`, in characters. */
export const MAX_SUGGESTION_CHARS = 2000;
/** Longest `quote`, in characters. */
export const MAX_QUOTE_CHARS = 500;

/** The schema of a model's answer for one framework, and the tool built from it. */
export interface FindingsTool {
  /** Validates the tool input a model wrote; item numbers must be the framework's. */
  schema: FindingsAnswerSchema;
  /** The tool to send: its input schema is the JSON Schema of `schema`. */
  tool: ModelTool;
}

/** The zod schema of a model's answer (see {@link findingsAnswerSchema}). */
export type FindingsAnswerSchema = ReturnType<typeof buildSchema>;

/** A model's answer, once validated. */
export type FindingsAnswer = z.infer<FindingsAnswerSchema>;

/** One finding of a model's answer, once validated. */
export type ModelFinding = FindingsAnswer['findings'][number];

const built = new WeakMap<Framework, FindingsTool>();

/**
 * The zod schema of a model's answer for `framework`: up to {@link MAX_FINDINGS_PER_ANSWER}
 * findings, each citing 1 to {@link MAX_ITEMS_PER_FINDING} of the framework's item numbers,
 * with a severity, a kebab-case category, a title, a description, a suggestion, a quote (or
 * null) and a confidence in 0..1; every text has a length cap (the `MAX_*_CHARS` constants).
 * Unknown fields are dropped.
 */
export function findingsAnswerSchema(framework: Framework): FindingsAnswerSchema {
  return findingsTool(framework).schema;
}

/**
 * The `record_findings` tool for `framework`, whose input schema is the JSON Schema (draft
 * 2020-12, without the `$schema` keyword) of {@link findingsAnswerSchema}. Built once per
 * framework object.
 */
export function findingsTool(framework: Framework): FindingsTool {
  const known = built.get(framework);
  if (known !== undefined) return known;
  const schema = buildSchema(framework);
  const { $schema: _dialect, ...inputSchema } = z.toJSONSchema(schema);
  const tool: FindingsTool = {
    schema,
    tool: {
      name: FINDINGS_TOOL_NAME,
      description:
        'Records the findings of the review: every problem found, each citing the framework ' +
        'items it is about. Call it once, with an empty list when there is nothing to report.',
      inputSchema,
    },
  };
  built.set(framework, tool);
  return tool;
}

function buildSchema(framework: Framework) {
  const numbers = framework.items.map((item) => item.number);
  const itemNumber = z.literal(numbers as [number, ...number[]], {
    error: `must be the number of an item of ${framework.id}: ${describeNumbers(numbers)}`,
  });
  const finding = z.object({
    frameworkItems: z
      .array(itemNumber)
      .min(1)
      .max(MAX_ITEMS_PER_FINDING)
      .describe('The numbers of the framework items the finding is about.'),
    severity: SeveritySchema.describe('How much it matters.'),
    category: KebabKey.max(MAX_CATEGORY_CHARS).describe(
      'The kind of problem, kebab-case, e.g. vague-quantifier or missing-owner.',
    ),
    title: z.string().min(1).max(MAX_TITLE_CHARS).describe('One line.'),
    description: z
      .string()
      .min(1)
      .max(MAX_DESCRIPTION_CHARS)
      .describe('What is wrong and why it matters to the reader.'),
    suggestion: z
      .string()
      .min(1)
      .max(MAX_SUGGESTION_CHARS)
      .describe('A concrete change that resolves it.'),
    quote: z
      .string()
      .min(1)
      .max(MAX_QUOTE_CHARS)
      .nullable()
      .describe('The text showing the problem, copied exactly; null for something absent.'),
    confidence: z.number().min(0).max(1).describe('How sure, from 0 to 1.'),
  });
  return z.object({
    findings: z.array(finding).max(MAX_FINDINGS_PER_ANSWER).describe('Every problem found.'),
  });
}

/** `1-20`, or `1-5, 7, 9-12`: item numbers as sorted ranges. */
function describeNumbers(numbers: readonly number[]): string {
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  const ranges: string[] = [];
  let start = sorted[0];
  let previous = start;
  for (const number of [...sorted.slice(1), Number.NaN]) {
    if (start === undefined || previous === undefined) break;
    if (number === previous + 1) {
      previous = number;
      continue;
    }
    ranges.push(start === previous ? `${start}` : `${start}-${previous}`);
    start = number;
    previous = number;
  }
  return ranges.join(', ');
}
