import { type Connection, PrismService, type Watch } from '@prism/sdk';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleMarkdown } from '../../../connectors/sharepoint/test/auto-review/harness.js';
import { GRAPH, graphError } from '../../../connectors/sharepoint/test/watch/fixtures.js';
import { Vault } from '../../src/connections/vault.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import {
  SHAREPOINT_ACTOR,
  SharePointAutoReview,
} from '../../src/sharepoint/sharepoint-auto-review.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';
import { DRIVE_ID, FakeDrive } from './fake-graph.js';
import { sampleWatch } from './store-fixtures.js';

const TENANT = 'ten_legal';
const WATCH_ID = 'wat_contracts';
const tokens = { getAccessToken: async () => ({ accessToken: 'eyJ0eXAiOiJKV1QifQ.e30.claims' }) };
const vault = new Vault(generateEncryptionKey('k1'));

const CONNECTION: Connection = {
  id: 'con_contoso',
  tenantId: TENANT,
  provider: 'microsoft',
  status: 'active',
  account: { id: '84bd8158-6d4d-4958-8b9f-9d6445542f95', name: 'contoso.onmicrosoft.com' },
  scopes: ['Files.ReadWrite.All'],
  expiresAt: null,
  createdAt: '2026-03-01T08:00:00.000Z',
  updatedAt: '2026-03-01T08:00:00.000Z',
};

const WATCH: Watch = {
  id: WATCH_ID,
  tenantId: TENANT,
  connectionId: CONNECTION.id,
  kind: 'sharepoint',
  target: 'https://contoso.sharepoint.com/sites/Legal/Shared%20Documents/Contracts',
  fileTypes: [],
  framework: 'hawkeye-20',
  model: 'rules',
  status: 'active',
  createdAt: '2026-03-02T12:00:00.000Z',
  updatedAt: '2026-03-02T12:00:00.000Z',
};

/** One server instance: its own pool on the shared database, its Prism and its auto-review. */
interface Instance {
  store: SqlStore;
  service: PrismService;
  sharePoint: SharePointAutoReview;
}

const server = setupServer();
let database: TestDatabase;
let instances: Instance[] = [];
/** A third pool, which holds the lock that lines the instances up, and watches them wait. */
let observer: SqlStore;
let drive: FakeDrive;

async function startInstance(): Promise<Instance> {
  const store = await openStore({ databaseUrl: database.url, poolSize: 3 });
  const service = new PrismService({ store });
  const sharePoint = new SharePointAutoReview({
    client: store.client,
    vault,
    tokens,
    connections: store.connections,
    watches: store.watches,
    prismFor: (tenantId) => service.forActor(tenantId, SHAREPOINT_ACTOR),
    publicUrl: 'https://prism.example.com',
    settings: { graph: { maxRetries: 0, retryDelaySeconds: 0, requestsPerSecond: 1000 } },
  });
  return { store, service, sharePoint };
}

/** Requests waiting for a lock on the seen versions: the instances' claims (or records). */
async function waitingOnSeenVersions(): Promise<number> {
  const { rows } = await observer.client.query<{ waiting: number }>(
    `SELECT count(*)::int AS waiting FROM pg_locks
     WHERE NOT granted AND relation = 'sharepoint_seen_versions'::regclass`,
  );
  return rows[0]?.waiting ?? 0;
}

/**
 * Runs `work` while the seen versions can be read but not written: the instances all find a new
 * version new, then each waits to write; once `writers` wait, the lock is let go.
 */
async function withWritesHeldUntil<T>(writers: number, work: () => Promise<T>): Promise<T> {
  let started: Promise<T> | undefined;
  await observer.client.transaction(async (transaction) => {
    await transaction.query('LOCK TABLE sharepoint_seen_versions IN SHARE MODE');
    started = work();
    started.catch(() => {});
    await vi.waitFor(async () => expect(await waitingOnSeenVersions()).toBe(writers), {
      timeout: 20_000,
      interval: 10,
    });
  });
  if (started === undefined) throw new Error('the work did not start');
  return started;
}

/** Both instances, as a pair. */
function bothInstances(): [Instance, Instance] {
  const [first, second] = instances;
  if (first === undefined || second === undefined) throw new Error('no instances');
  return [first, second];
}

/** The watch's position, as stored. */
async function storedDeltaLink(): Promise<string | undefined> {
  return (
    await observer.client.query<{ delta_link: string }>(
      'SELECT delta_link FROM sharepoint_watches WHERE watch_id = $1',
      [WATCH_ID],
    )
  ).rows[0]?.delta_link;
}

/** The reviews of a file, in whichever tenant, as the database holds them. */
async function reviewsOf(itemId: string): Promise<number> {
  const { rows } = await observer.client.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM reviews WHERE data -> 'metadata' ->> 'itemId' = $1`,
    [itemId],
  );
  return rows[0]?.count ?? 0;
}

/** The documents made from a file, as the database holds them. */
async function documentsOf(itemId: string): Promise<number> {
  const { rows } = await observer.client.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM documents WHERE data -> 'metadata' ->> 'sourceRef' = $1`,
    [`${DRIVE_ID}/${itemId}`],
  );
  return rows[0]?.count ?? 0;
}

describe('SharePoint auto-review of instances sharing one PostgreSQL database', {
  timeout: 30_000,
}, () => {
  beforeAll(async () => {
    server.listen({ onUnhandledRequest: 'error' });
    database = await createTestDatabase();
    observer = await openStore({ databaseUrl: database.url, poolSize: 2 });
    instances = [await startInstance(), await startInstance()];
  }, 60_000);
  beforeEach(async () => {
    drive = new FakeDrive();
    server.use(...drive.handlers());
    // Reviews are left to finish: each test counts those of its own file.
    await observer.client.execute(
      'DELETE FROM sharepoint_seen_versions; DELETE FROM sharepoint_watches; DELETE FROM watches; DELETE FROM connections;',
    );
    await observer.connections.insert(CONNECTION);
    await observer.watches.insert(WATCH);
    await instances[0]?.sharePoint.store.insert(
      sampleWatch({
        id: WATCH_ID,
        tenantId: TENANT,
        connectionId: CONNECTION.id,
        driveId: DRIVE_ID,
        folderPath: `/drives/${DRIVE_ID}/root:/Contracts`,
        fileTypes: [],
        deltaLink: drive.latestDeltaLink(),
      }),
    );
  });
  afterEach(() => server.resetHandlers());
  afterAll(async () => {
    for (const { sharePoint, service, store } of instances) {
      await sharePoint.close();
      await service.close();
      await store.close();
    }
    await observer?.close();
    await database?.drop();
    server.close();
  });

  it('reviews a new version once when two instances run the watch at the same moment', async () => {
    const [first, second] = bothInstances();
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    const startLink = await storedDeltaLink();

    const runs = await withWritesHeldUntil(2, () =>
      Promise.all([
        first.sharePoint.reviewer.processWatch(WATCH_ID),
        second.sharePoint.reviewer.processWatch(WATCH_ID),
      ]),
    );

    expect(runs.flatMap((run) => run.started.map((review) => review.itemId))).toEqual([itemId]);
    expect(runs.flatMap((run) => run.skipped)).toEqual([
      { itemId, name: 'Supply agreement.md', reason: 'claimed_elsewhere' },
    ]);
    const stats = instances.map(({ sharePoint }) => sharePoint.reviewer.stats());
    expect(stats.map((counts) => counts.reviewsStarted).sort()).toEqual([0, 1]);
    expect(stats.map((counts) => counts.skipped.claimed_elsewhere).sort()).toEqual([0, 1]);
    expect(await reviewsOf(itemId)).toBe(1);
    expect(await documentsOf(itemId)).toBe(1);
    expect(drive.calls.filter((call) => call.url.includes('/content'))).toHaveLength(1);
    // The position is the reviewing instance's: the other saved none past the claimed version.
    const [reviewing, other] = runs[0]?.started.length === 1 ? runs : [...runs].reverse();
    expect(other?.deltaLink).toBe(startLink);
    expect(await storedDeltaLink()).toBe(reviewing?.deltaLink);

    // Whichever instance runs next finds the version done.
    const next = await second.sharePoint.reviewer.processWatch(WATCH_ID);
    expect(next.started).toEqual([]);
    expect(await reviewsOf(itemId)).toBe(1);
  });

  it('reviews the version at the next run when the instance that claimed it failed', async () => {
    const [first, second] = bothInstances();
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    const startLink = await storedDeltaLink();
    // The claiming instance's download fails, once the other instance's run is over: until
    // then its claim holds.
    let otherRunOver: Promise<unknown> = Promise.resolve();
    server.use(
      http.get(
        `${GRAPH}/drives/:driveId/items/:itemId/content`,
        async () => {
          await otherRunOver;
          return graphError(503, 'serviceNotAvailable', 'Service Unavailable', {
            'Retry-After': '1',
          });
        },
        { once: true },
      ),
    );

    const runs = await withWritesHeldUntil(2, () => {
      const both = [first, second].map(({ sharePoint }) =>
        sharePoint.reviewer.processWatch(WATCH_ID),
      );
      otherRunOver = Promise.race(both.map((run) => run.catch(() => undefined)));
      return Promise.allSettled(both);
    });

    const failed = runs.filter((run) => run.status === 'rejected');
    const skipping = runs.flatMap((run) => (run.status === 'fulfilled' ? [run.value] : []));
    expect(failed).toEqual([
      { status: 'rejected', reason: expect.objectContaining({ code: 'graph_unavailable' }) },
    ]);
    expect(skipping.map((run) => run.skipped.map((skip) => skip.reason))).toEqual([
      ['claimed_elsewhere'],
    ]);
    expect(await storedDeltaLink()).toBe(startLink);
    expect(await reviewsOf(itemId)).toBe(0);

    const next = await second.sharePoint.reviewer.processWatch(WATCH_ID);

    expect(next.started.map((review) => review.itemId)).toEqual([itemId]);
    expect(await reviewsOf(itemId)).toBe(1);
  });
});
