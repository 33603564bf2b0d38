import type { Finding, Severity } from '../../schema/index.js';
import { citeItems, type ReviewReport, sectionLabel } from '../report.js';

const SEVERITY_ORDER: Severity[] = ['critical', 'major', 'minor', 'info'];

/**
 * A Markdown report of a review: the summary (score, risk, counts), then the findings grouped
 * by section in document order, each with its severity, framework items, evidence quote and
 * suggestion.
 */
export function toMarkdown(report: ReviewReport): string {
  const { document, review, findings, framework } = report;
  const summary = review.summary;
  const lines: string[] = [
    `# Review of ${document.title ?? document.filename}`,
    '',
    `- **Document**: ${document.filename}`,
    `- **Framework**: ${framework.name} (${framework.id}@${framework.version})`,
    `- **Model**: ${review.model}`,
  ];
  if (summary) {
    const counts = SEVERITY_ORDER.map((severity) => `${summary.counts[severity]} ${severity}`);
    lines.push(
      `- **Score**: ${summary.score}/100, risk **${summary.riskLevel}**`,
      `- **Findings**: ${findings.length} (${counts.join(', ')})`,
    );
  }
  if (findings.length === 0) {
    lines.push('', 'No findings: the document passes every check.');
    return `${lines.join('\n')}\n`;
  }
  for (const [label, group] of groupBySection(report)) {
    lines.push('', `## ${escapeMarkdown(label)}`);
    for (const finding of group) lines.push('', ...findingLines(finding, report));
  }
  return `${lines.join('\n')}\n`;
}

function groupBySection(report: ReviewReport): Map<string, Finding[]> {
  const groups = new Map<string, Finding[]>();
  const ordered = [...report.findings].sort(
    (a, b) =>
      (a.sectionIndex ?? -1) - (b.sectionIndex ?? -1) ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
  for (const finding of ordered) {
    const label = sectionLabel(finding, report.document);
    groups.set(label, [...(groups.get(label) ?? []), finding]);
  }
  return groups;
}

function findingLines(finding: Finding, report: ReviewReport): string[] {
  const lines = [
    `### ${finding.severity.toUpperCase()}: ${escapeMarkdown(finding.title)}`,
    '',
    `*${citeItems(finding, report.framework)} · ${finding.category} · confidence ${finding.confidence.toFixed(2)}*`,
    '',
    finding.description,
  ];
  if (finding.quote) lines.push('', `> ${finding.quote.replace(/\n/g, '\n> ')}`);
  lines.push('', `**Suggestion**: ${finding.suggestion}`);
  if (finding.adjustment) {
    lines.push(
      '',
      `_Adjusted from ${finding.adjustment.originalSeverity}: ${finding.adjustment.reason}_`,
    );
  }
  return lines;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([\\`*_[\]#])/g, '\\$1');
}
