import { getBuiltInFramework } from '../../../src/engine/frameworks/load.js';
import type { ReviewableDocument, ReviewContext } from '../../../src/engine/types.js';
import type { Section } from '../../../src/schema/index.js';

/** The default framework. */
export const HAWKEYE = getBuiltInFramework('hawkeye-20');

/** A section's text that none of the rules flags. */
export const CLEAN_ROOT_CAUSE =
  'The payment gateway rejected requests after its TLS certificate expired at 09:14 UTC on ' +
  '3 March 2026, as the gateway logs show.';

/** A document made of `[heading, text]` pairs. */
export function documentOf(
  parts: [heading: string | null, text: string][],
  title: string | null = 'Payment outage review',
): ReviewableDocument {
  const sections: Section[] = parts.map(([heading, text], index) => ({
    index,
    heading,
    level: heading === null ? 0 : 2,
    text,
    anchors: [{ block: index, page: null }],
  }));
  return { title, sections };
}

/** A review context over `document` with the default framework. */
export function contextOf(document: ReviewableDocument, signal?: AbortSignal): ReviewContext {
  return { framework: HAWKEYE, document, ...(signal === undefined ? {} : { signal }) };
}

/** Section `index` of `document`. */
export function sectionOf(document: ReviewableDocument, index: number): Section {
  const section = document.sections[index];
  if (section === undefined) throw new Error(`No section ${index}.`);
  return section;
}

/** A sleep that waits for nothing and records how long it was asked to wait. */
export function recordingSleep(): { sleep: (ms: number) => Promise<void>; waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  };
}

/** The text of the first user turn of a request. */
export function userText(request: { messages: readonly unknown[] }): string {
  const first = request.messages[0] as { role: string; text?: string } | undefined;
  if (first?.role !== 'user' || first.text === undefined) throw new Error('No user text.');
  return first.text;
}
