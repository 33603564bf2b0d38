import { setTimeout as sleep } from 'node:timers/promises';
import type { ReviewProvider } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { createGraphLimiter } from '../../src/graph/graph-client.js';
import { sampleMarkdown, storedWatch, useAutoReview } from './harness.js';

/** The tenant's Graph budget in the test: requests started per second. */
const REQUESTS_PER_SECOND = 50;
const FILES = 200;
const NOTIFICATIONS = 500;
const BURSTS = 50;

/** Reviews at once without findings: the test is about the loop, not the review. */
const quiet: ReviewProvider = {
  id: 'quiet',
  reviewSection: async () => ({ findings: [] }),
  reviewDocument: async () => ({ findings: [] }),
};

const harness = useAutoReview({
  model: quiet,
  limiter: () => createGraphLimiter(REQUESTS_PER_SECOND, 4),
  reviewer: { concurrency: 8 },
});

/** The most of `times` (milliseconds) that fall within any window of one second. */
function mostInAnySecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while ((sorted[last] ?? 0) - (sorted[first] ?? 0) >= 1000) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}

describe('AutoReviewer under a burst', () => {
  it(`absorbs ${NOTIFICATIONS} notifications for ${FILES} new files without loss, duplicates or going over the Graph rate`, {
    timeout: 30_000,
  }, async () => {
    const { drive, reviewer, prism } = harness();
    const watch = await storedWatch(harness());
    const body = drive.notification(watch.subscriptionId, watch.clientState);
    const ids: string[] = [];
    for (let burst = 0; burst < BURSTS; burst += 1) {
      for (let i = 0; i < FILES / BURSTS; i += 1) {
        const n = ids.length + 1;
        ids.push(drive.addFile(`Incident report ${n}.md`, sampleMarkdown(n)));
      }
      for (let i = 0; i < NOTIFICATIONS / BURSTS; i += 1) {
        expect(reviewer.handleNotification({ query: {}, body }).status).toBe(202);
      }
      await sleep(30);
    }
    await reviewer.idle();

    const documents = await prism.documents.list({ limit: 100 }).toArray();
    const reviews = await prism.reviews.list({ limit: 100 }).toArray();
    expect(documents).toHaveLength(FILES);
    expect(reviews).toHaveLength(FILES);
    expect(new Set(reviews.map((review) => review.metadata.itemId))).toEqual(new Set(ids));
    expect(reviewer.stats()).toMatchObject({
      notifications: NOTIFICATIONS,
      reviewsStarted: FILES,
      failedRuns: 0,
      backgroundFailures: 0,
    });
    expect(drive.calls.length).toBeGreaterThan(2 * FILES);
    expect(mostInAnySecond(drive.calls.map((call) => call.at))).toBeLessThanOrEqual(
      REQUESTS_PER_SECOND,
    );
  });
});
