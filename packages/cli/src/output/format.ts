import { type Pattern, type ReviewReport, toJsonExport, toMarkdown, toSarif } from '@prism/sdk';
import { formatTable } from './table.js';

/** The report formats of `prism review`. */
export type OutputFormat = 'table' | 'json' | 'markdown' | 'sarif';

/** One reviewed file. */
export interface ReviewedFile {
  /** The path as given on the command line. */
  path: string;
  /** The review. */
  report: ReviewReport;
  /** The file's bytes (for the reviewed .docx copy). */
  bytes: Uint8Array;
  /** The file's text, for text formats (lets SARIF point at lines). */
  sourceText: string | undefined;
}

/** Options of {@link formatReports}. */
export interface FormatOptions {
  /** The CLI's version, recorded in SARIF. */
  version: string;
  /** Whether to colour the terminal table. */
  color: boolean;
}

/**
 * Renders the reviews in one format. `json` is `{ reviews: [{ document, framework, summary,
 * findings }], patterns }`; `markdown` is one report per document plus the patterns; `sarif`
 * one SARIF 2.1.0 log; `table` the terminal report.
 */
export function formatReports(
  format: OutputFormat,
  files: ReviewedFile[],
  patterns: Pattern[],
  options: FormatOptions,
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(toCliJson(files, patterns), null, 2)}\n`;
    case 'markdown':
      return [...files.map((file) => toMarkdown(file.report)), patternsMarkdown(patterns)]
        .filter((part) => part !== '')
        .join('\n');
    case 'sarif': {
      const entries = files.map(({ path, report, sourceText }) => ({
        report,
        uri: path,
        ...(sourceText === undefined ? {} : { sourceText }),
      }));
      return `${JSON.stringify(toSarif(entries, { toolVersion: options.version }), null, 2)}\n`;
    }
    case 'table':
      return formatTable(files, patterns, options.color);
  }
}

function toCliJson(files: ReviewedFile[], patterns: Pattern[]) {
  return {
    reviews: files.map(({ path, report }) => {
      const { document, review, findings } = toJsonExport(report);
      return {
        document: { ...document, path },
        framework: review.framework,
        summary: review.summary,
        findings,
      };
    }),
    patterns,
  };
}

function patternsMarkdown(patterns: Pattern[]): string {
  if (patterns.length === 0) return '';
  const rows = patterns.map(
    (pattern) =>
      `| #${pattern.frameworkItem.number} ${pattern.frameworkItem.key} | ${pattern.category} | ${pattern.documentCount} | ${pattern.findingCount} |`,
  );
  return [
    '# Patterns across documents',
    '',
    '| Item | Kind | Documents | Findings |',
    '|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
