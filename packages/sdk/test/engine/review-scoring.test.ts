import { describe, expect, it } from 'vitest';
import { scoreFindings } from '../../src/engine/scoring.js';
import type { Severity } from '../../src/index.js';

function findings(counts: Partial<Record<Severity, number>>): { severity: Severity }[] {
  return (Object.entries(counts) as [Severity, number][]).flatMap(([severity, count]) =>
    Array.from({ length: count }, () => ({ severity })),
  );
}

const RISK_ORDER = ['low', 'medium', 'high', 'critical'];

describe('scoreFindings', () => {
  it('gives a document without findings 100 and low risk', () => {
    expect(scoreFindings([])).toEqual({
      score: 100,
      riskLevel: 'low',
      counts: { critical: 0, major: 0, minor: 0, info: 0 },
    });
  });

  it('matches the documented examples', () => {
    const examples: [Partial<Record<Severity, number>>, number][] = [
      [{ info: 1 }, 100],
      [{ minor: 1 }, 97],
      [{ major: 1 }, 90],
      [{ critical: 1 }, 78],
      [{ minor: 2, info: 3 }, 93],
      [{ major: 4, minor: 8 }, 53],
      [{ critical: 1, major: 4, minor: 8 }, 41],
      [{ info: 10 }, 95],
      [{ minor: 40 }, 30],
    ];
    for (const [counts, score] of examples) {
      expect(scoreFindings(findings(counts)).score, JSON.stringify(counts)).toBe(score);
    }
  });

  it('rates any critical finding at least high risk, and two critical', () => {
    expect(scoreFindings(findings({ critical: 1 })).riskLevel).toBe('high');
    expect(scoreFindings(findings({ critical: 2 })).riskLevel).toBe('critical');
    expect(scoreFindings(findings({ major: 1 })).riskLevel).toBe('medium');
    expect(scoreFindings(findings({ minor: 3, info: 5 })).riskLevel).toBe('low');
    expect(scoreFindings(findings({ minor: 40 })).riskLevel).toBe('critical');
  });

  it('counts findings by severity', () => {
    expect(scoreFindings(findings({ critical: 1, minor: 2, info: 3 })).counts).toEqual({
      critical: 1,
      major: 0,
      minor: 2,
      info: 3,
    });
  });

  it('never raises the score or lowers the risk when a finding is added', () => {
    const severities: Severity[] = ['critical', 'major', 'minor', 'info'];
    let state: { severity: Severity }[] = [];
    let previous = scoreFindings(state);
    // A fixed, varied sequence of 200 additions.
    for (let step = 0; step < 200; step += 1) {
      const severity = severities[(step * 7 + (step % 3)) % 4] ?? 'info';
      state = [...state, { severity }];
      const next = scoreFindings(state);
      expect(next.score).toBeLessThanOrEqual(previous.score);
      expect(RISK_ORDER.indexOf(next.riskLevel)).toBeGreaterThanOrEqual(
        RISK_ORDER.indexOf(previous.riskLevel),
      );
      previous = next;
    }
    expect(previous.score).toBe(0);
  });

  it('is deterministic', () => {
    const input = findings({ critical: 1, major: 3, minor: 5, info: 2 });
    expect(scoreFindings(input)).toEqual(scoreFindings([...input].reverse()));
  });
});
