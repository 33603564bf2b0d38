import { describe, expect, it } from 'vitest';
import { applyPreferences, preferencesFromDecisions } from '../../src/engine/learning.js';
import type { Finding } from '../../src/index.js';
import { finding } from './review-fixtures.js';

const timeline = (severity: 'critical' | 'major' | 'minor' | 'info') =>
  finding({
    frameworkItems: [{ number: 4, key: 'timeline' }],
    severity,
    category: 'timeline-missing-times',
    confidence: 0.8,
  });

const mostlyRejected = [
  { frameworkItem: 4, category: 'timeline-missing-times', accepted: 1, rejected: 9 },
];

describe('applyPreferences', () => {
  it('demotes a kind that is rejected almost always, and says why', () => {
    const [major, minor, info] = applyPreferences(
      [timeline('major'), timeline('minor'), timeline('info')],
      mostlyRejected,
      { frameworkLabel: 'Hawkeye' },
    );
    expect(major).toMatchObject({
      severity: 'minor',
      confidence: 0.4,
      adjustment: {
        originalSeverity: 'major',
        reason:
          'Demoted from major to minor: rejected in 9 of 10 past decisions on Hawkeye #4 / timeline-missing-times.',
      },
    });
    expect(minor).toMatchObject({ severity: 'info', adjustment: { originalSeverity: 'minor' } });
    expect(info).toMatchObject({
      severity: 'info',
      confidence: 0.4,
      adjustment: { originalSeverity: 'info' },
    });
    expect(info?.adjustment?.reason).toMatch(/^Confidence lowered: rejected in 9 of 10/);
  });

  it('never demotes, changes or hides a critical finding', () => {
    const input = [timeline('critical'), timeline('critical')];
    const result = applyPreferences(input, [
      { frameworkItem: 4, category: 'timeline-missing-times', accepted: 0, rejected: 100 },
    ]);
    expect(result).toEqual(input.map((f) => ({ ...f, adjustment: null })));
  });

  it('leaves kinds with too few decisions or mixed decisions alone', () => {
    const result = applyPreferences(
      [timeline('major'), finding({ severity: 'major' })],
      [
        { frameworkItem: 4, category: 'timeline-missing-times', accepted: 0, rejected: 4 },
        { frameworkItem: 20, category: 'vague-quantifier', accepted: 4, rejected: 6 },
      ],
    );
    expect(result.map((f) => [f.severity, f.adjustment])).toEqual([
      ['major', null],
      ['major', null],
    ]);
  });

  it('takes its thresholds from options', () => {
    const [adjusted] = applyPreferences(
      [timeline('major')],
      [{ frameworkItem: 4, category: 'timeline-missing-times', accepted: 1, rejected: 2 }],
      { minDecisions: 3, demoteAtRejectionRate: 0.6 },
    );
    expect(adjusted?.severity).toBe('minor');
    expect(adjusted?.adjustment?.reason).toContain('item #4 / timeline-missing-times');
  });

  it('adds up preferences given twice for a kind', () => {
    const [adjusted] = applyPreferences(
      [timeline('major')],
      [
        { frameworkItem: 4, category: 'timeline-missing-times', accepted: 0, rejected: 3 },
        { frameworkItem: 4, category: 'timeline-missing-times', accepted: 0, rejected: 3 },
      ],
    );
    expect(adjusted?.adjustment?.reason).toContain('rejected in 6 of 6');
  });

  it('raises the confidence of a kind accepted almost always, capped at 1', () => {
    const accepted = [
      { frameworkItem: 4, category: 'timeline-missing-times', accepted: 10, rejected: 0 },
    ];
    const [raised] = applyPreferences([timeline('minor')], accepted);
    expect(raised).toMatchObject({ severity: 'minor', confidence: 0.9 });
    expect(raised?.adjustment?.reason).toMatch(/^Confidence raised: accepted in 10 of 10/);

    const [certain] = applyPreferences([{ ...timeline('minor'), confidence: 1 }], accepted);
    expect(certain?.adjustment).toBeNull();
    const [off] = applyPreferences([timeline('minor')], accepted, { confidenceBoost: 0 });
    expect(off?.adjustment).toBeNull();
  });
});

describe('preferencesFromDecisions', () => {
  const decided = (
    item: number,
    category: string,
    outcome: 'accepted' | 'rejected' | null,
  ): Pick<Finding, 'frameworkItems' | 'category' | 'decision'> => ({
    frameworkItems: [{ number: item, key: `item-${item}` }],
    category,
    decision:
      outcome === null
        ? null
        : {
            outcome,
            by: { type: 'user', id: 'u1', name: null },
            at: '2025-01-01T00:00:00Z',
            reason: null,
          },
  });

  it('counts decisions per primary item and category, ignoring undecided findings', () => {
    const preferences = preferencesFromDecisions([
      decided(20, 'vague-quantifier', 'rejected'),
      decided(4, 'timeline-missing-times', 'accepted'),
      decided(20, 'vague-quantifier', 'rejected'),
      decided(20, 'vague-quantifier', 'accepted'),
      decided(20, 'placeholder', null),
    ]);
    expect(preferences).toEqual([
      { frameworkItem: 4, category: 'timeline-missing-times', accepted: 1, rejected: 0 },
      { frameworkItem: 20, category: 'vague-quantifier', accepted: 1, rejected: 2 },
    ]);
  });

  it('feeds applyPreferences', () => {
    const decisions = Array.from({ length: 5 }, () =>
      decided(4, 'timeline-missing-times', 'rejected'),
    );
    const [adjusted] = applyPreferences([timeline('major')], preferencesFromDecisions(decisions));
    expect(adjusted?.severity).toBe('minor');
  });
});
