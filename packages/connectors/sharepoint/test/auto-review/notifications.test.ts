import { describe, expect, it } from 'vitest';
import { DELTA_URL } from './fake-drive.js';
import { notifyChange, sampleMarkdown, storedWatch, useAutoReview } from './harness.js';

const harness = useAutoReview();

/** Graph's validation request token, as it appears (URL-encoded) in the query. */
const ENCODED_TOKEN =
  'Validation%3a+Testing+client+application+reachability+for+subscription+Request-Id%3a+7a3ce0f0-0e4e-4cde-97a9-5bdc2ba1a8f1';
const TOKEN =
  'Validation: Testing client application reachability for subscription Request-Id: 7a3ce0f0-0e4e-4cde-97a9-5bdc2ba1a8f1';

function deltaCalls(): number {
  return harness().drive.calls.filter((call) => call.url.startsWith(DELTA_URL)).length;
}

describe('AutoReviewer.handleNotification', () => {
  it("echoes Graph's validation token as text/plain at once, touching nothing", async () => {
    const { reviewer, drive } = harness();
    const calls = drive.calls.length;

    const reply = reviewer.handleNotification({
      query: `?validationToken=${ENCODED_TOKEN}`,
      body: '',
    });

    expect(reply).toEqual({ status: 200, contentType: 'text/plain', body: TOKEN });
    await reviewer.idle();
    expect(drive.calls).toHaveLength(calls);
    expect(reviewer.stats().notifications).toBe(0);
  });

  it('answers 202 before any work is done, then runs the watch', async () => {
    const { reviewer, drive, prism } = harness();
    drive.addFile('Supply agreement.md', sampleMarkdown(1));
    const watch = await storedWatch(harness());
    const before = deltaCalls();

    const reply = reviewer.handleNotification({
      query: {},
      body: JSON.stringify(drive.notification(watch.subscriptionId, watch.clientState)),
    });

    expect(reply).toEqual({ status: 202 });
    expect(deltaCalls()).toBe(before);
    await reviewer.idle();
    expect(deltaCalls()).toBe(before + 1);
    expect((await prism.reviews.list()).data).toHaveLength(1);
  });

  it('ignores and counts notifications with a wrong clientState or an unknown subscription', async () => {
    const { reviewer, drive, prism } = harness();
    drive.addFile('Supply agreement.md', sampleMarkdown(1));
    const watch = await storedWatch(harness());
    const before = deltaCalls();

    const forged = reviewer.handleNotification({
      query: {},
      body: drive.notification(watch.subscriptionId, 'not-the-secret'),
    });
    const stale = reviewer.handleNotification({
      query: {},
      body: drive.notification('0f2cbd6f-76f4-45a5-9c0b-3a1e3ad1c2a0', watch.clientState),
    });
    await reviewer.idle();

    expect([forged.status, stale.status]).toEqual([202, 202]);
    expect(deltaCalls()).toBe(before);
    expect((await prism.documents.list()).data).toHaveLength(0);
    expect(reviewer.stats()).toMatchObject({
      notifications: 2,
      runs: 0,
      rejected: { client_state_mismatch: 1, unknown_subscription: 1 },
    });
  });

  it('refuses a body that is not a notification collection with 400', () => {
    const { reviewer } = harness();
    const reply = reviewer.handleNotification({ query: {}, body: '<html>hello</html>' });
    expect(reply).toMatchObject({ status: 400, contentType: 'text/plain' });
    expect(reviewer.stats().rejected.malformed).toBe(1);
  });
});

describe('AutoReviewer lifecycle notifications', () => {
  it('renews the subscription on reauthorizationRequired', async () => {
    const { reviewer, drive, store } = harness();
    const watch = await storedWatch(harness());
    drive.subscriptions.set(watch.subscriptionId, {
      expirationDateTime: '2024-05-31T12:00:00.000Z',
      clientState: watch.clientState,
    });
    await store.saveSubscription(watch.id, {
      ...watch,
      expirationDateTime: '2024-05-31T12:00:00.000Z',
    });

    reviewer.handleNotification({
      query: {},
      body: drive.lifecycleNotification(
        watch.subscriptionId,
        watch.clientState,
        'reauthorizationRequired',
      ),
    });
    await reviewer.idle();

    const renewed = await storedWatch(harness());
    const patches = drive.calls.filter((call) => call.method === 'PATCH');
    expect(patches.map((call) => new URL(call.url).pathname)).toEqual([
      `/v1.0/subscriptions/${watch.subscriptionId}`,
    ]);
    expect(renewed.subscriptionId).toBe(watch.subscriptionId);
    expect(renewed.clientState).toBe(watch.clientState);
    expect(renewed.expirationDateTime).not.toBe('2024-05-31T12:00:00.000Z');
    expect(renewed.expirationDateTime).toBe(
      drive.subscriptions.get(watch.subscriptionId)?.expirationDateTime,
    );
    expect(reviewer.stats().lifecycle.reauthorizationRequired).toBe(1);
  });

  it('recreates a removed subscription with a new secret, then catches up on changes', async () => {
    const { reviewer, drive, prism } = harness();
    const watch = await storedWatch(harness());
    drive.subscriptions.delete(watch.subscriptionId);
    drive.addFile('Supply agreement.md', sampleMarkdown(1));

    reviewer.handleNotification({
      query: {},
      body: drive.lifecycleNotification(
        watch.subscriptionId,
        watch.clientState,
        'subscriptionRemoved',
      ),
    });
    await reviewer.idle();

    const recreated = await storedWatch(harness());
    expect(recreated.subscriptionId).not.toBe(watch.subscriptionId);
    expect(recreated.clientState).not.toBe(watch.clientState);
    expect(drive.subscriptions.get(recreated.subscriptionId)?.clientState).toBe(
      recreated.clientState,
    );
    expect((await prism.reviews.list()).data).toHaveLength(1);

    // The old subscription's notifications are not taken any more; the new one's are.
    reviewer.handleNotification({
      query: {},
      body: drive.notification(watch.subscriptionId, watch.clientState),
    });
    await notifyChange(harness());
    await reviewer.idle();
    expect(reviewer.stats()).toMatchObject({
      lifecycle: { subscriptionRemoved: 1 },
      rejected: { unknown_subscription: 1 },
      runs: 2,
    });
  });

  it('runs the watch on missed', async () => {
    const { reviewer, drive, prism } = harness();
    const watch = await storedWatch(harness());
    drive.addFile('Supply agreement.md', sampleMarkdown(1));

    reviewer.handleNotification({
      query: {},
      body: drive.lifecycleNotification(watch.subscriptionId, watch.clientState, 'missed'),
    });
    await reviewer.idle();

    expect((await prism.reviews.list()).data).toHaveLength(1);
    expect(reviewer.stats()).toMatchObject({ lifecycle: { missed: 1 }, runs: 1 });
  });
});
