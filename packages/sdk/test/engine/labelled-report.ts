import type { ProviderUsage } from '../../src/engine/types.js';
import { PrismError } from '../../src/errors.js';
import {
  type FormatEvaluation,
  type ItemQuality,
  QUALITY_THRESHOLDS,
} from './labelled-evaluation.js';

/**
 * The lines reporting one evaluation: precision and recall overall, a table per Hawkeye item,
 * the tokens and estimated cost, the degraded reviews, then every false positive with the
 * findings that caused it and every false negative with the label's evidence.
 */
export function formatEvaluation(title: string, evaluation: FormatEvaluation): string[] {
  const { quality, degraded } = evaluation;
  const flagged = quality.truePositives + quality.falsePositives.length;
  const labelled = quality.truePositives + quality.falseNegatives.length;
  const lines = [
    '',
    `${title}: ${evaluation.documents} documents`,
    `  precision ${quality.precision.toFixed(3)} (${quality.truePositives}/${flagged})   ` +
      `recall ${quality.recall.toFixed(3)} (${quality.truePositives}/${labelled})`,
    ...formatItemTable(evaluation.items),
    `  ${formatSpending(evaluation)}`,
    `  degraded reviews: ${degraded.length} of ${evaluation.documents}`,
    ...degraded.map(({ name, reason }) => `    ${name}: ${oneLine(reason)}`),
  ];
  for (const miss of quality.falsePositives) {
    lines.push(`  false positive  ${miss.name}  ${miss.item}`);
    for (const finding of miss.findings) {
      const where = finding.sectionIndex === null ? 'document' : `section ${finding.sectionIndex}`;
      const quote = finding.quote === null ? '' : `  "${finding.quote.slice(0, 120)}"`;
      lines.push(
        `      ${finding.severity} ${finding.category} (${where}): ${finding.title}${quote}`,
      );
    }
  }
  for (const miss of quality.falseNegatives) {
    lines.push(`  false negative  ${miss.name}  ${miss.item}  (label: ${miss.evidence})`);
  }
  return lines;
}

/** A table of each item's TP, FP, FN, precision and recall, with a total row. */
export function formatItemTable(items: readonly ItemQuality[]): string[] {
  const header = `  ${'item'.padEnd(26)}${cells(['TP', 'FP', 'FN'], 4)}${cells(['precision', 'recall'], 11)}`;
  const row = (label: string, item: Omit<ItemQuality, 'number' | 'key'>): string =>
    `  ${label.padEnd(26)}` +
    cells([item.truePositives, item.falsePositives, item.falseNegatives].map(String), 4) +
    cells([item.precision, item.recall].map(formatRatio), 11);
  const sum = (count: (item: ItemQuality) => number): number =>
    items.reduce((total, item) => total + count(item), 0);
  const truePositives = sum((item) => item.truePositives);
  const falsePositives = sum((item) => item.falsePositives);
  const falseNegatives = sum((item) => item.falseNegatives);
  return [
    header,
    ...items.map((item) => row(`${String(item.number ?? '-').padStart(2)} ${item.key}`, item)),
    row('   all items', {
      truePositives,
      falsePositives,
      falseNegatives,
      precision: ratio(truePositives, truePositives + falsePositives),
      recall: ratio(truePositives, truePositives + falseNegatives),
    }),
  ];
}

/** Token use (input, output, cache read and write) and the estimated cost, on one line. */
export function formatSpending({
  usage,
  costUsd,
}: {
  usage: ProviderUsage;
  costUsd: number | null;
}): string {
  return (
    `tokens: input ${usage.inputTokens}, output ${usage.outputTokens}, ` +
    `cache read ${usage.cacheReadInputTokens ?? 0}, cache write ${usage.cacheWriteInputTokens ?? 0}` +
    `   estimated cost: ${costUsd === null ? 'unknown' : `$${costUsd.toFixed(4)}`}`
  );
}

/**
 * The verdict line on {@link QUALITY_THRESHOLDS}. They were set for the `rules` provider; for
 * any other provider the line says they are applied to it as they are.
 */
export function formatVerdict(passed: boolean, providerId: string): string {
  const thresholds = `thresholds precision >= ${QUALITY_THRESHOLDS.precision}, recall >= ${QUALITY_THRESHOLDS.recall}`;
  const scope =
    providerId === 'rules'
      ? ''
      : ` (the rules provider's thresholds, applied to ${providerId} unchanged)`;
  return `${passed ? 'PASS' : 'FAIL'}: ${thresholds}${scope}`;
}

/**
 * One line describing why the evaluation failed: a Prism error's code, message and hint; a
 * Node error's code and message; otherwise the error's name and message.
 */
export function describeFailure(error: unknown): string {
  if (error instanceof PrismError) {
    const hint = error.hint === undefined ? '' : ` Hint: ${error.hint}`;
    return oneLine(`${error.code}: ${error.message}${hint}`);
  }
  if (error instanceof Error) {
    const code = (error as Error & { code?: unknown }).code;
    return oneLine(`${typeof code === 'string' ? code : error.name}: ${error.message}`);
  }
  return oneLine(String(error));
}

function cells(values: readonly string[], width: number): string {
  return values.map((value) => value.padStart(width)).join('');
}

function formatRatio(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
