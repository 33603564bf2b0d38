import { describe, expect, it } from 'vitest';
import { measure, readLabelled, readLabels, reviewWithRules } from './rules-quality.js';

/** The shared labelled investigation documents (each as `.md` and `.docx`). */
import { LABELLED_DOCS as LABELLED } from './shared-files.js';

async function reviewAll(format: 'md' | 'docx') {
  const results = [];
  for (const label of readLabels(LABELLED)) {
    const document = await readLabelled(LABELLED, label.name, format);
    if (document === null) throw new Error(`${label.name} has no .${format} version`);
    results.push({ label, review: await reviewWithRules(document) });
  }
  return results;
}

describe.each(['md', 'docx'] as const)('the rules provider on the labelled set (.%s)', (format) => {
  it('reaches precision >= 0.85 and recall >= 0.80 over (document, item) pairs', async () => {
    const quality = measure(await reviewAll(format));
    expect(quality.precision).toBeGreaterThanOrEqual(0.85);
    expect(quality.recall).toBeGreaterThanOrEqual(0.8);
  });

  it('quotes only exact text of the section each finding is about', async () => {
    for (const { review } of await reviewAll(format)) {
      for (const finding of review.findings) {
        if (finding.quote === null) continue;
        expect(review.document.sections[finding.sectionIndex ?? -1]?.text).toContain(finding.quote);
      }
    }
  });
});
