import { http } from 'msw';
import { beforeEach, describe, expect, it } from 'vitest';
import type { BackgroundTask } from '../../src/auto-review/index.js';
import { GRAPH, graphError } from '../watch/fixtures.js';
import { DELTA_URL, DRIVE_ID } from './fake-drive.js';
import { notifyChange, sampleMarkdown, storedWatch, useAutoReview } from './harness.js';

const failures: { error: unknown; task: BackgroundTask }[] = [];
const harness = useAutoReview({
  reviewer: { onError: (error, task) => failures.push({ error, task }) },
});
beforeEach(() => {
  failures.length = 0;
});

const unavailable = () =>
  graphError(503, 'serviceNotAvailable', 'The service is not available. Try again later.', {
    'Retry-After': '0',
  });

/** Makes Graph answer 503 to the `/content` requests of `itemId` while `down()` says so. */
function contentOutage(itemId: string, down: () => boolean): void {
  harness().server.use(
    http.get(`${GRAPH}/drives/:driveId/items/${itemId}/content`, () =>
      down() ? unavailable() : undefined,
    ),
  );
}

async function reviewedItems(): Promise<string[]> {
  const reviews = await harness().prism.reviews.list({ limit: 100 }).toArray();
  return reviews.map((review) => review.metadata.itemId ?? '').sort();
}

describe('AutoReviewer when Graph throttles or fails', () => {
  it('waits out a 429 with Retry-After on the delta query, then reviews', async () => {
    const { server, drive, reviewer } = harness();
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    let throttled = 0;
    server.use(
      http.get(
        DELTA_URL,
        () => {
          throttled += 1;
          return graphError(429, 'activityLimitReached', 'The request has been throttled', {
            'Retry-After': '1',
          });
        },
        { once: true },
      ),
    );
    const before = drive.calls.filter((call) => call.url.startsWith(DELTA_URL)).length;

    const run = await reviewer.processWatch('wat_contracts');

    expect(throttled).toBe(1);
    expect(drive.calls.filter((call) => call.url.startsWith(DELTA_URL))).toHaveLength(before + 1);
    expect(run.started.map((review) => review.itemId)).toEqual([itemId]);
  });

  it('keeps the delta link through an outage, then reviews each file once', async () => {
    const { drive, reviewer, prism } = harness();
    const first = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    const second = drive.addFile('Service levels.md', sampleMarkdown(2));
    let down = true;
    contentOutage(second, () => down);
    const startLink = (await storedWatch(harness())).deltaLink;

    await expect(reviewer.processWatch('wat_contracts')).rejects.toMatchObject({
      code: 'graph_unavailable',
      status: 503,
    });
    expect((await storedWatch(harness())).deltaLink).toBe(startLink);
    expect(await reviewedItems()).toEqual([first]);

    down = false;
    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started.map((review) => review.itemId)).toEqual([second]);
    expect(run.skipped).toEqual([
      { itemId: first, name: 'Supply agreement.md', reason: 'already_reviewed' },
    ]);
    expect(await reviewedItems()).toEqual([first, second].sort());
    expect((await prism.documents.list()).data).toHaveLength(2);
    expect((await storedWatch(harness())).deltaLink).toBe(run.deltaLink);
    expect(reviewer.stats()).toMatchObject({ runs: 1, failedRuns: 1, reviewsStarted: 2 });
  });

  it('reports a failed background run, and the next notification picks the changes up', async () => {
    const { server, drive, reviewer } = harness();
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    let down = true;
    server.use(http.get(DELTA_URL, () => (down ? unavailable() : undefined)));

    await notifyChange(harness());
    await reviewer.idle();

    expect(failures).toEqual([
      {
        error: expect.objectContaining({ code: 'graph_unavailable' }),
        task: { kind: 'run', watchId: 'wat_contracts' },
      },
    ]);
    expect(await reviewedItems()).toEqual([]);

    down = false;
    await notifyChange(harness());
    await reviewer.idle();

    expect(await reviewedItems()).toEqual([itemId]);
    expect(reviewer.stats()).toMatchObject({ backgroundFailures: 1, failedRuns: 1, runs: 1 });
  });

  it('starts over from Graph’s Location on 410, reviewing only what is new', async () => {
    const { drive, reviewer, store } = harness();
    const reviewed = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    await reviewer.processWatch('wat_contracts');
    const added = drive.addFile('Service levels.md', sampleMarkdown(2));
    await store.saveDeltaLink(
      'wat_contracts',
      `${GRAPH}/drives/${DRIVE_ID}/root/delta?token=MzslMjM0OyUyMzE7MzsyM2YwNDVhMS1lNmRmLTQ1N2MtOGQ5NS1hNmViZDVmZWRhNWQ`,
    );

    const run = await reviewer.processWatch('wat_contracts');

    expect(run.resynced).toBe(true);
    expect(run.started.map((review) => review.itemId)).toEqual([added]);
    expect(run.skipped).toContainEqual({
      itemId: reviewed,
      name: 'Supply agreement.md',
      reason: 'already_reviewed',
    });
    expect(await reviewedItems()).toEqual([reviewed, added].sort());
  });

  it('never overlaps runs of a watch: a burst while one runs becomes one more run', async () => {
    const { server, drive, reviewer } = harness();
    drive.addFile('Supply agreement.md', sampleMarkdown(1));
    let inFlight = 0;
    let most = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let entered: () => void = () => {};
    const running = new Promise<void>((resolve) => {
      entered = resolve;
    });
    server.use(
      http.get(DELTA_URL, async () => {
        entered();
        inFlight += 1;
        most = Math.max(most, inFlight);
        await gate;
        inFlight -= 1;
        return undefined;
      }),
    );

    await notifyChange(harness());
    await running;
    for (let i = 0; i < 20; i += 1) await notifyChange(harness());
    release();
    await reviewer.idle();

    expect(most).toBe(1);
    expect(reviewer.stats()).toMatchObject({ notifications: 21, runs: 2, reviewsStarted: 1 });
  });
});
