import { describe, expect, it } from 'vitest';
import { ModelError } from '../../src/engine/providers/model/model-error.js';
import { resolveModel } from '../../src/engine/providers/resolve-model.js';
import type { ProviderReply, ProviderUsage, ReviewProvider } from '../../src/engine/types.js';
import type { PriceTable } from '../../src/engine/usage/cost.js';
import type { FrameworkItemRef } from '../../src/schema/index.js';
import {
  evaluateFolder,
  type FormatEvaluation,
  meetsThresholds,
  totalSpending,
} from './labelled-evaluation.js';
import {
  describeFailure,
  formatEvaluation,
  formatItemTable,
  formatSpending,
  formatVerdict,
} from './labelled-report.js';
import { measure, readLabelled, readLabels, reviewWithRules } from './rules-quality.js';
import { LABELLED_DOCS } from './shared-files.js';

const LABELS = readLabels(LABELLED_DOCS);

/** Counts of labelled (document, item) pairs per item key. */
function labelledPerItem(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const label of LABELS) {
    for (const key of label.violated) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function evaluate(
  format: 'md' | 'docx',
  provider: ReviewProvider,
  prices?: Readonly<PriceTable>,
): Promise<FormatEvaluation> {
  const evaluation = await evaluateFolder(LABELLED_DOCS, format, {
    provider,
    concurrency: 2,
    ...(prices === undefined ? {} : { prices }),
  });
  if (evaluation === null) throw new Error(`no .${format} document in ${LABELLED_DOCS}`);
  return evaluation;
}

/** What the scripted provider answers each call with. */
interface Script {
  id: string;
  usage: ProviderUsage;
  /** The items a minor document-level finding cites. */
  documentItems?: FrameworkItemRef[];
  degraded?: string;
  failure?: Error;
}

/**
 * A provider double that answers every call as scripted, counting its calls and the most in
 * flight at once (each call yields to the event loop before answering).
 */
function scriptedProvider(script: Script) {
  let inFlight = 0;
  const seen = { calls: 0, mostInFlight: 0 };
  async function answer(findings: ProviderReply['findings']): Promise<ProviderReply> {
    seen.calls += 1;
    inFlight += 1;
    seen.mostInFlight = Math.max(seen.mostInFlight, inFlight);
    await new Promise((resolve) => setImmediate(resolve));
    inFlight -= 1;
    if (script.failure) throw script.failure;
    return {
      findings,
      usage: script.usage,
      ...(script.degraded === undefined ? {} : { degraded: script.degraded }),
    };
  }
  const provider: ReviewProvider = {
    id: script.id,
    reviewSection: () => answer([]),
    reviewDocument: () =>
      answer(
        (script.documentItems ?? []).map((item) => ({
          sectionIndex: null,
          frameworkItems: [item],
          severity: 'minor',
          category: 'scripted',
          title: `Scripted: ${item.key}`,
          description: 'Scripted finding.',
          suggestion: 'None.',
          quote: null,
          confidence: 1,
          origin: 'ai',
        })),
      ),
  };
  return { provider, seen };
}

describe.each(['md', 'docx'] as const)('the labelled evaluation with rules (.%s)', (format) => {
  it('gives one row per Hawkeye item whose counts add up to the overall ones', async () => {
    const evaluation = await evaluate(format, resolveModel('rules').provider);
    const { items, quality } = evaluation;

    expect(items.map((item) => item.number)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const sum = (count: (item: (typeof items)[number]) => number) =>
      items.reduce((total, item) => total + count(item), 0);
    expect(sum((item) => item.truePositives)).toBe(quality.truePositives);
    expect(sum((item) => item.falsePositives)).toBe(quality.falsePositives.length);
    expect(sum((item) => item.falseNegatives)).toBe(quality.falseNegatives.length);

    const labelled = labelledPerItem();
    for (const item of items) {
      expect(item.truePositives + item.falseNegatives).toBe(labelled.get(item.key) ?? 0);
      const flagged = item.truePositives + item.falsePositives;
      expect(item.precision).toBe(flagged === 0 ? null : item.truePositives / flagged);
      const expected = labelled.get(item.key) ?? 0;
      expect(item.recall).toBe(expected === 0 ? null : item.truePositives / expected);
    }
  });

  it('measures what reviewing with the rules provider directly measures, at no cost', async () => {
    const evaluation = await evaluate(format, resolveModel('rules').provider);
    const direct = [];
    for (const label of LABELS) {
      const document = await readLabelled(LABELLED_DOCS, label.name, format);
      if (document !== null) direct.push({ label, review: await reviewWithRules(document) });
    }
    const expected = measure(direct);

    expect(evaluation.documents).toBe(direct.length);
    expect(evaluation.quality.truePositives).toBe(expected.truePositives);
    expect(evaluation.quality.falsePositives.map(({ name, item }) => `${name} ${item}`)).toEqual(
      expected.falsePositives.map(({ name, item }) => `${name} ${item}`),
    );
    expect(evaluation.quality.falseNegatives).toEqual(expected.falseNegatives);
    expect(meetsThresholds(evaluation.quality)).toBe(true);
    expect(evaluation.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(evaluation.costUsd).toBe(0);
    expect(evaluation.degraded).toEqual([]);
  });

  it('prints a table whose total row is the overall count', async () => {
    const evaluation = await evaluate(format, resolveModel('rules').provider);
    const { truePositives, falsePositives, falseNegatives } = evaluation.quality;
    const lines = formatEvaluation('Labelled', evaluation);

    expect(lines).toContainEqual(
      expect.stringMatching(/^\s+item\s+TP\s+FP\s+FN\s+precision\s+recall$/),
    );
    expect(lines).toContainEqual(expect.stringMatching(/^\s+1 summary\s+\d+\s+\d+\s+\d+\s/));
    const total = lines.find((line) => line.trim().startsWith('all items'));
    expect(total?.trim().split(/\s+/).slice(2, 5).map(Number)).toEqual([
      truePositives,
      falsePositives.length,
      falseNegatives.length,
    ]);
    expect(lines).toContain(
      '  tokens: input 0, output 0, cache read 0, cache write 0   estimated cost: $0.0000',
    );
    expect(lines).toContain(`  degraded reviews: 0 of ${evaluation.documents}`);
  });
});

describe('the labelled evaluation with a model provider', () => {
  const usage: ProviderUsage = {
    inputTokens: 1000,
    outputTokens: 200,
    cacheReadInputTokens: 300,
    cacheWriteInputTokens: 100,
  };
  const prices: PriceTable = {
    'scripted:priced': {
      inputPerMillion: 3,
      outputPerMillion: 15,
      cacheReadPerMillion: 0.3,
      cacheWritePerMillion: 3.75,
    },
  };
  // 600 uncached x $3 + 300 read x $0.30 + 100 written x $3.75 + 200 out x $15, per million.
  const callCostUsd = (600 * 3 + 300 * 0.3 + 100 * 3.75 + 200 * 15) / 1_000_000;

  it('adds up every call’s tokens and their estimated cost', async () => {
    const { provider, seen } = scriptedProvider({ id: 'scripted:priced', usage });
    const evaluation = await evaluate('md', provider, prices);

    expect(evaluation.usage).toEqual({
      inputTokens: 1000 * seen.calls,
      outputTokens: 200 * seen.calls,
      cacheReadInputTokens: 300 * seen.calls,
      cacheWriteInputTokens: 100 * seen.calls,
    });
    expect(evaluation.costUsd).toBeCloseTo(callCostUsd * seen.calls, 12);
    expect(formatSpending(evaluation)).toBe(
      `tokens: input ${1000 * seen.calls}, output ${200 * seen.calls}, cache read ${300 * seen.calls}, ` +
        `cache write ${100 * seen.calls}   estimated cost: $${(callCostUsd * seen.calls).toFixed(4)}`,
    );
  });

  it('counts one call per section and one per document, at most `concurrency` at once', async () => {
    const { provider, seen } = scriptedProvider({ id: 'scripted:priced', usage });
    const evaluation = await evaluate('md', provider, prices);
    let expectedCalls = 0;
    for (const label of LABELS) {
      const document = await readLabelled(LABELLED_DOCS, label.name, 'md');
      expectedCalls += (document?.sections.length ?? 0) + 1;
    }

    expect(seen.calls).toBe(expectedCalls);
    expect(seen.mostInFlight).toBe(2);
    expect(evaluation.documents).toBe(LABELS.length);
  });

  it('sums the formats and reports the cost as unknown when the model has no price', async () => {
    const priced = scriptedProvider({ id: 'scripted:priced', usage });
    const unpriced = scriptedProvider({ id: 'scripted:unpriced', usage });
    const md = await evaluate('md', priced.provider, prices);
    const docx = await evaluate('docx', unpriced.provider);

    expect(docx.costUsd).toBeNull();
    expect(formatSpending(docx)).toMatch(/estimated cost: unknown$/);
    const total = totalSpending([md, docx]);
    expect(total.usage.inputTokens).toBe(1000 * (priced.seen.calls + unpriced.seen.calls));
    expect(total.costUsd).toBeNull();
    expect(totalSpending([md, md]).costUsd).toBeCloseTo(2 * (md.costUsd ?? Number.NaN), 12);
  });

  it('counts the flagged items against the labels, item by item', async () => {
    const { provider } = scriptedProvider({
      id: 'scripted:priced',
      usage,
      documentItems: [{ number: 4, key: 'timeline' }],
    });
    const evaluation = await evaluate('md', provider, prices);
    const labelled = labelledPerItem();
    const timeline = evaluation.items.find((item) => item.key === 'timeline');

    expect(timeline).toMatchObject({
      number: 4,
      truePositives: labelled.get('timeline'),
      falsePositives: LABELS.length - (labelled.get('timeline') ?? 0),
      falseNegatives: 0,
    });
    expect(evaluation.quality.truePositives).toBe(labelled.get('timeline'));
    expect(meetsThresholds(evaluation.quality)).toBe(false);
    const total = formatItemTable(evaluation.items).at(-1)?.trim().split(/\s+/);
    expect(total?.slice(2, 5).map(Number)).toEqual([
      evaluation.quality.truePositives,
      evaluation.quality.falsePositives.length,
      evaluation.quality.falseNegatives.length,
    ]);
  });

  it('lists each degraded review with its reason', async () => {
    const reason = "The model's answer stayed invalid; the rules findings stand in.";
    const { provider } = scriptedProvider({ id: 'scripted:priced', usage, degraded: reason });
    const evaluation = await evaluate('md', provider, prices);

    expect(evaluation.degraded).toEqual(LABELS.map(({ name }) => ({ name, reason })));
    const lines = formatEvaluation('Labelled', evaluation);
    expect(lines).toContain(`  degraded reviews: ${LABELS.length} of ${LABELS.length}`);
    expect(lines).toContain(`    ${LABELS[0]?.name}: ${reason}`);
  });

  it('fails with the model error’s code, described on one line with its hint', async () => {
    const failure = new ModelError(
      'model_access_denied',
      'Bedrock (us.anthropic.claude-sonnet-4-20250514-v1:0):\nCould not load credentials from any providers',
      { hint: 'Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and AWS_REGION.' },
    );
    const { provider } = scriptedProvider({ id: 'scripted:priced', usage, failure });

    const error = await evaluate('md', provider, prices).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect(describeFailure(error)).toBe(
      'model_access_denied: Bedrock (us.anthropic.claude-sonnet-4-20250514-v1:0): Could not load ' +
        'credentials from any providers Hint: Set AWS_PROFILE (or AWS_ACCESS_KEY_ID and ' +
        'AWS_SECRET_ACCESS_KEY) and AWS_REGION.',
    );
  });

  it('says when the rules provider’s thresholds are applied to another model', () => {
    expect(formatVerdict(true, 'rules')).toBe('PASS: thresholds precision >= 0.85, recall >= 0.8');
    expect(formatVerdict(false, 'bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0')).toBe(
      "FAIL: thresholds precision >= 0.85, recall >= 0.8 (the rules provider's thresholds, " +
        'applied to bedrock:us.anthropic.claude-sonnet-4-20250514-v1:0 unchanged)',
    );
  });
});
