import { styleText } from 'node:util';
import { type Finding, type Pattern, type Severity, sectionLabel } from '@prism/sdk';
import type { ReviewedFile } from './format.js';

type Style = Parameters<typeof styleText>[0];

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: ['red', 'bold'],
  major: 'red',
  minor: 'yellow',
  info: 'cyan',
};
const SEVERITY_ORDER: Severity[] = ['critical', 'major', 'minor', 'info'];

/**
 * The terminal report: per document a headline (score, risk, counts), then the findings
 * grouped by section in document order, each with severity, title, framework items, the quoted
 * evidence and the suggestion; then patterns across documents. Coloured by severity on a TTY.
 */
export function formatTable(files: ReviewedFile[], patterns: Pattern[], color: boolean): string {
  const paint = (style: Style, text: string) =>
    color ? styleText(style, text, { validateStream: false }) : text;
  const out: string[] = [];
  for (const { path, report } of files) {
    const { document, review, findings, framework } = report;
    const summary = review.summary;
    out.push(paint('bold', `${path}${document.title ? ` — ${document.title}` : ''}`));
    if (summary) {
      const counts = SEVERITY_ORDER.map((s) => `${summary.counts[s]} ${s}`).join(', ');
      out.push(`  score ${summary.score}/100 · risk ${summary.riskLevel} · ${counts}`);
    }
    const { usage } = review;
    if (usage.inputTokens + usage.outputTokens > 0) {
      const cost = usage.costUsd === null ? 'cost unknown' : `~$${usage.costUsd.toFixed(4)}`;
      out.push(
        `  ${review.model} · ${usage.inputTokens} tokens in, ${usage.outputTokens} out · ${cost}`,
      );
    }
    if (review.degraded !== undefined) out.push(paint('dim', `  degraded: ${review.degraded}`));
    const label = framework.name.split(/\s+/)[0] ?? framework.id;
    let section: string | undefined;
    for (const finding of ordered(findings)) {
      const heading = sectionLabel(finding, document);
      if (heading !== section) {
        section = heading;
        out.push('', `  ${paint('underline', heading)}`);
      }
      const items = finding.frameworkItems.map((item) => `${label} #${item.number}`).join(', ');
      const severity = paint(SEVERITY_STYLE[finding.severity], finding.severity.padEnd(8));
      out.push(`    ${severity} ${finding.title} ${paint('dim', `(${items})`)}`);
      if (finding.quote) out.push(`             ${paint('dim', `“${oneLine(finding.quote)}”`)}`);
      out.push(`             → ${finding.suggestion}`);
    }
    if (findings.length === 0) out.push('', '  No findings.');
    out.push('');
  }
  if (patterns.length > 0) {
    out.push(paint('bold', 'Patterns across documents'));
    for (const pattern of patterns) {
      out.push(
        `  ${patternLabel(pattern)} ${pattern.title} — ${pattern.documentCount} documents, ${pattern.findingCount} findings`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

function patternLabel(pattern: Pattern): string {
  return `#${pattern.frameworkItem.number} ${pattern.frameworkItem.key}:`;
}

function ordered(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.sectionIndex ?? -1) - (b.sectionIndex ?? -1) ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity),
  );
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
