import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_EXCERPT_MAX_CHARS,
  DOCUMENT_EXCERPT_MIN_CHARS,
  documentPrompt,
  findingsTool,
  MAX_FINDINGS_PER_ANSWER,
  OUTLINE_MAX_ENTRIES,
  PROMPT_VERSION,
  sectionPrompt,
} from '../../../src/engine/providers/model/index.js';
import { CLEAN_ROOT_CAUSE, contextOf, documentOf, HAWKEYE, sectionOf } from './fixture.js';

const DOCUMENT = documentOf([
  ['Summary', 'Card payments failed for 41 minutes; service is restored.'],
  ['Root cause', CLEAN_ROOT_CAUSE],
  [null, 'Notes kept by the on-call engineer.'],
]);

describe('the prompt templates', () => {
  it('carry a dated version', () => {
    expect(PROMPT_VERSION).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+$/);
  });

  it('put the instructions, then every framework item as a cacheable prefix', () => {
    const { system } = sectionPrompt(sectionOf(DOCUMENT, 1), contextOf(DOCUMENT));
    expect(system.map((part) => part.cache)).toEqual([false, true]);
    const [instructions, framework] = system;
    expect(instructions?.text).toContain('record_findings');
    expect(instructions?.text).toContain(`At most ${MAX_FINDINGS_PER_ANSWER} findings`);
    for (const item of HAWKEYE.items) {
      expect(framework?.text).toContain(
        `#${item.number} ${item.title} (key: ${item.key}; default severity: ${item.defaultSeverity})`,
      );
      expect(framework?.text).toContain(item.checks);
    }
  });

  it('give every section of every document the same system prefix', () => {
    const other = documentOf([['Timeline', '09:14 UTC: certificate expires.']]);
    const first = sectionPrompt(sectionOf(DOCUMENT, 0), contextOf(DOCUMENT)).system;
    expect(sectionPrompt(sectionOf(DOCUMENT, 2), contextOf(DOCUMENT)).system).toEqual(first);
    expect(sectionPrompt(sectionOf(other, 0), contextOf(other)).system).toEqual(first);
  });

  it("show the document's outline and the section under review", () => {
    const prompt = sectionPrompt(sectionOf(DOCUMENT, 1), contextOf(DOCUMENT));
    expect(prompt.messages).toHaveLength(1);
    const [message] = prompt.messages;
    expect(message).toMatchObject({ role: 'user' });
    const text = message && 'text' in message ? message.text : '';
    expect(text).toContain('Document title: Payment outage review');
    expect(text).toContain('[0] Summary\n[1] Root cause   <- under review\n[2] (no heading)');
    expect(text).toContain(
      `The section under review: [1] Root cause\n<section_text>\n${CLEAN_ROOT_CAUSE}\n</section_text>`,
    );
    expect(text).not.toContain('Card payments failed');
  });

  it('are deterministic', () => {
    const context = contextOf(DOCUMENT);
    expect(sectionPrompt(sectionOf(DOCUMENT, 1), context)).toEqual(
      sectionPrompt(sectionOf(DOCUMENT, 1), context),
    );
    expect(documentPrompt(context)).toEqual(documentPrompt(context));
  });

  it('list a bounded outline around the section of a very long document', () => {
    const long = documentOf(
      Array.from({ length: 1000 }, (_, i): [string, string] => [`Part ${i}`, 'Text.']),
    );
    const text = userText(sectionPrompt(sectionOf(long, 600), contextOf(long)));
    const listed = text.match(/^\[\d+\] /gm) ?? [];
    expect(listed).toHaveLength(OUTLINE_MAX_ENTRIES);
    expect(text).toContain('[600] Part 600   <- under review');
    expect(text).toContain('(450 earlier sections not listed)');
    expect(text).toContain('(250 later sections not listed)');
  });

  it('show the document-level pass every section, each cut to a bounded length', () => {
    const long = 'The gateway retried the request. '.repeat(100);
    const document = documentOf([
      ['Summary', 'Card payments failed for 41 minutes.'],
      ['Analysis', long],
    ]);
    const prompt = documentPrompt(contextOf(document));
    const text = userText(prompt);
    expect(prompt.system.map((part) => part.cache)).toEqual([false, true]);
    expect(prompt.system[0]?.text).toContain('no section covers');
    expect(text).toContain('[0] Summary\n[1] Analysis');
    expect(text).toContain(
      '<section index="0" heading="Summary">\nCard payments failed for 41 minutes.\n</section>',
    );
    const excerpt = /<section index="1" heading="Analysis">\n(.*)\n<\/section>/.exec(text)?.[1];
    expect(excerpt).toMatch(/ \[…\d+ more characters\]$/);
    expect(excerpt?.replace(/ \[….*$/, '').length).toBeLessThanOrEqual(DOCUMENT_EXCERPT_MAX_CHARS);
  });

  it('stop showing section texts in the document-level pass once the budget is spent', () => {
    const document = documentOf(
      Array.from({ length: 30 }, (_, i): [string, string] => [`Part ${i}`, 'x'.repeat(1000)]),
    );
    const text = userText(documentPrompt(contextOf(document), 3000));
    expect(text).toContain(`each cut to at most ${DOCUMENT_EXCERPT_MIN_CHARS} characters`);
    const excerpts = [...text.matchAll(/<section index="\d+" heading="[^"]*">\n(.*)\n/g)].map(
      (match) => match[1] ?? '',
    );
    expect(excerpts.length).toBeGreaterThan(5);
    expect(excerpts.length).toBeLessThan(30);
    expect(excerpts.join('').length).toBeLessThanOrEqual(3000);
    expect(text).toContain(`The texts of the other ${30 - excerpts.length} sections are not shown`);
    expect(text).toContain('[29] Part 29');
  });
});

describe('the findings tool', () => {
  it("is the JSON Schema of the answer, allowing only the framework's item numbers", () => {
    const { tool } = findingsTool(HAWKEYE);
    expect(tool.name).toBe('record_findings');
    expect(tool.inputSchema).not.toHaveProperty('$schema');
    expect(tool.inputSchema).toMatchObject({
      type: 'object',
      required: ['findings'],
      properties: {
        findings: {
          type: 'array',
          maxItems: MAX_FINDINGS_PER_ANSWER,
          items: {
            type: 'object',
            properties: {
              frameworkItems: {
                items: { enum: HAWKEYE.items.map((item) => item.number) },
              },
              severity: { enum: ['critical', 'major', 'minor', 'info'] },
              quote: { anyOf: [{ type: 'string' }, { type: 'null' }] },
              confidence: { minimum: 0, maximum: 1 },
            },
          },
        },
      },
    });
  });
});

function userText(prompt: { messages: readonly unknown[] }): string {
  const [message] = prompt.messages as { text?: string }[];
  return message?.text ?? '';
}
