import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import {
  type Framework,
  type LocalPrism,
  loadFramework,
  Prism,
  PrismError,
  type ReviewReport,
  type Severity,
  SeveritySchema,
} from '@prism/sdk';
import { glob, isDynamicPattern } from 'tinyglobby';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { formatReports, type OutputFormat, type ReviewedFile } from '../output/format.js';
import { createProgress } from '../output/progress.js';
import { reportError } from '../report-error.js';

/** The `prism review --help` text. */
export const REVIEW_USAGE = `Usage: prism review <files or globs...> [options]

Reviews documents (.docx, .pdf, .md, .txt, .html) against a review framework: offline with
the deterministic rules provider (the default), or with a model.

Options:
  -f, --format <format>      table (default), json, markdown or sarif
  -o, --out <file>           Write the report to <file> instead of standard output
      --docx-out <dir>       Write a copy of each .docx with the findings as Word comments
      --framework <file|id>  A framework file (JSON or YAML) or a built-in id (default hawkeye-20)
      --fail-on <severity>   Exit 1 when a finding of <severity> or worse exists
                             (critical, major, minor or info)
  -c, --concurrency <n>      Sections reviewed at once (default 4)
      --model <spec>         Who reviews (default rules, offline):
                               bedrock[:<model-id>]       Claude on Amazon Bedrock (AWS
                                                          credentials and region from the
                                                          environment)
                               openai-compatible:<model>  OPENAI_BASE_URL, OPENAI_API_KEY
                             several comma-separated are tried in order, e.g.
                             bedrock,openai-compatible:gpt-4o-mini,rules
      --max-tokens <n>       Most model tokens (input + output) one review may use; a review
                             that runs out fails with token_budget_exceeded
  -h, --help                 Show this help

Exit codes: 0 reviewed; 1 a document could not be reviewed, or --fail-on matched; 2 bad usage.
`;

const OPTIONS = {
  format: { type: 'string', short: 'f', default: 'table' },
  out: { type: 'string', short: 'o' },
  'docx-out': { type: 'string' },
  framework: { type: 'string', default: 'hawkeye-20' },
  'fail-on': { type: 'string' },
  concurrency: { type: 'string', short: 'c', default: '4' },
  model: { type: 'string', default: 'rules' },
  'max-tokens': { type: 'string' },
} as const;

/** What `prism review` was given. */
interface ReviewValues {
  format: string;
  out?: string;
  'docx-out'?: string;
  framework: string;
  'fail-on'?: string;
  concurrency: string;
  model: string;
  'max-tokens'?: string;
}

const FORMATS: readonly OutputFormat[] = ['table', 'json', 'markdown', 'sarif'];
const SEVERITIES = SeveritySchema.options;
const TEXT_EXTENSIONS = new Set(['.md', '.markdown', '.txt', '.html', '.htm']);

/** `prism review`: reviews files, prints or writes the report, exits by `--fail-on`. */
export async function review(argv: string[], io: CliIo, version: string): Promise<number> {
  const parsed = parseCommand<ReviewValues>(argv, io, OPTIONS, REVIEW_USAGE, {
    describeError: describeParseError,
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const format = values.format as OutputFormat;
  if (!FORMATS.includes(format)) {
    return usageError(io, `--format must be one of ${FORMATS.join(', ')}`, REVIEW_USAGE);
  }
  const failOn = values['fail-on'] as Severity | undefined;
  if (failOn !== undefined && !SEVERITIES.includes(failOn)) {
    return usageError(io, `--fail-on must be one of ${SEVERITIES.join(', ')}`, REVIEW_USAGE);
  }
  const concurrency = Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    return usageError(io, '--concurrency must be a whole number from 1 to 64', REVIEW_USAGE);
  }
  const maxTokens = values['max-tokens'] === undefined ? undefined : Number(values['max-tokens']);
  if (maxTokens !== undefined && !(Number.isSafeInteger(maxTokens) && maxTokens >= 1)) {
    return usageError(io, '--max-tokens must be a whole number >= 1', REVIEW_USAGE);
  }
  if (positionals.length === 0) return usageError(io, 'no files given', REVIEW_USAGE);

  const files = await expandFiles(positionals);
  if (typeof files === 'string') return usageError(io, files, REVIEW_USAGE);

  let prism: LocalPrism;
  try {
    prism = Prism.local({
      framework: resolveFramework(values.framework),
      model: values.model,
      concurrency,
      newId: countingIds(),
      ...(maxTokens === undefined ? {} : { tokenLimits: { perReview: maxTokens } }),
    });
  } catch (error) {
    if (error instanceof PrismError && error.code === 'unknown_model') {
      return usageError(io, `--model: ${error.message}`, REVIEW_USAGE);
    }
    reportError(io, values.framework, error);
    return 1;
  }

  const progress = createProgress(io.stderr, files.length);
  const reviewed: ReviewedFile[] = [];
  let failures = 0;
  for (const path of files) {
    try {
      const bytes = await readFile(path);
      progress.start(path);
      const report = await prism.reviewFile(bytes, {
        filename: basename(path),
        onProgress: (review) => progress.update(review.progress),
      });
      progress.done();
      const sourceText = TEXT_EXTENSIONS.has(extname(path).toLowerCase())
        ? bytes.toString('utf8')
        : undefined;
      reviewed.push({ path, report, bytes, sourceText });
    } catch (error) {
      progress.done();
      failures += 1;
      reportError(io, path, error);
    }
  }
  progress.finish();

  const patterns =
    reviewed.length > 1 ? await prism.patterns.list({ minDocuments: 2 }).toArray() : [];
  const output = formatReports(format, reviewed, patterns, {
    version,
    color: values.out === undefined && io.stdout.isTTY === true && !process.env.NO_COLOR,
  });
  if (values.out !== undefined) await writeFile(values.out, output);
  else io.stdout.write(output);

  if (values['docx-out'] !== undefined) {
    failures += await writeReviewedCopies(prism, values['docx-out'], reviewed, io);
  }
  await prism.close();
  if (failures > 0) return 1;
  return failOn !== undefined && reviewed.some((file) => hasFindingAtOrAbove(file.report, failOn))
    ? 1
    : 0;
}

/**
 * A mistake parseArgs found, in a line naming just the option (`unknown option '--x'`,
 * `option '--x' needs a value`); any other mistake in parseArgs's own words.
 */
function describeParseError(error: Error): string {
  const { message } = error;
  const name = /--?[\w-]+/.exec(
    message.includes(', --') ? (message.split(', ')[1] ?? '') : message,
  );
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option '${name}'`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return `option '${name}' needs a value`;
  return message;
}

/** Expands globs and checks plain paths; returns the files, or an error message. */
async function expandFiles(patterns: string[]): Promise<string[] | string> {
  const files: string[] = [];
  for (const pattern of patterns) {
    if (isDynamicPattern(pattern)) {
      const matches = (await glob(pattern, { onlyFiles: true, expandDirectories: false })).sort();
      if (matches.length === 0) return `no files match '${pattern}'`;
      files.push(...matches);
      continue;
    }
    const info = await stat(pattern).catch(() => undefined);
    if (!info) return `no such file '${pattern}'`;
    if (!info.isFile()) return `'${pattern}' is not a file`;
    files.push(pattern);
  }
  return [...new Set(files)];
}

/** Ids numbered per kind (`doc_1`, `rev_1`, `fnd_1`...), so a rerun gives the same report. */
function countingIds(): (prefix: string) => string {
  const counts = new Map<string, number>();
  return (prefix) => {
    const next = (counts.get(prefix) ?? 0) + 1;
    counts.set(prefix, next);
    return `${prefix}_${next}`;
  };
}

/** A framework file's framework, or a built-in framework's id. */
function resolveFramework(reference: string): Framework | string {
  const looksLikeFile = /\.(json|ya?ml)$/i.test(reference) || reference.includes('/');
  return looksLikeFile ? loadFramework(reference) : reference;
}

function hasFindingAtOrAbove(report: ReviewReport, threshold: Severity): boolean {
  const limit = SEVERITIES.indexOf(threshold);
  return report.findings.some((finding) => SEVERITIES.indexOf(finding.severity) <= limit);
}

async function writeReviewedCopies(
  prism: LocalPrism,
  dir: string,
  files: ReviewedFile[],
  io: CliIo,
): Promise<number> {
  let failures = 0;
  await mkdir(dir, { recursive: true });
  for (const file of files) {
    if (extname(file.path).toLowerCase() !== '.docx') continue;
    const target = join(dir, `${basename(file.path, extname(file.path))}.reviewed.docx`);
    try {
      const copy = await prism.exports.get(file.report.review.id, 'docx');
      await writeFile(target, copy.body);
      io.stderr.write(`prism: wrote ${target}\n`);
    } catch (error) {
      failures += 1;
      reportError(io, file.path, error);
    }
  }
  return failures;
}
