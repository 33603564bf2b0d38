import { DEFAULT_EXTRACTION_LIMITS } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FILE_BYTES, isReviewable } from '../../src/source/reviewable.js';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

function file(name: string, size = 48_213, mimeType: string | null = null) {
  return { name, size, mimeType };
}

describe('isReviewable', () => {
  it.each([
    ['Master Services Agreement.docx', DOCX],
    ['Lease.pdf', 'application/pdf'],
    ['README.md', 'application/octet-stream'],
    ['Policy.MARKDOWN', null],
    ['notes.txt', 'text/plain'],
    ['Terms.html', 'text/html'],
    ['Terms.htm', 'text/html'],
  ])('accepts %s', (name, mimeType) => {
    expect(isReviewable(file(name, 48_213, mimeType))).toEqual({ ok: true });
  });

  it('accepts a file without an extension when its media type is one Prism reads', () => {
    expect(isReviewable(file('CHANGELOG', 2_000, 'text/plain; charset=utf-8'))).toEqual({
      ok: true,
    });
  });

  it.each([
    ['Budget.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['Kickoff.pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ['scan.png', 'image/png'],
    ['archive', 'application/zip'],
  ])('refuses %s as unsupported_format, naming the formats Prism reads', (name, mimeType) => {
    const verdict = isReviewable(file(name, 1_000, mimeType));

    expect(verdict).toMatchObject({ ok: false, reason: 'unsupported_format' });
    expect(verdict.ok === false && verdict.message).toContain('.docx');
  });

  it.each([
    ['Old Contract.doc', 'application/msword'],
    ['Letter.rtf', 'application/rtf'],
    ['Minutes.odt', 'application/vnd.oasis.opendocument.text'],
  ])('refuses %s as legacy_format, saying to save it as .docx', (name, mimeType) => {
    const verdict = isReviewable(file(name, 1_000, mimeType));

    expect(verdict).toMatchObject({ ok: false, reason: 'legacy_format' });
    expect(verdict.ok === false && verdict.message).toContain('.docx');
  });

  it("refuses a file over the limit by its size alone, by default Prism's own 25 MB", () => {
    expect(DEFAULT_MAX_FILE_BYTES).toBe(DEFAULT_EXTRACTION_LIMITS.maxFileBytes);
    expect(isReviewable(file('Big.pdf', DEFAULT_MAX_FILE_BYTES))).toEqual({ ok: true });

    const verdict = isReviewable(file('Big.pdf', DEFAULT_MAX_FILE_BYTES + 1));

    expect(verdict).toMatchObject({ ok: false, reason: 'file_too_large' });
    expect(verdict.ok === false && verdict.message).toContain('25.0 MB');
  });

  it('honours a smaller limit', () => {
    expect(
      isReviewable(file('Lease.pdf', 2 * 1024 * 1024), { maxBytes: 1024 * 1024 }),
    ).toMatchObject({
      ok: false,
      reason: 'file_too_large',
    });
  });

  it('names the format problem before the size for a large file Prism would not read anyway', () => {
    expect(isReviewable(file('Recording.mp4', 500 * 1024 * 1024, 'video/mp4'))).toMatchObject({
      reason: 'unsupported_format',
    });
  });
});
