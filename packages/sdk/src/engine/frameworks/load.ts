import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { KebabKey, Timestamp } from '../../schema/common.js';
import { type Framework, FrameworkItemSchema } from '../../schema/frameworks.js';
import { FrameworkError, UnknownFrameworkError } from '../errors.js';
import hawkeye20 from './hawkeye-20.json' with { type: 'json' };

const FILE_HINT =
  'Fix the fields listed; a framework needs id, version (like 1.0.0), name and items, each item ' +
  'with a unique number and key, a title, checks and a defaultSeverity (see the built-in hawkeye-20).';

/** What a framework file may hold: `builtIn`, `createdAt` and `description` may be left out. */
const FrameworkFileSchema = z.strictObject({
  $schema: z.string().optional(),
  id: KebabKey,
  version: z.string().regex(/^[0-9]+\.[0-9]+\.[0-9]+$/, 'must be a version like 1.0.0'),
  name: z.string().min(1),
  description: z.string().default(''),
  items: z.array(z.strictObject(FrameworkItemSchema.shape)).min(1),
  builtIn: z.boolean().default(false),
  createdAt: Timestamp.optional(),
});

/**
 * Loads and validates a framework: `source` is the path of a JSON or YAML file, or an already
 * parsed object. Item numbers and keys must be unique.
 *
 * @throws {FrameworkError} naming every bad field by its path (e.g.
 *   `items[3].defaultSeverity: expected one of critical|major|minor|info`), or when the file
 *   cannot be read or parsed.
 */
export function loadFramework(source: unknown): Framework {
  const label = typeof source === 'string' ? `Framework file ${source}` : 'Framework';
  const value = typeof source === 'string' ? readFrameworkFile(source) : source;
  const parsed = FrameworkFileSchema.safeParse(value);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.flatMap(describeIssue)),
    ...duplicateItems(value),
  ];
  if (!parsed.success || problems.length > 0) {
    throw new FrameworkError(`${label} is invalid:\n${problems.map((p) => `  ${p}`).join('\n')}`, {
      hint: FILE_HINT,
    });
  }
  const { $schema: _schema, createdAt, ...framework } = parsed.data;
  return { ...framework, createdAt: createdAt ?? new Date().toISOString() };
}

/** The frameworks Prism ships. */
export const builtInFrameworks: readonly Framework[] = [loadFramework(hawkeye20)];

/**
 * A built-in framework by id (`hawkeye-20`) or id and version (`hawkeye-20@1.0.0`).
 *
 * @throws {UnknownFrameworkError} listing the known `id@version`s.
 */
export function getBuiltInFramework(idOrIdAtVersion: string): Framework {
  const [id, version] = idOrIdAtVersion.split('@');
  const found = builtInFrameworks.find(
    (framework) => framework.id === id && (version === undefined || framework.version === version),
  );
  if (found === undefined) {
    throw new UnknownFrameworkError(
      idOrIdAtVersion,
      builtInFrameworks.map((framework) => `${framework.id}@${framework.version}`),
    );
  }
  return found;
}

function readFrameworkFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new FrameworkError(`Cannot read the framework file ${path}.`, {
      hint: 'Check the path and that the file is readable.',
      cause,
    });
  }
  const extension = extname(path).toLowerCase();
  try {
    return extension === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (cause) {
    const format = extension === '.json' ? 'JSON' : 'YAML';
    const detail = cause instanceof Error ? `: ${cause.message}` : '';
    throw new FrameworkError(`The framework file ${path} is not valid ${format}${detail}`, {
      hint: `Fix the ${format} syntax; a .json file is read as JSON, any other as YAML.`,
      cause,
    });
  }
}

/** One line per problem of a zod issue: `path: what was expected`. */
function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = formatPath(issue.path);
  switch (issue.code) {
    case 'invalid_value':
      return [`${path}: expected one of ${issue.values.map(String).join('|')}`];
    case 'unrecognized_keys':
      return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown field`);
    case 'invalid_type': {
      const detail = issue.message.replace(/^Invalid input: /, '');
      return [
        `${path}: ${detail.endsWith('received undefined') ? `required (${detail.replace(/, received undefined$/, '')})` : detail}`,
      ];
    }
    default:
      return [`${path}: ${issue.message}`];
  }
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) =>
      typeof part === 'number' ? `[${part}]` : `${i > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}

/** `items[i].number` / `items[i].key` values that repeat an earlier item's, in the raw input. */
function duplicateItems(value: unknown): string[] {
  const items = (value as { items?: unknown } | null)?.items;
  if (!Array.isArray(items)) return [];
  const problems: string[] = [];
  for (const field of ['number', 'key'] as const) {
    const first = new Map<unknown, number>();
    items.forEach((item: unknown, i) => {
      const own = (item as Record<string, unknown> | null)?.[field];
      if (own === undefined) return;
      const earlier = first.get(own);
      if (earlier === undefined) first.set(own, i);
      else
        problems.push(
          `items[${i}].${field}: duplicates items[${earlier}].${field} (${String(own)})`,
        );
    });
  }
  return problems;
}
