import type { ReviewSummary, RiskLevel, Severity, SeverityCounts } from '../schema/index.js';

/** Penalty points each finding adds to a review, by severity. */
export const SEVERITY_PENALTIES: Readonly<Record<Severity, number>> = {
  critical: 25,
  major: 10,
  minor: 3,
  info: 0.5,
};

/** Penalty points that bring the score down to 100/e (about 37). */
const PENALTY_SCALE = 100;

/** The lowest score of each risk level, from the least risky. */
const RISK_THRESHOLDS: readonly { level: RiskLevel; minScore: number }[] = [
  { level: 'low', minScore: 80 },
  { level: 'medium', minScore: 60 },
  { level: 'high', minScore: 40 },
  { level: 'critical', minScore: 0 },
];

const RISK_ORDER: readonly RiskLevel[] = ['low', 'medium', 'high', 'critical'];

/**
 * Scores a review from its findings (see `SCORING.md`):
 *
 * - penalty `P = 25 x critical + 10 x major + 3 x minor + 0.5 x info`;
 * - score `= round(100 x e^(-P / 100))`, so every finding lowers the score by a share of what is
 *   left (diminishing returns): one critical gives 78, one major 90, one minor 97, one info 100;
 * - risk level by score: >= 80 low, >= 60 medium, >= 40 high, else critical; raised to at least
 *   medium by any major, at least high by one critical and to critical by two or more.
 *
 * Deterministic; adding a finding never raises the score nor lowers the risk level.
 */
export function scoreFindings(findings: readonly { severity: Severity }[]): ReviewSummary {
  const counts: SeverityCounts = { critical: 0, major: 0, minor: 0, info: 0 };
  for (const finding of findings) counts[finding.severity] += 1;
  const penalty = (Object.keys(counts) as Severity[]).reduce(
    (sum, severity) => sum + counts[severity] * SEVERITY_PENALTIES[severity],
    0,
  );
  const score = Math.round(100 * Math.exp(-penalty / PENALTY_SCALE));
  return { score, riskLevel: riskLevel(score, counts), counts };
}

function riskLevel(score: number, counts: SeverityCounts): RiskLevel {
  const byScore = RISK_THRESHOLDS.find(({ minScore }) => score >= minScore)?.level ?? 'critical';
  const floor = riskFloor(counts);
  return RISK_ORDER.indexOf(floor) > RISK_ORDER.indexOf(byScore) ? floor : byScore;
}

/** The least risk level the severest findings allow, whatever the score. */
function riskFloor(counts: SeverityCounts): RiskLevel {
  if (counts.critical >= 2) return 'critical';
  if (counts.critical === 1) return 'high';
  if (counts.major > 0) return 'medium';
  return 'low';
}
