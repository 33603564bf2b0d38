import type { FrameworkItemRef, Severity } from '../../../schema/index.js';
import type { ProviderFinding } from '../../types.js';

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, major: 1, minor: 2, info: 3 };

/**
 * The model's findings and the `rules` findings on the same text as one list, without
 * duplicates. A rule finding is the same finding as a model finding when both are about the
 * same section (or both document-level), cite a common framework item, and either quote
 * overlapping spans of the text or both quote nothing. It is then folded into the first such
 * model finding, which keeps its origin `ai` and its wording and takes:
 *
 * - the rule's `category` (the first rule's, when several fold in): a stable rule category on
 *   an `ai` finding is how the finding records that a rule raised it too, and learning and
 *   patterns then group it with that rule's findings;
 * - every framework item either cites, the more severe severity and the higher confidence;
 * - the rule's quote when the model quoted nothing.
 *
 * Model findings come first, in their order, then the rule findings that matched none.
 *
 * @param textOf the text quotes are located in, for a section index (null: the whole document)
 */
export function mergeWithRules(
  aiFindings: readonly ProviderFinding[],
  ruleFindings: readonly ProviderFinding[],
  textOf: (sectionIndex: number | null) => string,
): ProviderFinding[] {
  const merged = aiFindings.map((finding) => ({ finding, absorbed: false }));
  const unmatched: ProviderFinding[] = [];
  for (const rule of ruleFindings) {
    const target = merged.find(({ finding }) => sameFinding(finding, rule, textOf));
    if (target === undefined) {
      unmatched.push(rule);
      continue;
    }
    target.finding = absorb(target.finding, rule, !target.absorbed);
    target.absorbed = true;
  }
  return [...merged.map(({ finding }) => finding), ...unmatched];
}

function sameFinding(
  ai: ProviderFinding,
  rule: ProviderFinding,
  textOf: (sectionIndex: number | null) => string,
): boolean {
  if (ai.sectionIndex !== rule.sectionIndex) return false;
  const numbers = new Set(ai.frameworkItems.map((item) => item.number));
  if (!rule.frameworkItems.some((item) => numbers.has(item.number))) return false;
  if (ai.quote === null || rule.quote === null) return ai.quote === rule.quote;
  return quotesOverlap(ai.quote, rule.quote, textOf(ai.sectionIndex));
}

function absorb(ai: ProviderFinding, rule: ProviderFinding, first: boolean): ProviderFinding {
  return {
    ...ai,
    frameworkItems: unionItems(ai.frameworkItems, rule.frameworkItems),
    severity:
      SEVERITY_RANK[rule.severity] < SEVERITY_RANK[ai.severity] ? rule.severity : ai.severity,
    category: first ? rule.category : ai.category,
    quote: ai.quote ?? rule.quote,
    confidence: Math.max(ai.confidence, rule.confidence),
  };
}

function unionItems(a: readonly FrameworkItemRef[], b: readonly FrameworkItemRef[]) {
  const seen = new Set(a.map((item) => item.number));
  return [...a, ...b.filter((item) => !seen.has(item.number))];
}

/** Most occurrences of one quote considered when looking for an overlap. */
const MAX_OCCURRENCES = 50;

/** Whether some occurrence of `a` in `text` overlaps some occurrence of `b`. */
function quotesOverlap(a: string, b: string, text: string): boolean {
  const spansA = occurrences(a, text);
  const spansB = occurrences(b, text);
  if (spansA.length === 0 || spansB.length === 0) return a.includes(b) || b.includes(a);
  return spansA.some(([startA, endA]) =>
    spansB.some(([startB, endB]) => startA < endB && startB < endA),
  );
}

function occurrences(quote: string, text: string): [number, number][] {
  const spans: [number, number][] = [];
  let at = text.indexOf(quote);
  while (at >= 0 && spans.length < MAX_OCCURRENCES) {
    spans.push([at, at + quote.length]);
    at = text.indexOf(quote, at + 1);
  }
  return spans;
}
