import { describe, expect, it } from 'vitest';
import { findPatterns, type ReviewedFindings } from '../../src/engine/patterns.js';
import type { ProviderFinding } from '../../src/engine/types.js';
import { finding } from './review-fixtures.js';

function stored(id: string, overrides: Partial<ProviderFinding>) {
  return { ...finding(overrides), adjustment: null, id };
}

const vague = (id: string, title = 'Vague quantifier') => stored(id, { title });
const noTimes = (id: string) =>
  stored(id, {
    frameworkItems: [{ number: 4, key: 'timeline' }],
    category: 'timeline-missing-times',
    title: 'Timeline entry without a time',
  });
const noOwner = (id: string) =>
  stored(id, {
    frameworkItems: [{ number: 12, key: 'actions' }],
    category: 'action-without-owner',
    title: 'Action without an owner',
  });

const reviewA: ReviewedFindings = {
  documentId: 'doc-a',
  reviewId: 'rev-a',
  findings: [vague('a1'), vague('a2'), noTimes('a3')],
};
const reviewB: ReviewedFindings = {
  documentId: 'doc-b',
  reviewId: 'rev-b',
  findings: [vague('b1', 'Vague wording'), noOwner('b2'), noTimes('b3')],
};
const reviewC: ReviewedFindings = {
  documentId: 'doc-c',
  reviewId: 'rev-c',
  findings: [vague('c1'), noOwner('c2')],
};
const reviews = [reviewA, reviewB, reviewC];

describe('findPatterns', () => {
  it('groups recurring findings across documents, most widespread first', () => {
    const patterns = findPatterns(reviews);
    expect(patterns.map((p) => [p.category, p.documentCount, p.findingCount])).toEqual([
      ['vague-quantifier', 3, 4],
      ['timeline-missing-times', 2, 2],
      ['action-without-owner', 2, 2],
    ]);
    expect(patterns[0]).toEqual({
      frameworkItem: { number: 20, key: 'clarity' },
      category: 'vague-quantifier',
      title: 'Vague quantifier',
      findingCount: 4,
      documentCount: 3,
      occurrences: [
        { documentId: 'doc-a', reviewId: 'rev-a', findingIds: ['a1', 'a2'] },
        { documentId: 'doc-b', reviewId: 'rev-b', findingIds: ['b1'] },
        { documentId: 'doc-c', reviewId: 'rev-c', findingIds: ['c1'] },
      ],
    });
  });

  it('keeps only kinds seen in enough documents', () => {
    expect(findPatterns(reviews, { minDocuments: 3 }).map((p) => p.category)).toEqual([
      'vague-quantifier',
    ]);
    const single = findPatterns([reviewA]);
    expect(single).toEqual([]);
    expect(findPatterns([reviewA], { minDocuments: 1 })).toHaveLength(2);
  });

  it('counts two reviews of one document as one document', () => {
    const again = { ...reviewA, reviewId: 'rev-a2', findings: [noOwner('x1')] };
    const patterns = findPatterns([reviewA, again]);
    expect(patterns).toEqual([]);
  });

  it('finds nothing in no reviews', () => {
    expect(findPatterns([])).toEqual([]);
  });
});
