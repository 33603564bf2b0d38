import { describe, expect, it } from 'vitest';
import {
  createModelProvider,
  QUOTE_MISS_CONFIDENCE_FACTOR,
} from '../../../src/engine/providers/model/index.js';
import { createRulesProvider } from '../../../src/engine/providers/rules/index.js';
import type { ProviderFinding } from '../../../src/engine/types.js';
import { contextOf, documentOf, sectionOf } from './fixture.js';
import {
  findingsAnswer,
  type RawFinding,
  rawFinding,
  ScriptedModelClient,
} from './scripted-client.js';

const QUOTED =
  'The on-call engineer wrote “restart it” \u2014 then the gateway\u00a0 failed again at 09:20 UTC.';

async function aiFindings(text: string, findings: RawFinding[]): Promise<ProviderFinding[]> {
  const document = documentOf([['Mitigation', text]]);
  const client = new ScriptedModelClient([findingsAnswer(findings)]);
  const reply = await createModelProvider(client).reviewSection(
    sectionOf(document, 0),
    contextOf(document),
  );
  return reply.findings.filter((finding) => finding.origin === 'ai');
}

describe("a finding's quote", () => {
  it('is kept when it occurs exactly', async () => {
    const [finding] = await aiFindings(QUOTED, [rawFinding({ quote: 'then the gateway' })]);
    expect(finding).toMatchObject({ quote: 'then the gateway', confidence: 0.8 });
  });

  it('is replaced by the exact text when it differs only in quote marks, dashes and spaces', async () => {
    const [finding] = await aiFindings(QUOTED, [
      rawFinding({ quote: ' wrote "restart it" - then the gateway failed again ' }),
    ]);
    expect(finding).toMatchObject({
      quote: 'wrote “restart it” \u2014 then the gateway\u00a0 failed again',
      confidence: 0.8,
    });
  });

  it('is dropped, and the confidence lowered, when it is not in the section', async () => {
    const [made, otherCase] = await aiFindings(QUOTED, [
      rawFinding({ quote: 'the gateway was restarted twice', confidence: 0.9 }),
      rawFinding({ quote: 'THEN THE GATEWAY', confidence: 0.6 }),
    ]);
    expect(QUOTE_MISS_CONFIDENCE_FACTOR).toBe(0.5);
    expect(made).toMatchObject({ quote: null, confidence: 0.45 });
    expect(otherCase).toMatchObject({ quote: null, confidence: 0.3 });
  });

  it('may be null without lowering the confidence', async () => {
    const [finding] = await aiFindings(QUOTED, [rawFinding({ quote: null, confidence: 0.9 })]);
    expect(finding).toMatchObject({ quote: null, confidence: 0.9 });
  });
});

describe('model and rules findings', () => {
  const document = documentOf([['Impact', 'Several customers could not pay on Monday.']]);
  const section = sectionOf(document, 0);

  it('become one ai finding when they cite the same item with overlapping quotes', async () => {
    const rules = await createRulesProvider().reviewSection(section, contextOf(document));
    expect(rules.findings).toContainEqual(
      expect.objectContaining({
        category: 'vague-quantifier',
        frameworkItems: [{ number: 20, key: 'clarity' }],
        quote: 'Several customers',
        severity: 'minor',
        confidence: 0.8,
      }),
    );
    const client = new ScriptedModelClient([
      findingsAnswer([
        rawFinding({
          frameworkItems: [20, 19],
          severity: 'major',
          category: 'unquantified-customers',
          title: 'The number of customers affected is not given',
          quote: 'customers could not pay',
          confidence: 0.6,
        }),
        rawFinding({
          frameworkItems: [20],
          severity: 'info',
          category: 'vague-date',
          title: '"Monday" does not say which Monday',
          quote: 'on Monday',
        }),
      ]),
    ]);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(document));

    expect(reply.findings.filter((finding) => finding.category === 'vague-quantifier')).toEqual([
      {
        sectionIndex: 0,
        frameworkItems: [
          { number: 20, key: 'clarity' },
          { number: 19, key: 'objectivity' },
        ],
        severity: 'major',
        category: 'vague-quantifier',
        title: 'The number of customers affected is not given',
        description: expect.any(String),
        suggestion: expect.any(String),
        quote: 'customers could not pay',
        confidence: 0.8,
        origin: 'ai',
      },
    ]);
    expect(reply.findings).toContainEqual(expect.objectContaining({ category: 'vague-date' }));
    expect(reply.findings).toHaveLength(rules.findings.length + 1);
  });

  it('each fold into the model finding they match', async () => {
    const client = new ScriptedModelClient([
      findingsAnswer([
        rawFinding({
          frameworkItems: [6],
          severity: 'info',
          quote: 'Several customers could not pay',
          confidence: 0.5,
        }),
        rawFinding({ frameworkItems: [20], quote: 'Several', severity: 'info', confidence: 0.5 }),
      ]),
    ]);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(document));
    expect(reply.findings).toEqual([
      expect.objectContaining({
        category: 'impact-not-quantified',
        frameworkItems: [{ number: 6, key: 'impact' }],
        severity: 'minor',
        confidence: 0.85,
        origin: 'ai',
      }),
      expect.objectContaining({
        category: 'vague-quantifier',
        quote: 'Several',
        confidence: 0.8,
        origin: 'ai',
      }),
    ]);
  });

  it('may fold into one model finding together, which takes the first rule category', async () => {
    const client = new ScriptedModelClient([
      findingsAnswer([rawFinding({ frameworkItems: [20, 6], quote: 'customers could not pay' })]),
    ]);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(document));
    expect(reply.findings).toEqual([
      expect.objectContaining({
        category: 'impact-not-quantified',
        frameworkItems: [
          { number: 20, key: 'clarity' },
          { number: 6, key: 'impact' },
        ],
        origin: 'ai',
      }),
    ]);
  });

  it('stay apart when their quotes do not overlap or their items differ', async () => {
    const client = new ScriptedModelClient([
      findingsAnswer([
        rawFinding({ frameworkItems: [20], quote: 'on Monday' }),
        rawFinding({ frameworkItems: [19], quote: 'Several customers' }),
      ]),
    ]);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(document));
    const rules = await createRulesProvider().reviewSection(section, contextOf(document));
    expect(reply.findings).toHaveLength(rules.findings.length + 2);
    expect(reply.findings).toContainEqual(
      expect.objectContaining({ category: 'vague-quantifier', origin: 'rule' }),
    );
  });

  it('become one at the document level when both quote nothing for the same item', async () => {
    const rules = await createRulesProvider().reviewDocument(contextOf(document));
    expect(rules.findings).toContainEqual(
      expect.objectContaining({ category: 'missing-timeline', quote: null }),
    );
    const client = new ScriptedModelClient([
      findingsAnswer([
        rawFinding({
          frameworkItems: [4],
          category: 'no-timeline',
          title: 'There is no timeline',
          quote: null,
          confidence: 0.9,
        }),
      ]),
    ]);
    const reply = await createModelProvider(client).reviewDocument(contextOf(document));

    const timeline = reply.findings.filter((finding) =>
      finding.frameworkItems.some((item) => item.number === 4),
    );
    expect(timeline).toEqual([
      expect.objectContaining({
        sectionIndex: null,
        category: 'missing-timeline',
        title: 'There is no timeline',
        origin: 'ai',
        confidence: 0.9,
      }),
    ]);
    expect(reply.findings).toHaveLength(rules.findings.length);
    expect(reply.usage).toEqual({ inputTokens: 1000, outputTokens: 100 });
  });
});
