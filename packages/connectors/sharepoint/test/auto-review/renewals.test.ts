import { http } from 'msw';
import { describe, expect, it } from 'vitest';
import type { SharePointWatch } from '../../src/auto-review/index.js';
import { GRAPH, graphError } from '../watch/fixtures.js';
import { sampleMarkdown, storedWatch, useAutoReview } from './harness.js';

const harness = useAutoReview();
const HOUR = 3_600_000;

/** Adds a watch of the same folder with its own subscription, expiring at `expiresAt`. */
function addWatch(id: string, expiresAt: Date, subscriptionId: string): SharePointWatch {
  const { store, drive, watch } = harness();
  const added: SharePointWatch = {
    ...watch,
    id,
    subscriptionId,
    clientState: `${id}-secret`,
    expirationDateTime: expiresAt.toISOString(),
    deltaLink: drive.latestDeltaLink(),
  };
  store.put(added);
  drive.subscriptions.set(subscriptionId, {
    expirationDateTime: added.expirationDateTime,
    clientState: added.clientState,
  });
  return added;
}

describe('AutoReviewer.renewDue', () => {
  it('renews what expires within the margin, recreates what Graph lost, and leaves the rest', async () => {
    const { reviewer, drive, store, prism } = harness();
    const now = new Date();
    const first = await storedWatch(harness());
    await store.saveSubscription(first.id, {
      ...first,
      expirationDateTime: new Date(now.getTime() + 2 * HOUR).toISOString(),
    });
    const later = addWatch('wat_later', new Date(now.getTime() + 10 * 24 * HOUR), 'sub-later');
    const lost = addWatch('wat_lost', new Date(now.getTime() + HOUR), 'sub-lost');
    drive.subscriptions.delete(lost.subscriptionId);
    drive.addFile('Supply agreement.md', sampleMarkdown(1));

    const outcomes = await reviewer.renewDue(now);
    await reviewer.idle();

    const byWatch = new Map(outcomes.map((outcome) => [outcome.watchId, outcome]));
    expect(byWatch.size).toBe(2);
    expect(byWatch.get(first.id)).toMatchObject({ status: 'renewed' });
    expect((await storedWatch(harness())).expirationDateTime).toBe(
      drive.subscriptions.get(first.subscriptionId)?.expirationDateTime,
    );
    const recreated = await store.get(lost.id);
    expect(byWatch.get(lost.id)).toEqual({
      status: 'recreated',
      watchId: lost.id,
      subscriptionId: recreated?.subscriptionId,
      expirationDateTime: recreated?.expirationDateTime,
    });
    expect(recreated?.clientState).not.toBe(lost.clientState);
    expect(await store.get(later.id)).toEqual(later);
    // The recreated watch caught up on the change made while it had no subscription.
    const reviews = (await prism.reviews.list()).data;
    expect(reviews.map((review) => review.metadata.watchId)).toEqual([lost.id]);
  });

  it('reports a failed renewal in its outcome and renews the others', async () => {
    const { reviewer, store, server } = harness();
    const now = new Date();
    const first = await storedWatch(harness());
    await store.saveSubscription(first.id, {
      ...first,
      expirationDateTime: new Date(now.getTime() + HOUR).toISOString(),
    });
    const denied = addWatch('wat_denied', new Date(now.getTime() + HOUR), 'sub-denied');
    server.use(
      http.patch(`${GRAPH}/subscriptions/${denied.subscriptionId}`, () =>
        graphError(403, 'ExtensionError', 'Operation: Update; Exception: [Status Code: Forbidden]'),
      ),
    );

    const outcomes = await reviewer.renewDue(now);

    expect(outcomes.map((outcome) => [outcome.watchId, outcome.status]).sort()).toEqual([
      [first.id, 'renewed'],
      [denied.id, 'failed'],
    ]);
    const failed = outcomes.find((outcome) => outcome.status === 'failed');
    expect(failed).toMatchObject({ error: { code: 'access_denied' } });
  });
});
