import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/engine/errors.js';
import { extractMarkdown } from '../../src/engine/extract/markdown.js';
import { splitSections } from '../../src/engine/sections.js';
import type { Block, ExtractedDocument } from '../../src/engine/types.js';

function doc(blocks: Omit<Block, 'anchor'>[], title: string | null = null): ExtractedDocument {
  const anchored = blocks.map((block, i) => ({ ...block, anchor: { block: i, page: null } }));
  return { format: 'text', title, blocks: anchored, pageCount: null };
}

const para = (text: string, extra: Partial<Block> = {}) => ({
  kind: 'paragraph' as const,
  text,
  ...extra,
});

describe('markdown extraction', () => {
  it('reads headings, lists with depth, tables and inline markup as plain text', () => {
    const md = [
      '# Incident report',
      '',
      'Some **bold** and `code` and a [link](https://example.com) &amp; more.',
      '',
      '## Actions',
      '',
      '1. First',
      '   - nested',
      '2. Second',
      '',
      '| Action | Owner |',
      '|---|---|',
      '| Fix it | SRE lead |',
    ].join('\n');
    const extracted = extractMarkdown(md);
    expect(extracted.title).toBe('Incident report');
    expect(extracted.blocks.map((b) => [b.kind, b.level ?? null, b.text])).toEqual([
      ['heading', 1, 'Incident report'],
      ['paragraph', null, 'Some bold and code and a link & more.'],
      ['heading', 2, 'Actions'],
      ['list-item', 0, 'First'],
      ['list-item', 1, 'nested'],
      ['list-item', 0, 'Second'],
      ['table-row', null, 'Action | Owner'],
      ['table-row', null, 'Fix it | SRE lead'],
    ]);
    expect(extracted.blocks.map((b) => b.anchor.block)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('splitSections', () => {
  it('starts a section at each heading and drops the title heading', () => {
    const md =
      '# Title\n\n## Summary\n\nWhat happened.\n\n## Timeline\n\n- 09:00 UTC start\n- 09:05 UTC end';
    const { title, sections } = splitSections(extractMarkdown(md));
    expect(title).toBe('Title');
    expect(sections.map((s) => [s.index, s.heading, s.level, s.text])).toEqual([
      [0, 'Summary', 2, 'What happened.'],
      [1, 'Timeline', 2, '- 09:00 UTC start\n- 09:05 UTC end'],
    ]);
    expect(sections[1]?.anchors).toEqual([
      { block: 4, page: null },
      { block: 5, page: null },
    ]);
  });

  it('recognises numbered, ALL-CAPS, bold and colon headings in plain paragraphs', () => {
    const { sections } = splitSections(
      doc([
        para('2.1 Root cause'),
        para('A config change removed the limit.'),
        para('CONTRIBUTING FACTORS'),
        para('No canary stage existed.'),
        para('Lessons learned', { bold: true }),
        para('We got lucky with timing.'),
        para('Next steps:'),
        para('Add a canary stage.'),
      ]),
    );
    expect(sections.map((s) => [s.heading, s.level])).toEqual([
      ['2.1 Root cause', 2],
      ['CONTRIBUTING FACTORS', 2],
      ['Lessons learned', 2],
      ['Next steps', 3],
    ]);
  });

  it('does not take sentences, long lines or ordinary capitalised words for headings', () => {
    const { sections } = splitSections(
      doc([
        para('Summary'),
        para('The API failed.'),
        para('NASA said so.'),
        para('3 servers were restarted and the queue drained within the hour'),
      ]),
    );
    expect(sections).toHaveLength(1);
  });

  it('infers headings from a larger font than the body text', () => {
    const { sections } = splitSections(
      doc([
        para('Background', { fontSize: 16 }),
        para('The warehouse runs two shifts and uses reach trucks.', { fontSize: 11 }),
        para('Impact', { fontSize: 16 }),
        para('Two people were hurt and picking stopped for six hours.', { fontSize: 11 }),
      ]),
    );
    expect(sections.map((s) => s.heading)).toEqual(['Background', 'Impact']);
  });

  it('groups heading-free prose into paragraph groups', () => {
    const paragraph = 'A sentence of investigation prose that goes on for a while. '.repeat(10);
    const { sections } = splitSections(
      doc([para(paragraph), para(paragraph), para(paragraph), para(paragraph)]),
      { proseGroupChars: 1000 },
    );
    expect(sections.length).toBe(2);
    expect(sections.every((s) => s.heading === null && s.level === 0)).toBe(true);
  });

  it('splits a long section at block boundaries and keeps its heading', () => {
    const paragraph = 'x'.repeat(400);
    const { sections } = splitSections(
      doc([{ kind: 'heading', level: 2, text: 'Evidence' }, ...Array(10).fill(para(paragraph))]),
      { maxSectionChars: 1000 },
    );
    expect(sections.length).toBeGreaterThan(3);
    expect(sections.every((s) => s.heading === 'Evidence' && s.text.length <= 1000)).toBe(true);
  });

  it('merges a tiny heading-less fragment into the section before it', () => {
    const paragraph =
      'A long enough paragraph of prose that makes a real section by itself. '.repeat(25);
    const { sections } = splitSections(doc([para(paragraph), para(paragraph), para('Signed.')]), {
      proseGroupChars: 1500,
    });
    expect(sections.at(-1)?.text.endsWith('Signed.')).toBe(true);
    expect(sections.some((s) => s.text === 'Signed.')).toBe(false);
  });

  it('keeps an empty section that has a heading of its own', () => {
    const { sections } = splitSections(
      extractMarkdown('## Summary\n\nText.\n\n## Lessons learned\n'),
    );
    expect(sections.map((s) => [s.heading, s.text])).toEqual([
      ['Summary', 'Text.'],
      ['Lessons learned', ''],
    ]);
  });

  it('refuses more sections than the limit with a typed error', () => {
    const md = Array.from({ length: 20 }, (_, i) => `## Part ${i}\n\nText ${i}.`).join('\n\n');
    const error = (() => {
      try {
        splitSections(extractMarkdown(md), { maxSections: 10 });
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ExtractionError);
    expect(error).toMatchObject({ code: 'too_many_sections' });
    expect((error as ExtractionError).hint).toMatch(/maxSections/);
  });
});

describe('markdown limits', () => {
  it.each([
    [
      'nested lists',
      Array.from({ length: 2000 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n'),
    ],
    ['nested quotes', `${'>'.repeat(5000)} deep`],
  ])('refuses pathological %s quickly with a typed error', (_name, text) => {
    expect(() => extractMarkdown(text)).toThrow(
      expect.objectContaining({
        code: 'document_corrupt',
        hint: expect.stringContaining('Flatten'),
      }),
    );
  });

  it('reads ordinary nesting', () => {
    const text = Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}- item ${i}`).join('\n');
    expect(extractMarkdown(text).blocks.map((b) => b.level)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
  });
});

describe('parent headings', () => {
  it('prefix the subsections of a heading that has no text of its own', () => {
    const md =
      '# Report\n\n## Containment\n\n### At the plant\n\nQuarantined 400 parts.\n\n### At the customer\n\nSorted stock.\n\n## Root cause\n\nWet resin.';
    const { sections } = splitSections(extractMarkdown(md));
    expect(sections.map((s) => s.heading)).toEqual([
      'Containment / At the plant',
      'Containment / At the customer',
      'Root cause',
    ]);
  });
});
