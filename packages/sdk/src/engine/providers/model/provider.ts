import type { Section } from '../../../schema/index.js';
import type { ProviderFinding, ProviderReply, ReviewContext, ReviewProvider } from '../../types.js';
import { modelAnswerKey } from './answer-cache.js';
import { askForFindings, type ModelPass } from './ask.js';
import { mergeWithRules } from './merge.js';
import type { ModelClient } from './model-client.js';
import { ModelError } from './model-error.js';
import {
  type ModelProviderOptions,
  type ResolvedModelProviderOptions,
  resolveModelProviderOptions,
} from './options.js';
import {
  DOCUMENT_MIN_TEXT_BUDGET_CHARS,
  DOCUMENT_TEXT_BUDGET_CHARS,
  documentPrompt,
  PROMPT_VERSION,
  sectionPrompt,
} from './prompts.js';
import { splitRange, type TextRange } from './split.js';
import { sumUsage } from './usage.js';

/**
 * A review provider backed by a model (any {@link ModelClient}); its id is the client's.
 *
 * For each section, and once for the whole document, it asks the model for findings through
 * the `record_findings` tool (prompts of version `PROMPT_VERSION`), validates the answer
 * (one repair round when it is invalid), checks every quote against the text, and merges the
 * findings with those of the `rules` provider (see `mergeWithRules`). When the answer stays
 * invalid the rules findings stand in and the reply says why in `degraded`. Throttling,
 * unavailability and timeouts are retried with exponential backoff and jitter (honouring the
 * service's retry-after); a section the model finds too long is split in two near the middle
 * and each half reviewed (recursively, down to `MIN_SPLIT_CHARS`); the document-level pass is
 * asked again with half the text. Usage sums every call. With an answer cache, an unchanged
 * section (same client, prompt version, framework version and content) makes no call.
 *
 * @throws {ModelError} (from the review methods) for a failure that is not retryable, or still
 *   failing after the retries, so a router can fall back to another provider; the signal's
 *   reason when it aborts.
 * @throws {PrismError} `invalid_argument` (at once) for options out of range.
 */
export function createModelProvider(
  client: ModelClient,
  options: ModelProviderOptions = {},
): ReviewProvider {
  const settings = resolveModelProviderOptions(options);
  return {
    id: client.id,
    promptVersion: PROMPT_VERSION,
    async reviewSection(section: Section, context: ReviewContext): Promise<ProviderReply> {
      context.signal?.throwIfAborted();
      const key = settings.answers && modelAnswerKey(client.id, context.framework, section);
      const pass = await cached(settings, key, () =>
        askSection(client, settings, section, context),
      );
      const rules = await settings.rules.reviewSection(section, context);
      return toReply(
        mergeWithRules(pass.findings, rules.findings, () => section.text),
        pass,
      );
    },
    async reviewDocument(context: ReviewContext): Promise<ProviderReply> {
      context.signal?.throwIfAborted();
      const { document } = context;
      const key = settings.answers && modelAnswerKey(client.id, context.framework, document);
      const pass = await cached(settings, key, () =>
        askDocument(client, settings, context, DOCUMENT_TEXT_BUDGET_CHARS),
      );
      const rules = await settings.rules.reviewDocument(context);
      const wholeText = document.sections.map((section) => section.text).join('\n\n');
      const textOf = (index: number | null) =>
        index === null ? wholeText : (document.sections[index]?.text ?? '');
      return toReply(mergeWithRules(pass.findings, rules.findings, textOf), pass);
    },
  };
}

/** The model's pass from the answer cache, or asked for and stored unless degraded. */
async function cached(
  settings: ResolvedModelProviderOptions,
  key: string | undefined,
  ask: () => Promise<ModelPass>,
): Promise<ModelPass> {
  const answers = settings.answers;
  if (answers === undefined || key === undefined) return ask();
  const hit = await answers.get(key);
  if (hit !== undefined && hit.degraded === undefined) {
    return { findings: hit.findings, usages: [] };
  }
  const pass = await ask();
  if (pass.degraded === undefined) {
    const usage = sumUsage(pass.usages);
    await answers.set(key, { findings: pass.findings, ...(usage === undefined ? {} : { usage }) });
  }
  return pass;
}

/** The model's findings on a section (or a part of it), split in two while it is too long. */
async function askSection(
  client: ModelClient,
  settings: ResolvedModelProviderOptions,
  section: Section,
  context: ReviewContext,
  part?: TextRange,
): Promise<ModelPass> {
  const name = sectionLabel(section);
  try {
    return await askForFindings({
      client,
      prompt: sectionPrompt(section, context, part),
      framework: context.framework,
      target: { sectionIndex: section.index, texts: [section.text] },
      label: part === undefined ? name : `${name}, characters ${part.start}-${part.end}`,
      settings,
      signal: context.signal,
    });
  } catch (error) {
    if (!isTooLong(error)) throw error;
    const halves = splitRange(section.text, part ?? { start: 0, end: section.text.length });
    if (halves === null) throw error;
    const passes: ModelPass[] = [];
    for (const half of halves) {
      passes.push(await askSection(client, settings, section, context, half));
    }
    return combine(passes);
  }
}

/** The model's document-level findings, asked again with half the text while it is too long. */
async function askDocument(
  client: ModelClient,
  settings: ResolvedModelProviderOptions,
  context: ReviewContext,
  textBudgetChars: number,
): Promise<ModelPass> {
  try {
    return await askForFindings({
      client,
      prompt: documentPrompt(context, textBudgetChars),
      framework: context.framework,
      target: { sectionIndex: null, texts: context.document.sections.map((s) => s.text) },
      label: 'the document',
      settings,
      signal: context.signal,
    });
  } catch (error) {
    const smaller = Math.floor(textBudgetChars / 2);
    if (!isTooLong(error) || smaller < DOCUMENT_MIN_TEXT_BUDGET_CHARS) throw error;
    return askDocument(client, settings, context, smaller);
  }
}

/** `section 3 ("Root cause")`, or `section 3` without a heading. */
function sectionLabel(section: Section): string {
  const heading = section.heading === null ? '' : ` (${JSON.stringify(section.heading)})`;
  return `section ${section.index}${heading}`;
}

function isTooLong(error: unknown): error is ModelError {
  return error instanceof ModelError && error.code === 'model_input_too_long';
}

function combine(passes: readonly ModelPass[]): ModelPass {
  const reasons = passes.flatMap((pass) => (pass.degraded === undefined ? [] : [pass.degraded]));
  return {
    findings: passes.flatMap((pass) => pass.findings),
    usages: passes.flatMap((pass) => pass.usages),
    ...(reasons.length === 0 ? {} : { degraded: reasons.join(' ') }),
  };
}

function toReply(findings: ProviderFinding[], pass: ModelPass): ProviderReply {
  const usage = sumUsage(pass.usages);
  return {
    findings,
    ...(usage === undefined ? {} : { usage }),
    ...(pass.degraded === undefined ? {} : { degraded: pass.degraded }),
  };
}
