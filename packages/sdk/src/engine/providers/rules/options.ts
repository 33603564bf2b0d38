import { PrismError, type PrismErrorOptions } from '../../../errors.js';
import type { Severity } from '../../../schema/index.js';
import { COMMON_ACRONYMS } from './acronym-list.js';
import { DEFAULT_VAGUE_WORDS } from './vague-words.js';

/** How the `rules` provider is configured; every field is optional. */
export interface RulesProviderOptions {
  /** Rule categories to switch off, e.g. `['vague-quantifier', 'undefined-acronym']`. */
  disable?: string[];
  /** A severity per category that replaces the rule's own, e.g. `{ 'undefined-acronym': 'info' }`. */
  severity?: Record<string, Severity>;
  /** The vague words and phrases to flag, replacing the built-in list. */
  vagueWords?: string[];
  /** Vague words and phrases to flag in addition to the list in use. */
  extraVagueWords?: string[];
  /** Acronyms that need no definition, in addition to the common ones (PDF, URL, UTC, CEO...). */
  allowedAcronyms?: string[];
}

/** The options with defaults applied. */
export interface ResolvedRulesOptions {
  /** Categories switched off. */
  disabled: ReadonlySet<string>;
  /** Severities that replace the rules' own, by category. */
  severity: ReadonlyMap<string, Severity>;
  /** The vague words and phrases to flag, lower-case. */
  vagueWords: readonly string[];
  /** Acronyms that need no definition, upper-case. */
  allowedAcronyms: ReadonlySet<string>;
}

/** Options that name a rule category the provider does not have. */
export class RulesOptionsError extends PrismError {
  declare readonly code: 'invalid_rules_options';

  constructor(message: string, options: PrismErrorOptions = {}) {
    super('invalid_rules_options', message, options);
  }
}

/**
 * Applies the defaults and checks every category named exists.
 *
 * @throws {RulesOptionsError} for an unknown category, listing the known ones.
 */
export function resolveRulesOptions(
  options: RulesProviderOptions,
  categories: readonly string[],
): ResolvedRulesOptions {
  const known = new Set(categories);
  const named = [...(options.disable ?? []), ...Object.keys(options.severity ?? {})];
  const unknown = [...new Set(named.filter((category) => !known.has(category)))];
  if (unknown.length > 0) {
    throw new RulesOptionsError(`Unknown rule categories: ${unknown.join(', ')}.`, {
      hint: `Use one of: ${[...known].sort().join(', ')}.`,
    });
  }
  const severities = new Set<string>(['critical', 'major', 'minor', 'info']);
  const bad = Object.entries(options.severity ?? {}).filter(([, value]) => !severities.has(value));
  if (bad.length > 0) {
    throw new RulesOptionsError(
      `Invalid severities: ${bad.map(([category, value]) => `${category}: ${String(value)}`).join(', ')}.`,
      { hint: 'A severity is one of critical, major, minor or info.' },
    );
  }
  const vague = [
    ...(options.vagueWords ?? DEFAULT_VAGUE_WORDS),
    ...(options.extraVagueWords ?? []),
  ];
  return {
    disabled: new Set(options.disable ?? []),
    severity: new Map(Object.entries(options.severity ?? {})),
    vagueWords: [...new Set(vague.map((word) => word.trim().toLowerCase()).filter(Boolean))],
    allowedAcronyms: new Set([
      ...COMMON_ACRONYMS,
      ...(options.allowedAcronyms ?? []).map((word) => word.trim().toUpperCase()),
    ]),
  };
}
