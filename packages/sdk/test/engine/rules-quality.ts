import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readDocument } from '../../src/engine/extract/index.js';
import { extractMarkdown } from '../../src/engine/extract/markdown.js';
import { getBuiltInFramework } from '../../src/engine/frameworks/load.js';
import {
  createRulesProvider,
  type RulesProviderOptions,
} from '../../src/engine/providers/rules/index.js';
import { splitSections } from '../../src/engine/sections.js';
import type { ProviderFinding, ReviewableDocument } from '../../src/engine/types.js';

/** A labelled document: its name and the Hawkeye item keys it violates. */
export interface LabelledDocument {
  /** The `.md` file name, as in `labels.json`. */
  name: string;
  /** The item keys the document fails. */
  violated: string[];
  /** Where each violation is, in words. */
  evidence: Record<string, string>;
}

/** One document's review: its findings and the items flagged (a minor or worse finding cites them). */
export interface DocumentReview {
  document: ReviewableDocument;
  findings: ProviderFinding[];
  flagged: Map<string, ProviderFinding[]>;
}

/** An item flagged in a document whose labels say it passes, with the findings that flagged it. */
export interface FalsePositive {
  name: string;
  item: string;
  findings: ProviderFinding[];
}

/** An item the labels say a document fails, not flagged, with the label's evidence. */
export interface FalseNegative {
  name: string;
  item: string;
  evidence: string;
}

/** Precision and recall over (document, item) pairs, with every miss. */
export interface Quality {
  truePositives: number;
  precision: number;
  recall: number;
  falsePositives: FalsePositive[];
  falseNegatives: FalseNegative[];
}

/** The labels of a folder (`labels.json` mapping each `.md` name to `violated` and `evidence`). */
export function readLabels(dir: string): LabelledDocument[] {
  const labels = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as Record<
    string,
    { violated: string[]; evidence?: Record<string, string> }
  >;
  return Object.entries(labels).map(([name, label]) => ({
    name,
    violated: label.violated,
    evidence: label.evidence ?? {},
  }));
}

/** Reads a labelled document in one format: the `.md` itself, or the `.docx` beside it. */
export async function readLabelled(
  dir: string,
  name: string,
  format: 'md' | 'docx',
): Promise<ReviewableDocument | null> {
  if (format === 'md') return splitSections(extractMarkdown(readFileSync(join(dir, name), 'utf8')));
  const docx = join(dir, name.replace(/\.md$/, '.docx'));
  if (!existsSync(docx)) return null;
  return readDocument({ bytes: readFileSync(docx), filename: docx });
}

/** Reviews a document with the `rules` provider against Hawkeye, section by section and as a whole. */
export async function reviewWithRules(
  document: ReviewableDocument,
  options: RulesProviderOptions = {},
): Promise<DocumentReview> {
  const provider = createRulesProvider(options);
  const context = { framework: getBuiltInFramework('hawkeye-20'), document };
  const findings = [...(await provider.reviewDocument(context)).findings];
  for (const section of document.sections) {
    findings.push(...(await provider.reviewSection(section, context)).findings);
  }
  return { document, findings, flagged: flaggedItems(findings) };
}

/** The items findings flag (those a minor or worse finding cites), each with those findings. */
export function flaggedItems(findings: readonly ProviderFinding[]): Map<string, ProviderFinding[]> {
  const flagged = new Map<string, ProviderFinding[]>();
  for (const finding of findings) {
    if (finding.severity === 'info') continue;
    for (const item of finding.frameworkItems) {
      flagged.set(item.key, [...(flagged.get(item.key) ?? []), finding]);
    }
  }
  return flagged;
}

/** Precision and recall of reviews against labels, over (document, item) pairs. */
export function measure(results: { label: LabelledDocument; review: DocumentReview }[]): Quality {
  let truePositives = 0;
  const falsePositives: FalsePositive[] = [];
  const falseNegatives: FalseNegative[] = [];
  for (const { label, review } of results) {
    const truth = new Set(label.violated);
    for (const [item, findings] of review.flagged) {
      if (truth.has(item)) truePositives += 1;
      else falsePositives.push({ name: label.name, item, findings });
    }
    for (const item of truth) {
      if (!review.flagged.has(item)) {
        falseNegatives.push({ name: label.name, item, evidence: label.evidence[item] ?? '' });
      }
    }
  }
  const flaggedCount = truePositives + falsePositives.length;
  const labelledCount = truePositives + falseNegatives.length;
  return {
    truePositives,
    precision: flaggedCount === 0 ? 1 : truePositives / flaggedCount,
    recall: labelledCount === 0 ? 1 : truePositives / labelledCount,
    falsePositives,
    falseNegatives,
  };
}

/** The folder of the extra investigation documents written for these tests. */
export const EXTRA_DOCUMENTS = join(import.meta.dirname, 'investigations');
