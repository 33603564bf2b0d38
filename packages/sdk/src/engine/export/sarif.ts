import { createHash } from 'node:crypto';
import type { Log, ReportingDescriptor, Result } from 'sarif';
import type { Finding, FrameworkItem, Severity } from '../../schema/index.js';
import { type ReviewReport, sectionLabel } from '../report.js';

/** One reviewed document for {@link toSarif}. */
export interface SarifEntry {
  /** The review. */
  report: ReviewReport;
  /** The document's path or URL as code-scanning tools should show it (default: its filename). */
  uri?: string;
  /**
   * The document's text, for text formats (`.md`, `.txt`, `.html`): lets results carry line and
   * column regions. Without it results point at line 1 of the file and name their section.
   */
  sourceText?: string;
}

const LEVEL: Record<Severity, Result.level> = {
  critical: 'error',
  major: 'error',
  minor: 'warning',
  info: 'note',
};

/**
 * A SARIF 2.1.0 log of one or more reviews (one run, one artifact per document), so CI systems
 * and code-scanning UIs can show the findings. Each framework item is a rule (`hawkeye-20/8`
 * named `root-cause`); each finding a result with its level (critical and major: error, minor:
 * warning, info: note), message, location (with line and column when the source text is
 * given), the quoted evidence as a snippet, and a stable fingerprint so repeated runs are
 * recognised as the same result.
 */
export function toSarif(entries: SarifEntry[], options: { toolVersion?: string } = {}): Log {
  const rules: ReportingDescriptor[] = [];
  const ruleIndex = new Map<string, number>();
  for (const { report } of entries) {
    for (const item of report.framework.items) {
      const rule = ruleFor(report.framework.id, item);
      if (!ruleIndex.has(rule.id)) ruleIndex.set(rule.id, rules.push(rule) - 1);
    }
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'Prism', version: options.toolVersion ?? '0.0.0', rules } },
        artifacts: entries.map((entry) => ({ location: { uri: uriOf(entry) } })),
        results: entries.flatMap((entry, artifact) =>
          entry.report.findings.map((finding) => resultFor(finding, entry, artifact, ruleIndex)),
        ),
      },
    ],
  };
}

function uriOf(entry: SarifEntry): string {
  return entry.uri ?? entry.report.document.filename;
}

function ruleFor(frameworkId: string, item: FrameworkItem): ReportingDescriptor {
  return {
    id: `${frameworkId}/${item.number}`,
    name: item.key,
    shortDescription: { text: item.title },
    fullDescription: { text: item.checks },
    defaultConfiguration: { level: LEVEL[item.defaultSeverity] },
  };
}

function resultFor(
  finding: Finding,
  entry: SarifEntry,
  artifact: number,
  ruleIndex: Map<string, number>,
): Result {
  const { report } = entry;
  const ruleId = `${report.framework.id}/${finding.frameworkItems[0]?.number ?? 0}`;
  return {
    ruleId,
    ruleIndex: ruleIndex.get(ruleId) ?? -1,
    level: LEVEL[finding.severity],
    message: { text: `${finding.title}. ${finding.description} Suggestion: ${finding.suggestion}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: uriOf(entry), index: artifact },
          region: regionOf(finding.quote, entry.sourceText),
        },
        logicalLocations: [{ name: sectionLabel(finding, report.document), kind: 'section' }],
      },
    ],
    partialFingerprints: {
      prismFinding: createHash('sha256')
        .update(`${finding.category}\0${finding.sectionIndex}\0${finding.quote ?? finding.title}`)
        .digest('hex')
        .slice(0, 32),
    },
    properties: {
      severity: finding.severity,
      category: finding.category,
      confidence: finding.confidence,
      frameworkItems: finding.frameworkItems.map((item) => `${item.number}:${item.key}`),
      model: report.review.model,
    },
  };
}

function regionOf(quote: string | null, sourceText: string | undefined) {
  const snippet = quote === null ? undefined : { text: quote };
  const at = quote === null || sourceText === undefined ? -1 : sourceText.indexOf(quote);
  if (at < 0 || sourceText === undefined || quote === null) {
    return { startLine: 1, ...(snippet ? { snippet } : {}) };
  }
  const start = position(sourceText, at);
  const end = position(sourceText, at + quote.length);
  return {
    startLine: start.line,
    startColumn: start.column,
    endLine: end.line,
    endColumn: end.column,
    snippet,
  };
}

/** 1-based line and column of a character offset. */
function position(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}
