import { Prism } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import {
  AutoReviewer,
  type AutoReviewerOptions,
  MemoryWatchStore,
} from '../../src/auto-review/index.js';
import { MemorySeenVersions } from '../../src/watch/versions.js';

function options(changes: Partial<AutoReviewerOptions>): AutoReviewerOptions {
  return {
    prismFor: () => Prism.local(),
    graphFor: () => {
      throw new Error('no Graph in this test');
    },
    store: new MemoryWatchStore(),
    seenFor: () => new MemorySeenVersions(),
    publicBaseUrl: 'https://prism.contoso.com',
    notificationUrl: 'https://prism.contoso.com/hooks/graph/sharepoint',
    ...changes,
  };
}

describe('new AutoReviewer()', () => {
  it.each([
    ['a concurrency of 0', { concurrency: 0 }, /concurrency/],
    ['a fractional concurrency', { concurrency: 1.5 }, /concurrency/],
    ['a public URL that is not one', { publicBaseUrl: 'prism.contoso.com' }, /publicBaseUrl/],
    ['a negative renewal margin', { renewalMarginMs: -1 }, /renewalMarginMs/],
  ])('refuses %s', (_name, change, message) => {
    expect(() => new AutoReviewer(options(change))).toThrow(
      expect.objectContaining({
        code: 'invalid_auto_review_option',
        message: expect.stringMatching(message),
      }),
    );
  });

  it('reports a watch the store does not have', async () => {
    const reviewer = new AutoReviewer(options({}));
    await expect(reviewer.processWatch('wat_gone')).rejects.toMatchObject({
      code: 'watch_not_found',
      hint: expect.any(String),
    });
  });
});
