import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import mammoth from 'mammoth';
import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/engine/errors.js';
import { addDocxComments, type DocxComment } from '../../src/engine/export/docx-comments.js';
import { extractDocx } from '../../src/engine/extract/docx.js';
import {
  type Block,
  DEFAULT_EXTRACTION_LIMITS,
  type ExtractedDocument,
} from '../../src/engine/types.js';
import { LABELLED_DOCS, makeDocx, paragraph, REAL_DOCS } from './docx-fixture.js';

function extract(bytes: Uint8Array): ExtractedDocument {
  return extractDocx(bytes, DEFAULT_EXTRACTION_LIMITS, performance.now() + 30_000);
}

interface ReadComment {
  id: string;
  author: string;
  initials: string;
  text: string;
}

/** Opens a .docx with mammoth (an independent reader) and returns the comments it finds. */
async function commentsSeenByMammoth(
  bytes: Uint8Array,
): Promise<{ comments: ReadComment[]; html: string }> {
  const comments: ReadComment[] = [];
  const result = await mammoth.convertToHtml(
    { buffer: Buffer.from(bytes) },
    {
      styleMap: ['comment-reference => sup'],
      transformDocument: (document) => {
        for (const comment of document.comments) {
          comments.push({
            id: comment.commentId,
            author: comment.authorName,
            initials: comment.authorInitials,
            text: comment.body.map(plainText).join('\n'),
          });
        }
        return document;
      },
    },
  );
  return { comments, html: result.value };
}

interface MammothNode {
  type: string;
  value?: string;
  children?: MammothNode[];
}

function plainText(node: MammothNode): string {
  return node.type === 'text' ? (node.value ?? '') : (node.children ?? []).map(plainText).join('');
}

/** The text between a comment's range markers in the main document part. */
function commentedText(bytes: Uint8Array, id: number): string {
  const xml = strFromU8(unzipSync(bytes)['word/document.xml'] as Uint8Array);
  const start = xml.indexOf(`<w:commentRangeStart w:id="${id}"/>`);
  const end = xml.indexOf(`<w:commentRangeEnd w:id="${id}"/>`);
  expect(start).toBeGreaterThanOrEqual(0);
  expect(end).toBeGreaterThan(start);
  return xml
    .slice(start, end)
    .replace(/<w:delText>.*?<\/w:delText>/g, '')
    .replace(/<[^>]+>/g, '')
    .replace(/&amp;/g, '&');
}

function commentFor(block: Block, quote: string | null, number: number): DocxComment {
  return {
    block: block.anchor.block,
    quote,
    author: 'Prism',
    text: `Finding ${number}: check this & fix <it>\nSuggestion: say more.\nHawkeye #${number}`,
  };
}

describe('writing findings into a .docx as native Word comments', () => {
  const original = readFileSync(join(LABELLED_DOCS, 'dev-01-api-gateway-outage.docx'));
  const extracted = extract(original);
  const prose = extracted.blocks.find(
    (block) => block.kind === 'paragraph' && block.text.length > 80,
  );
  const heading = extracted.blocks.find((block) => block.kind === 'heading');
  const row = extracted.blocks.find((block) => block.kind === 'table-row');
  if (!prose || !heading || !row) throw new Error('dev-01 lacks the blocks this test needs');
  const quote = prose.text.split(' ').slice(3, 9).join(' ');
  const comments = [
    commentFor(prose, quote, 1),
    commentFor(heading, heading.text, 2),
    commentFor(row, null, 3),
    commentFor(prose, 'text that is not in the paragraph', 4),
  ];
  const commented = addDocxComments(original, comments);

  it('adds comments an independent reader finds, with their author and every line of text', async () => {
    const { comments: found, html } = await commentsSeenByMammoth(commented);
    const ours = found.filter((comment) => comment.author === 'Prism');
    expect(ours.map((comment) => comment.text)).toEqual(comments.map((comment) => comment.text));
    expect(ours.every((comment) => comment.initials === 'P')).toBe(true);
    expect(new Set(found.map((comment) => comment.id)).size).toBe(found.length);
    for (const comment of ours) expect(html).toContain(`id="comment-ref-${comment.id}"`);
  });

  it('anchors on the quoted text when a run holds it, else on the paragraph', async () => {
    const { comments: found } = await commentsSeenByMammoth(commented);
    const ids = found
      .filter((comment) => comment.author === 'Prism')
      .map((comment) => Number(comment.id));
    expect(commentedText(commented, ids[0] as number)).toBe(quote);
    expect(commentedText(commented, ids[1] as number)).toBe(heading.text);
    expect(commentedText(commented, ids[2] as number).trim()).toBe(row.cells?.[0]);
    expect(commentedText(commented, ids[3] as number)).toBe(prose.text);
  });

  it('keeps the body text and every other part of the package unchanged', () => {
    expect(extract(commented)).toEqual(extracted);
    const before = unzipSync(original);
    const after = unzipSync(commented);
    const edited = [
      'word/document.xml',
      'word/comments.xml',
      '[Content_Types].xml',
      'word/_rels/document.xml.rels',
    ];
    for (const [name, content] of Object.entries(before)) {
      if (edited.includes(name)) continue;
      expect(Buffer.compare(Buffer.from(content), Buffer.from(after[name] ?? []))).toBe(0);
    }
    expect(Object.keys(after).sort()).toEqual(
      [...new Set([...Object.keys(before), 'word/comments.xml'])].sort(),
    );
  });

  it('appends to a document that already has comments, keeping them and their ids', async () => {
    const withComments = readFileSync(join(REAL_DOCS, 'mammoth-comments.docx'));
    const document = extract(withComments);
    const block = document.blocks[0] as Block;
    const bytes = addDocxComments(withComments, [commentFor(block, 'Ouch', 1)]);
    const { comments: found } = await commentsSeenByMammoth(bytes);
    expect(found.map((comment) => [comment.author, comment.text])).toEqual([
      ['Michael Williamson', 'A tachyon walks into a bar.'],
      ['Michael Williamson', 'Fin.'],
      ['Prism', comments[0]?.text],
    ]);
    expect(Number(found[2]?.id)).toBeGreaterThan(2);
    expect(commentedText(bytes, Number(found[2]?.id))).toBe('Ouch');
    expect(extract(bytes)).toEqual(document);
  });

  it('creates the comments part, its relationship and content type when missing', async () => {
    for (const name of ['mammoth-tables.docx', 'mammoth-strict-format.docx']) {
      const bytes = readFileSync(join(REAL_DOCS, name));
      const document = extract(bytes);
      const commentedCopy = addDocxComments(
        bytes,
        document.blocks.map((block, index) => commentFor(block, null, index + 1)),
      );
      const parts = unzipSync(commentedCopy);
      expect(strFromU8(parts['[Content_Types].xml'] as Uint8Array)).toContain(
        'PartName="/word/comments.xml"',
      );
      expect(strFromU8(parts['word/_rels/document.xml.rels'] as Uint8Array)).toMatch(
        /relationships\/comments" Target="comments\.xml"/,
      );
      const { comments: found } = await commentsSeenByMammoth(commentedCopy);
      expect(found).toHaveLength(document.blocks.length);
      expect(extract(commentedCopy)).toEqual(document);
    }
  });

  it('comments on empty and multi-run paragraphs', async () => {
    const body =
      '<w:p/>' +
      '<w:p><w:r><w:t xml:space="preserve">Root cause: </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>expired certificate</w:t></w:r></w:p>' +
      paragraph('Plain.');
    const bytes = makeDocx({ body });
    const commentedCopy = addDocxComments(bytes, [
      { block: 0, quote: null, author: 'Prism', text: 'Empty paragraph.' },
      { block: 1, quote: 'cause: expired', author: 'Prism', initials: 'PR', text: 'Spans runs.' },
    ]);
    const { comments: found } = await commentsSeenByMammoth(commentedCopy);
    expect(found.map((comment) => [comment.text, comment.initials])).toEqual([
      ['Empty paragraph.', 'P'],
      ['Spans runs.', 'PR'],
    ]);
    expect(commentedText(commentedCopy, 0)).toBe('');
    expect(commentedText(commentedCopy, 1)).toBe('Root cause: expired certificate');
    expect(extract(commentedCopy)).toEqual(extract(bytes));
  });

  it('still places comments whose paragraph does not exist, or in a document with no paragraph', async () => {
    const pastTheEnd = addDocxComments(original, [
      { ...commentFor(prose, quote, 1), block: 100_000 },
    ]);
    const [last] = (await commentsSeenByMammoth(pastTheEnd)).comments.filter(
      (comment) => comment.author === 'Prism',
    );
    expect(last?.text).toBe(comments[0]?.text);

    const empty = readFileSync(join(REAL_DOCS, 'python-docx-default.docx'));
    const bytes = addDocxComments(empty, [
      { block: 0, quote: null, author: 'Prism', text: 'No investigation content.' },
    ]);
    const { comments: found } = await commentsSeenByMammoth(bytes);
    expect(found.map((comment) => comment.text)).toEqual(['No investigation content.']);
    expect(extract(bytes)).toEqual(extract(empty));
  });

  it('returns the document unchanged when there is nothing to add, and refuses a non-docx', () => {
    expect(addDocxComments(original, [])).toBe(original);
    expect(() =>
      addDocxComments(new TextEncoder().encode('not a zip'), [commentFor(prose, null, 1)]),
    ).toThrow(ExtractionError);
  });
});
