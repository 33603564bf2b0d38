import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractMarkdown } from '../../src/engine/extract/markdown.js';
import { splitSections } from '../../src/engine/sections.js';
import {
  type DocumentReview,
  EXTRA_DOCUMENTS,
  type LabelledDocument,
  measure,
  readLabels,
  reviewWithRules,
} from './rules-quality.js';

/**
 * Investigation documents from other domains (security, manufacturing, clinical, audit, safety,
 * fraud, privacy, food, rail), some strong and some flawed, labelled from the framework's
 * definitions; they check that the rules generalise beyond the shared labelled set.
 */
const labels = readLabels(EXTRA_DOCUMENTS);

async function reviews(): Promise<{ label: LabelledDocument; review: DocumentReview }[]> {
  return Promise.all(
    labels.map(async (label) => {
      const text = readFileSync(join(EXTRA_DOCUMENTS, label.name), 'utf8');
      return { label, review: await reviewWithRules(splitSections(extractMarkdown(text))) };
    }),
  );
}

describe('the rules provider on documents from other domains', () => {
  it('labels every document in the folder', () => {
    const files = readdirSync(EXTRA_DOCUMENTS).filter((file) => file.endsWith('.md'));
    expect(labels.map((label) => label.name).sort()).toEqual(files.sort());
    expect(labels.filter((label) => label.violated.length === 0).length).toBeGreaterThanOrEqual(8);
  });

  it('reaches precision >= 0.9 and recall >= 0.9 over (document, item) pairs', async () => {
    const quality = measure(await reviews());
    expect(quality.precision).toBeGreaterThanOrEqual(0.9);
    expect(quality.recall).toBeGreaterThanOrEqual(0.9);
  });

  it('gives strong documents no finding of severity minor or above', async () => {
    for (const { label, review } of await reviews()) {
      if (label.violated.length > 0) continue;
      const flagged = review.findings.filter((finding) => finding.severity !== 'info');
      expect({ name: label.name, flagged }).toEqual({ name: label.name, flagged: [] });
    }
  });

  it('quotes only exact text of the section each finding is about', async () => {
    for (const { review } of await reviews()) {
      for (const finding of review.findings) {
        if (finding.quote === null) continue;
        const section = review.document.sections[finding.sectionIndex ?? -1];
        expect(section?.text).toContain(finding.quote);
      }
    }
  });
});
