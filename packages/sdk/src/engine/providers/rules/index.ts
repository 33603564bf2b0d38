import { createHash } from 'node:crypto';
import type { Framework, FrameworkItemRef, Section, Severity } from '../../../schema/index.js';
import type { ProviderFinding, ReviewContext, ReviewProvider } from '../../types.js';
import { analyse, describeSection } from './analysis.js';
import { RULES } from './catalogue.js';
import {
  type ResolvedRulesOptions,
  type RulesProviderOptions,
  resolveRulesOptions,
} from './options.js';
import type { Rule, RuleHit } from './rule.js';

export { RULES } from './catalogue.js';
export { RulesOptionsError, type RulesProviderOptions } from './options.js';
export type { Rule } from './rule.js';

/**
 * The deterministic, offline `rules` provider: a linter for investigation documents. It checks
 * every Hawkeye item, in each section (vague words, placeholders, undefined acronyms, blame,
 * sensitive data, timelines without times, actions without owners...) and across the document
 * (an item missing everywhere). Findings cite only items the review's framework has.
 *
 * Its id is `rules`, or `rules:<digest of the options>` when options are given, so cached
 * results of differently configured providers are never mixed up.
 *
 * @throws {RulesOptionsError} when the options name an unknown rule category or severity.
 */
export function createRulesProvider(options: RulesProviderOptions = {}): ReviewProvider {
  const resolved = resolveRulesOptions(
    options,
    RULES.map((rule) => rule.category),
  );
  const active = RULES.filter((rule) => !resolved.disabled.has(rule.category));
  return {
    id: providerId(options),
    async reviewSection(section: Section, context: ReviewContext) {
      context.signal?.throwIfAborted();
      const analysis = analyse(context.document);
      const info = analysis.sections[section.index];
      const current =
        info !== undefined && info.section.text === section.text
          ? info
          : describeSection(section, context.document.title);
      const findings = active.flatMap((rule) =>
        (rule.section?.({ section, info: current, analysis, options: resolved }) ?? []).flatMap(
          (hit) => toFinding(rule, hit, context.framework, resolved, section),
        ),
      );
      return { findings };
    },
    async reviewDocument(context: ReviewContext) {
      context.signal?.throwIfAborted();
      const analysis = analyse(context.document);
      const findings = active.flatMap((rule) =>
        (
          rule.document?.({ analysis, options: resolved, framework: context.framework }) ?? []
        ).flatMap((hit) => {
          const section =
            hit.sectionIndex === null ? undefined : context.document.sections[hit.sectionIndex];
          return toFinding(rule, hit, context.framework, resolved, section);
        }),
      );
      return { findings };
    },
  };
}

function providerId(options: RulesProviderOptions): string {
  const entries = Object.entries(options).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return 'rules';
  const canonical = JSON.stringify(entries.sort(([a], [b]) => a.localeCompare(b)));
  return `rules:${createHash('sha256').update(canonical).digest('hex').slice(0, 8)}`;
}

/** The finding for a hit, or none when the framework has no such item. */
function toFinding(
  rule: Rule,
  hit: RuleHit,
  framework: Framework,
  options: ResolvedRulesOptions,
  section: Section | undefined,
): ProviderFinding[] {
  const item = framework.items.find((candidate) => candidate.key === rule.item);
  if (item === undefined) return [];
  const ref: FrameworkItemRef = { number: item.number, key: item.key };
  const own: Severity = rule.severity === 'item-default' ? item.defaultSeverity : rule.severity;
  const quote =
    hit.quote !== null && section?.text.includes(hit.quote.text) ? hit.quote.text : null;
  return [
    {
      sectionIndex: hit.sectionIndex,
      frameworkItems: [ref],
      severity: options.severity.get(rule.category) ?? hit.severity ?? own,
      category: rule.category,
      title: hit.title,
      description: hit.description,
      suggestion: hit.suggestion,
      quote,
      confidence: Math.round(Math.min(1, Math.max(0, hit.confidence)) * 100) / 100,
      origin: 'rule',
    },
  ];
}
