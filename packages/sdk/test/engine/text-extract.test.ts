import { describe, expect, it } from 'vitest';
import { extractText } from '../../src/engine/extract/text.js';

const summary = (text: string) =>
  extractText(text).blocks.map((b) => [b.kind, b.level ?? null, b.ordered ?? null, b.text]);

describe('plain text extraction', () => {
  it('separates paragraphs at blank lines and joins hand-wrapped lines', () => {
    const text = [
      'The payment API returned errors for 42 minutes after a configuration',
      'change removed the connection limit on the primary database cluster.',
      '',
      'Customers could not check out.',
    ].join('\n');
    expect(summary(text)).toEqual([
      [
        'paragraph',
        null,
        null,
        'The payment API returned errors for 42 minutes after a configuration change removed the connection limit on the primary database cluster.',
      ],
      ['paragraph', null, null, 'Customers could not check out.'],
    ]);
  });

  it('keeps short title-like lines as paragraphs of their own, for heading inference', () => {
    const text = [
      'INCIDENT REPORT',
      'Owner: Sam Lee',
      '',
      'Summary',
      'The payment API returned errors for 42 minutes after a configuration',
      'change removed the connection limit.',
    ].join('\r\n');
    expect(summary(text)).toEqual([
      ['paragraph', null, null, 'INCIDENT REPORT'],
      ['paragraph', null, null, 'Owner: Sam Lee'],
      ['paragraph', null, null, 'Summary'],
      [
        'paragraph',
        null,
        null,
        'The payment API returned errors for 42 minutes after a configuration change removed the connection limit.',
      ],
    ]);
  });

  it('reads bulleted, numbered and lettered list items with their nesting', () => {
    const text = [
      'Actions:',
      '- Add a canary stage',
      '  * Owner: platform team',
      '    continued on an indented line',
      '- Alert on error rate',
      '1. First step',
      'a) Lettered step',
      '(iv) Roman step',
    ].join('\n');
    expect(summary(text)).toEqual([
      ['paragraph', null, null, 'Actions:'],
      ['list-item', 0, false, 'Add a canary stage'],
      ['list-item', 1, false, 'Owner: platform team continued on an indented line'],
      ['list-item', 0, false, 'Alert on error rate'],
      ['list-item', 0, true, 'First step'],
      ['list-item', 0, true, 'Lettered step'],
      ['list-item', 0, true, 'Roman step'],
    ]);
  });

  it('gives every block its own index as anchor, and no title', () => {
    const doc = extractText('\uFEFFFirst.\n\nSecond.\n\n\n\nThird.');
    expect(doc.title).toBeNull();
    expect(doc.pageCount).toBeNull();
    expect(doc.blocks.map((b) => [b.text, b.anchor])).toEqual([
      ['First.', { block: 0, page: null }],
      ['Second.', { block: 1, page: null }],
      ['Third.', { block: 2, page: null }],
    ]);
  });

  it('reads an empty file as no blocks', () => {
    expect(extractText('').blocks).toEqual([]);
    expect(extractText(' \n\t\n').blocks).toEqual([]);
  });
});
