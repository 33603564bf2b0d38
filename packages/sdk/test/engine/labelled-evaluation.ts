import { getBuiltInFramework } from '../../src/engine/frameworks/load.js';
import { startReview } from '../../src/engine/orchestrator.js';
import type { ProviderUsage, ReviewableDocument, ReviewProvider } from '../../src/engine/types.js';
import { addUsage, type PriceTable } from '../../src/engine/usage/cost.js';
import type { Framework } from '../../src/schema/index.js';
import {
  type DocumentReview,
  flaggedItems,
  type LabelledDocument,
  measure,
  type Quality,
  readLabelled,
  readLabels,
} from './rules-quality.js';

/** The least precision and recall over (document, item) pairs a labelled folder must reach. */
export const QUALITY_THRESHOLDS = { precision: 0.85, recall: 0.8 } as const;

/** The framework the labelled documents are labelled against. */
const HAWKEYE = getBuiltInFramework('hawkeye-20');

/** How the labelled documents are reviewed. */
export interface EvaluationOptions {
  /** Who reviews: `rules`, a model provider, or a router of several. */
  provider: ReviewProvider;
  /** Most provider calls in flight at once within one review (documents go one after another). Default 4. */
  concurrency?: number;
  /** Prices of model tokens, for the estimated cost. Default `DEFAULT_PRICES`. */
  prices?: Readonly<PriceTable>;
}

/** One document reviewed through the orchestrator: the items flagged, and what the review spent. */
export interface OrchestratedReview extends DocumentReview {
  /** Tokens the review used. */
  usage: ProviderUsage;
  /** Their estimated cost in US dollars; null when a model that used tokens has no price. */
  costUsd: number | null;
  /** Why part of the findings are not the provider's own model's; absent when they all are. */
  degraded?: string;
}

/** How one Hawkeye item fared over the labelled documents. */
export interface ItemQuality {
  /** The item's number in the framework; null for a key the framework does not have. */
  number: number | null;
  /** The item's key. */
  key: string;
  /** Documents labelled as failing the item that were flagged for it. */
  truePositives: number;
  /** Documents flagged for the item whose labels say they pass it. */
  falsePositives: number;
  /** Documents labelled as failing the item that were not flagged for it. */
  falseNegatives: number;
  /** TP / (TP + FP); null when no document was flagged for the item. */
  precision: number | null;
  /** TP / (TP + FN); null when no document is labelled as failing the item. */
  recall: number | null;
}

/** A review whose findings are not all the provider's own model's. */
export interface DegradedReview {
  /** The document's `.md` name, as in `labels.json`. */
  name: string;
  /** Why, as the review reported it. */
  reason: string;
}

/** The evaluation of one folder in one format. */
export interface FormatEvaluation {
  /** The format the documents were read as. */
  format: 'md' | 'docx';
  /** How many documents were reviewed. */
  documents: number;
  /** Precision and recall over (document, item) pairs, with every miss. */
  quality: Quality;
  /** The same counts per Hawkeye item, in framework order, then any other key met. */
  items: ItemQuality[];
  /** Tokens all the reviews used. */
  usage: ProviderUsage;
  /** Their estimated cost in US dollars; null when any review's cost is unknown. */
  costUsd: number | null;
  /** The reviews that were degraded, and why. */
  degraded: DegradedReview[];
}

/**
 * Reviews a document against Hawkeye with `provider` through the orchestrator (`startReview`),
 * as a Prism review runs, and reports the items it flagged with the review's usage, cost and
 * degradation. Rejects with the review's error (a `ModelError` keeps its `code` and `hint`).
 */
export async function reviewWith(
  provider: ReviewProvider,
  document: ReviewableDocument,
  options: Omit<EvaluationOptions, 'provider'> = {},
): Promise<OrchestratedReview> {
  const result = await startReview({
    document,
    framework: HAWKEYE,
    provider,
    concurrency: options.concurrency ?? 4,
    ...(options.prices === undefined ? {} : { prices: options.prices }),
  }).done();
  return {
    document,
    findings: result.findings,
    flagged: flaggedItems(result.findings),
    usage: result.usage,
    costUsd: result.costUsd,
    ...(result.degraded === undefined ? {} : { degraded: result.degraded }),
  };
}

/**
 * Reviews every labelled document of `dir` (`labels.json`) in one format, one document after
 * another, and measures the reviews against the labels: overall, per Hawkeye item, and in tokens
 * and dollars. Null when no document exists in that format.
 */
export async function evaluateFolder(
  dir: string,
  format: 'md' | 'docx',
  options: EvaluationOptions,
): Promise<FormatEvaluation | null> {
  const results: { label: LabelledDocument; review: OrchestratedReview }[] = [];
  for (const label of readLabels(dir)) {
    const document = await readLabelled(dir, label.name, format);
    if (document === null) continue;
    results.push({ label, review: await reviewWith(options.provider, document, options) });
  }
  if (results.length === 0) return null;
  const spent = totalSpending(results.map(({ review }) => review));
  return {
    format,
    documents: results.length,
    quality: measure(results),
    items: measureItems(results),
    ...spent,
    degraded: results.flatMap(({ label, review }) =>
      review.degraded === undefined ? [] : [{ name: label.name, reason: review.degraded }],
    ),
  };
}

/**
 * Precision and recall of each item: the (document, item) pairs of {@link measure}, counted
 * item by item. Every item of `framework` has a row, in its order; keys labelled or flagged that
 * it does not have follow, alphabetically.
 */
export function measureItems(
  results: readonly { label: LabelledDocument; review: DocumentReview }[],
  framework: Framework = HAWKEYE,
): ItemQuality[] {
  const known = new Set(framework.items.map((item) => item.key));
  const others = new Set<string>();
  for (const { label, review } of results) {
    for (const key of [...label.violated, ...review.flagged.keys()]) {
      if (!known.has(key)) others.add(key);
    }
  }
  const rows: { number: number | null; key: string }[] = [
    ...framework.items.map(({ number, key }) => ({ number, key })),
    ...[...others].sort().map((key) => ({ number: null, key })),
  ];
  return rows.map(({ number, key }) => {
    const quality = measure(results.map((result) => onlyItem(result, key)));
    const truePositives = quality.truePositives;
    const falsePositives = quality.falsePositives.length;
    const falseNegatives = quality.falseNegatives.length;
    return {
      number,
      key,
      truePositives,
      falsePositives,
      falseNegatives,
      precision: ratio(truePositives, truePositives + falsePositives),
      recall: ratio(truePositives, truePositives + falseNegatives),
    };
  });
}

/** Whether a quality reaches {@link QUALITY_THRESHOLDS}. */
export function meetsThresholds(quality: Quality): boolean {
  return (
    quality.precision >= QUALITY_THRESHOLDS.precision && quality.recall >= QUALITY_THRESHOLDS.recall
  );
}

/** The tokens and estimated cost of several reviews or evaluations; the cost is null when any is. */
export function totalSpending(parts: readonly { usage: ProviderUsage; costUsd: number | null }[]): {
  usage: ProviderUsage;
  costUsd: number | null;
} {
  let usage: ProviderUsage = { inputTokens: 0, outputTokens: 0 };
  let costUsd: number | null = 0;
  for (const part of parts) {
    usage = addUsage(usage, part.usage);
    costUsd = costUsd === null || part.costUsd === null ? null : costUsd + part.costUsd;
  }
  return { usage, costUsd };
}

/** A result narrowed to one item: its label and its flags for that item alone. */
function onlyItem(
  { label, review }: { label: LabelledDocument; review: DocumentReview },
  key: string,
): { label: LabelledDocument; review: DocumentReview } {
  const findings = review.flagged.get(key);
  return {
    label: { ...label, violated: label.violated.filter((violated) => violated === key) },
    review: { ...review, flagged: new Map(findings === undefined ? [] : [[key, findings]]) },
  };
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
