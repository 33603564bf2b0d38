import type { Finding, Severity } from '../schema/index.js';
import type { EngineFinding, ProviderFinding } from './types.js';

/**
 * What people decided about one kind of finding: findings of one category whose first (primary)
 * framework item is `frameworkItem`. Preferences are per framework; pass only those of the
 * framework under review.
 */
export interface Preference {
  /** The number of the primary framework item, e.g. `4` for Hawkeye #4. */
  frameworkItem: number;
  /** The finding category, e.g. `timeline-missing-times`. */
  category: string;
  /** How many findings of this kind were accepted. */
  accepted: number;
  /** How many findings of this kind were rejected. */
  rejected: number;
}

/** When learning adjusts a finding, and how its reasons name framework items. */
export interface LearningOptions {
  /** Fewest decisions on a kind before it is adjusted. Default 5. */
  minDecisions: number;
  /** Share of rejections (0..1) at or above which a kind is demoted. Default 0.8. */
  demoteAtRejectionRate: number;
  /** Factor applied to a demoted finding's confidence. Default 0.5. */
  demotedConfidenceFactor: number;
  /** Share of acceptances (0..1) at or above which a kind's confidence is raised. Default 0.9. */
  boostAtAcceptanceRate: number;
  /** Added to a well-accepted finding's confidence, capped at 1; 0 turns boosting off. Default 0.1. */
  confidenceBoost: number;
  /** How reasons name the framework: `Hawkeye` gives "Hawkeye #4". Default `item`. */
  frameworkLabel: string;
}

/** The learning options used when the caller sets none. */
export const DEFAULT_LEARNING_OPTIONS: LearningOptions = {
  minDecisions: 5,
  demoteAtRejectionRate: 0.8,
  demotedConfidenceFactor: 0.5,
  boostAtAcceptanceRate: 0.9,
  confidenceBoost: 0.1,
  frameworkLabel: 'item',
};

/** One step down; `info` stays `info`. Critical is never demoted. */
const DEMOTED: Readonly<Record<Exclude<Severity, 'critical'>, Severity>> = {
  major: 'minor',
  minor: 'info',
  info: 'info',
};

/**
 * Counts the accept/reject decisions on past findings per kind (primary framework item and
 * category); findings without a decision are ignored. Sorted by item number, then category.
 */
export function preferencesFromDecisions(
  findings: readonly Pick<Finding, 'frameworkItems' | 'category' | 'decision'>[],
): Preference[] {
  const byKind = new Map<string, Preference>();
  for (const { frameworkItems, category, decision } of findings) {
    const item = frameworkItems[0];
    if (decision === null || item === undefined) continue;
    const key = kindKey(item.number, category);
    const preference = byKind.get(key) ?? {
      frameworkItem: item.number,
      category,
      accepted: 0,
      rejected: 0,
    };
    preference[decision.outcome] += 1;
    byKind.set(key, preference);
  }
  return [...byKind.values()].sort(
    (a, b) => a.frameworkItem - b.frameworkItem || a.category.localeCompare(b.category),
  );
}

/**
 * Adjusts findings to past decisions on their kind (primary framework item and category), once
 * a kind has at least `minDecisions` decisions:
 *
 * - rejected at `demoteAtRejectionRate` or more: demoted one severity step (major to minor,
 *   minor to info) and its confidence multiplied by `demotedConfidenceFactor`;
 * - accepted at `boostAtAcceptanceRate` or more: confidence raised by `confidenceBoost`.
 *
 * Every changed finding carries `adjustment` with its original severity and a reason people can
 * read; unchanged ones carry `null`. A critical finding is never demoted, hidden or changed.
 * Preferences given more than once for a kind are added up. Returns new objects, in input order.
 */
export function applyPreferences(
  findings: readonly ProviderFinding[],
  preferences: readonly Preference[],
  options: Partial<LearningOptions> = {},
): EngineFinding[] {
  const settings = { ...DEFAULT_LEARNING_OPTIONS, ...options };
  const byKind = new Map<string, { accepted: number; rejected: number }>();
  for (const { frameworkItem, category, accepted, rejected } of preferences) {
    const key = kindKey(frameworkItem, category);
    const total = byKind.get(key) ?? { accepted: 0, rejected: 0 };
    byKind.set(key, { accepted: total.accepted + accepted, rejected: total.rejected + rejected });
  }
  return findings.map((finding) => {
    const item = finding.frameworkItems[0];
    const decisions = item && byKind.get(kindKey(item.number, finding.category));
    if (!item || !decisions || finding.severity === 'critical') return unadjusted(finding);
    const count = decisions.accepted + decisions.rejected;
    if (count === 0 || count < settings.minDecisions) return unadjusted(finding);
    const kind = `${settings.frameworkLabel} #${item.number} / ${finding.category}`;
    if (decisions.rejected / count >= settings.demoteAtRejectionRate) {
      const severity = DEMOTED[finding.severity];
      const change =
        severity === finding.severity
          ? 'Confidence lowered'
          : `Demoted from ${finding.severity} to ${severity}`;
      return {
        ...finding,
        severity,
        confidence: roundConfidence(finding.confidence * settings.demotedConfidenceFactor),
        adjustment: {
          originalSeverity: finding.severity,
          reason: `${change}: rejected in ${decisions.rejected} of ${count} past decisions on ${kind}.`,
        },
      };
    }
    const boosted = roundConfidence(Math.min(1, finding.confidence + settings.confidenceBoost));
    if (
      decisions.accepted / count >= settings.boostAtAcceptanceRate &&
      boosted > finding.confidence
    ) {
      return {
        ...finding,
        confidence: boosted,
        adjustment: {
          originalSeverity: finding.severity,
          reason: `Confidence raised: accepted in ${decisions.accepted} of ${count} past decisions on ${kind}.`,
        },
      };
    }
    return unadjusted(finding);
  });
}

function unadjusted(finding: ProviderFinding): EngineFinding {
  return { ...finding, adjustment: null };
}

function kindKey(frameworkItem: number, category: string): string {
  return `${frameworkItem}\u0000${category}`;
}

function roundConfidence(confidence: number): number {
  return Math.round(confidence * 100) / 100;
}
