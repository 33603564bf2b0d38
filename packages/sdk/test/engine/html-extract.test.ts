import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/engine/errors.js';
import { extractHtml } from '../../src/engine/extract/html.js';

function thrown(read: () => unknown): ExtractionError {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ExtractionError);
    return error as ExtractionError;
  }
  throw new Error('expected an ExtractionError');
}

const summary = (html: string) =>
  extractHtml(html).blocks.map((b) => [b.kind, b.level ?? null, b.text]);

describe('HTML extraction', () => {
  it('reads headings, paragraphs and the <title>, skipping page chrome and scripts', () => {
    const html = `<!doctype html><html><head><title>Payment API outage</title>
      <style>p { color: red }</style><script>var x = "<p>not text</p>";</script></head>
      <body><header><p>Site header</p></header><nav><a href="/">Home</a></nav>
      <h1>Incident   report</h1>
      <p>The API returned <b>errors</b> for&nbsp;42&nbsp;minutes &amp; more.<br>Second line.</p>
      <div>Loose text in a div</div>
      <noscript>Enable JavaScript</noscript><template><p>hidden</p></template>
      <h3>Timeline</h3><footer>Copyright</footer></body></html>`;
    const doc = extractHtml(html);
    expect(doc.title).toBe('Payment API outage');
    expect(doc.format).toBe('html');
    expect(summary(html)).toEqual([
      ['heading', 1, 'Incident report'],
      ['paragraph', null, 'The API returned errors for 42 minutes & more. Second line.'],
      ['paragraph', null, 'Loose text in a div'],
      ['heading', 3, 'Timeline'],
    ]);
  });

  it('ends an unclosed <head> at the first body element', () => {
    const doc = extractHtml('<html><head><meta charset="utf-8"><title>T</title><h1>Hi</h1>');
    expect(doc.blocks.map((b) => b.text)).toEqual(['Hi']);
  });

  it('uses the first h1 as title when there is no <title>', () => {
    expect(extractHtml('<h2>Intro</h2><h1>Main title</h1>').title).toBe('Main title');
    expect(extractHtml('<p>No headings</p>').title).toBeNull();
  });

  it('reads nested ordered and unordered lists with their depth', () => {
    const html = `<ul><li>Contain the incident<ol><li>Roll back</li><li><p>Verify</p></li></ol></li>
      <li>Write the report</li></ul>`;
    const doc = extractHtml(html);
    expect(doc.blocks.map((b) => [b.kind, b.level, b.ordered, b.text])).toEqual([
      ['list-item', 0, false, 'Contain the incident'],
      ['list-item', 1, true, 'Roll back'],
      ['list-item', 1, true, 'Verify'],
      ['list-item', 0, false, 'Write the report'],
    ]);
  });

  it('reads each table row as a block with its cells', () => {
    const html = `<table><tr><th>Time (UTC)</th><th>Event</th></tr>
      <tr><td>09:02</td><td><p>Alert fired</p><p>on-call paged</p></td></tr>
      <tr><td></td><td></td></tr></table><p>After the table</p>`;
    const doc = extractHtml(html);
    expect(doc.blocks.map((b) => [b.kind, b.text, b.cells ?? null])).toEqual([
      ['table-row', 'Time (UTC) | Event', ['Time (UTC)', 'Event']],
      ['table-row', '09:02 | Alert fired on-call paged', ['09:02', 'Alert fired on-call paged']],
      ['paragraph', 'After the table', null],
    ]);
  });

  it('marks an all-bold paragraph as bold and keeps the tag as style', () => {
    const doc = extractHtml('<p><strong>Root cause</strong></p><p>Partly <b>bold</b>.</p>');
    expect(doc.blocks.map((b) => [b.text, b.bold, b.style])).toEqual([
      ['Root cause', true, 'p'],
      ['Partly bold.', false, 'p'],
    ]);
  });

  it('survives malformed markup and numbers blocks in order', () => {
    const doc = extractHtml('<p>One<p>Two<div><h2>Three</div><li>Four');
    expect(doc.blocks.map((b) => [b.kind, b.text, b.anchor.block])).toEqual([
      ['paragraph', 'One', 0],
      ['paragraph', 'Two', 1],
      ['heading', 'Three', 2],
      ['list-item', 'Four', 3],
    ]);
  });

  it('refuses runaway nesting instead of slowing to a crawl', () => {
    const error = thrown(() => extractHtml('<div>'.repeat(200_000)));
    expect(error.code).toBe('document_corrupt');
    expect(error.message).toContain('1000 deep');
  });

  it('stops at the deadline', () => {
    const error = thrown(() => extractHtml('<p>late</p>', performance.now() - 1));
    expect(error.code).toBe('time_budget_exceeded');
  });
});
