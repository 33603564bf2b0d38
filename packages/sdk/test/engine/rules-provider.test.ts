import { describe, expect, it } from 'vitest';
import { getBuiltInFramework } from '../../src/engine/frameworks/load.js';
import {
  createRulesProvider,
  RULES,
  RulesOptionsError,
} from '../../src/engine/providers/rules/index.js';
import { FindingSchema } from '../../src/schema/index.js';
import { categories, documentOf, review, reviewSection, STRONG_PARTS } from './rules-fixture.js';

const FLAWED = documentOf([
  ['Summary', 'Several customers could not pay on Monday. TBD.'],
  ['Notes', 'Agent Mark Delaney should have noticed; card 4111 1111 1111 1111 was used.'],
]);

describe('the rules provider', () => {
  it('is the provider with id "rules"', () => {
    expect(createRulesProvider().id).toBe('rules');
  });

  it('returns findings that fit the Finding shape, from rules, with confidence in 0..1', async () => {
    const findings = await review(FLAWED);
    expect(findings.length).toBeGreaterThan(5);
    for (const finding of findings) {
      const stored = {
        ...finding,
        id: 'f',
        reviewId: 'r',
        documentId: 'd',
        status: 'open',
        decision: null,
        adjustment: null,
        createdAt: '2025-01-01T00:00:00Z',
        updatedAt: '2025-01-01T00:00:00Z',
      };
      expect(FindingSchema.safeParse(stored).success).toBe(true);
      expect(finding.origin).toBe('rule');
      expect(finding.category).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(finding.confidence).toBeGreaterThan(0);
      expect(finding.confidence).toBeLessThanOrEqual(1);
      expect(finding.suggestion.length).toBeGreaterThan(10);
    }
  });

  it('cites the framework item numbers and keys of the Hawkeye file', async () => {
    const framework = getBuiltInFramework('hawkeye-20');
    for (const finding of await review(FLAWED)) {
      const [ref] = finding.frameworkItems;
      expect(framework.items.find((item) => item.key === ref?.key)?.number).toBe(ref?.number);
    }
  });

  it('gives the same findings every time', async () => {
    expect(await review(FLAWED)).toEqual(await review(FLAWED));
  });

  it('has a stable, unique, kebab-case category per rule, each citing a Hawkeye item', () => {
    const keys = new Set(getBuiltInFramework('hawkeye-20').items.map((item) => item.key));
    const names = RULES.map((rule) => rule.category);
    expect(new Set(names).size).toBe(names.length);
    expect(RULES.every((rule) => keys.has(rule.item) && rule.about.length > 0)).toBe(true);
    expect(new Set(RULES.map((rule) => rule.item))).toEqual(keys);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const context = {
      framework: getBuiltInFramework('hawkeye-20'),
      document: FLAWED,
      signal: controller.signal,
    };
    await expect(createRulesProvider().reviewDocument(context)).rejects.toThrow();
  });

  it('reviews a section it is given even when the document holds a different text at that index', async () => {
    const provider = createRulesProvider();
    const context = {
      framework: getBuiltInFramework('hawkeye-20'),
      document: documentOf(STRONG_PARTS),
    };
    const other = {
      index: 0,
      heading: 'Notes',
      level: 2,
      text: 'Several things broke.',
      anchors: [],
    };
    const { findings } = await provider.reviewSection(other, context);
    expect(categories(findings)).toEqual(['vague-quantifier']);
  });
});

describe('rules provider options', () => {
  it('switches off rules by category', async () => {
    const findings = await review(FLAWED, { disable: ['vague-quantifier', 'card-number'] });
    expect(categories(findings)).not.toContain('vague-quantifier');
    expect(categories(findings)).not.toContain('card-number');
    expect(categories(findings)).toContain('placeholder');
  });

  it('replaces a severity by category', async () => {
    const findings = await review(FLAWED, {
      severity: { placeholder: 'info', 'missing-lessons': 'minor' },
    });
    expect(findings.find((f) => f.category === 'placeholder')?.severity).toBe('info');
    expect(findings.find((f) => f.category === 'missing-lessons')?.severity).toBe('minor');
  });

  it('uses a custom vague-word list, or extends the built-in one', async () => {
    const text = 'Several users saw a handful of errors and a bunch of timeouts.';
    const replaced = await reviewSection('Notes', text, { vagueWords: ['a bunch of'] });
    expect(replaced.map((f) => f.quote)).toEqual(['a bunch of timeouts']);
    const extended = await reviewSection('Notes', 'It failed umpteen times.', {
      extraVagueWords: ['umpteen'],
    });
    expect(extended.map((f) => f.quote)).toEqual(['umpteen times']);
  });

  it('refuses an unknown category with a typed error listing the known ones', () => {
    expect(() => createRulesProvider({ disable: ['vague-quantifiers'] })).toThrow(
      RulesOptionsError,
    );
    try {
      createRulesProvider({ severity: { 'no-such-rule': 'info' } });
    } catch (error) {
      expect(error).toMatchObject({ code: 'invalid_rules_options' });
      expect((error as RulesOptionsError).message).toContain('no-such-rule');
      expect((error as RulesOptionsError).hint).toContain('vague-quantifier');
    }
  });

  it('refuses a severity that is not a severity', () => {
    expect(() => createRulesProvider({ severity: { placeholder: 'high' as 'minor' } })).toThrow(
      /placeholder/,
    );
  });
});
