import { describe, expect, it } from 'vitest';
import { isReviewedCopyName, reviewedCopyName } from '../../src/sink/index.js';

describe('reviewedCopyName', () => {
  it.each([
    ['Contract.docx', 'Contract (Prism review).docx'],
    ['Incident report v2.pdf', 'Incident report v2 (Prism review).docx'],
    ['notes', 'notes (Prism review).docx'],
    ['.profile', '.profile (Prism review).docx'],
  ])('names the reviewed copy of %j %j', (original, copy) => {
    expect(reviewedCopyName(original)).toBe(copy);
  });

  it('recognises a reviewed copy, so it is not reviewed in turn', () => {
    expect(isReviewedCopyName(reviewedCopyName('Contract.docx'))).toBe(true);
    expect(isReviewedCopyName('Contract (PRISM REVIEW).DOCX')).toBe(true);
    expect(isReviewedCopyName('Contract.docx')).toBe(false);
  });
});
