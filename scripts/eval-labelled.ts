/**
 * Measures the offline `rules` provider against labelled investigation documents.
 *
 *   pnpm eval:labelled [--dir <folder with labels.json>] [--extra]
 *
 * Reads `labels.json` (each `.md` name -> the Hawkeye item keys it violates), reviews every
 * document as `.md` and, when one sits beside it, as `.docx`, and counts an item as flagged when
 * a finding of severity minor or above cites it. Prints precision and recall over (document,
 * item) pairs for each format, then every false positive with the findings that caused it and
 * every false negative with the label's evidence. `--extra` also reports the documents written
 * for the SDK's tests. Exits 1 when, in any format of the labelled folder, precision < 0.85 or
 * recall < 0.80.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  EXTRA_DOCUMENTS,
  measure,
  type Quality,
  readLabelled,
  readLabels,
  reviewWithRules,
} from '../packages/sdk/test/engine/rules-quality.js';

const MIN_PRECISION = 0.85;
const MIN_RECALL = 0.8;

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: resolve(import.meta.dirname, '../../shared/corpus/labelled') },
    extra: { type: 'boolean', default: false },
  },
});

async function evaluate(dir: string, format: 'md' | 'docx'): Promise<Quality | null> {
  const results = [];
  for (const label of readLabels(dir)) {
    const document = await readLabelled(dir, label.name, format);
    if (document !== null) results.push({ label, review: await reviewWithRules(document) });
  }
  return results.length === 0 ? null : measure(results);
}

function report(title: string, quality: Quality): void {
  const flagged = quality.truePositives + quality.falsePositives.length;
  const labelled = quality.truePositives + quality.falseNegatives.length;
  console.log(`\n${title}`);
  console.log(
    `  precision ${quality.precision.toFixed(3)} (${quality.truePositives}/${flagged})   ` +
      `recall ${quality.recall.toFixed(3)} (${quality.truePositives}/${labelled})`,
  );
  for (const miss of quality.falsePositives) {
    console.log(`  false positive  ${miss.name}  ${miss.item}`);
    for (const finding of miss.findings) {
      const where = finding.sectionIndex === null ? 'document' : `section ${finding.sectionIndex}`;
      const quote = finding.quote === null ? '' : `  "${finding.quote.slice(0, 120)}"`;
      console.log(
        `      ${finding.severity} ${finding.category} (${where}): ${finding.title}${quote}`,
      );
    }
  }
  for (const miss of quality.falseNegatives) {
    console.log(`  false negative  ${miss.name}  ${miss.item}  (label: ${miss.evidence})`);
  }
}

let passed = true;
for (const format of ['md', 'docx'] as const) {
  const quality = await evaluate(values.dir, format);
  if (quality === null) continue;
  report(`Labelled set, .${format} (${values.dir})`, quality);
  if (quality.precision < MIN_PRECISION || quality.recall < MIN_RECALL) passed = false;
}
if (values.extra) {
  const quality = await evaluate(EXTRA_DOCUMENTS, 'md');
  if (quality !== null) report(`Extra documents, .md (${EXTRA_DOCUMENTS})`, quality);
}
console.log(
  `\n${passed ? 'PASS' : 'FAIL'}: thresholds precision >= ${MIN_PRECISION}, recall >= ${MIN_RECALL}`,
);
process.exitCode = passed ? 0 : 1;
