import type { Framework, Section, Severity } from '../../../schema/index.js';
import type { DocumentAnalysis, SectionInfo } from './analysis.js';
import type { ItemKey } from './items.js';
import type { ResolvedRulesOptions } from './options.js';
import type { Span } from './text.js';

/** One problem a rule found, before it becomes a finding. */
export interface RuleHit {
  /** The section it is about; null for the document as a whole. */
  sectionIndex: number | null;
  /** The evidence, as a span of the section's text; null when there is nothing to quote. */
  quote: Span | null;
  /** One line. */
  title: string;
  /** What is wrong and why it matters. */
  description: string;
  /** A concrete change that would resolve it. */
  suggestion: string;
  /** 0..1. */
  confidence: number;
  /** A severity other than the rule's own, when this hit is milder or worse. */
  severity?: Severity;
}

/** What a section-level rule sees. */
export interface SectionRuleContext {
  /** The section under review. */
  section: Section;
  /** What the rules know about it. */
  info: SectionInfo;
  /** The whole document's analysis. */
  analysis: DocumentAnalysis;
  /** The provider's options. */
  options: ResolvedRulesOptions;
}

/** What a document-level rule sees. */
export interface DocumentRuleContext {
  /** The whole document's analysis. */
  analysis: DocumentAnalysis;
  /** The provider's options. */
  options: ResolvedRulesOptions;
  /** The framework the review checks against. */
  framework: Framework;
}

/** One deterministic check: a stable category, the item it cites and how much it matters. */
export interface Rule {
  /** Kebab-case and stable: learning, patterns and options refer to it. */
  category: string;
  /** The framework item its findings cite. */
  item: ItemKey;
  /** Its findings' severity; `item-default` takes the item's `defaultSeverity` (missing items). */
  severity: Severity | 'item-default';
  /** What it checks, in one sentence. */
  about: string;
  /** Findings about one section. */
  section?(context: SectionRuleContext): RuleHit[];
  /** Findings about the whole document. */
  document?(context: DocumentRuleContext): RuleHit[];
}

/** A hit on a section, quoting `quote` (or nothing). */
export function sectionHit(
  section: Section,
  quote: Span | null,
  fields: Omit<RuleHit, 'sectionIndex' | 'quote'>,
): RuleHit {
  return { sectionIndex: section.index, quote, ...fields };
}
