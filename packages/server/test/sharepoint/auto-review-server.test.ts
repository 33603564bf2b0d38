import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection, Review, Watch } from '@prism/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleDocx } from '../../../connectors/sharepoint/test/auto-review/harness.js';
import { BOOTSTRAP_TENANT } from '../../src/bootstrap.js';
import { ConfigSchema } from '../../src/config.js';
import type { SharePointAutoReview } from '../../src/sharepoint/sharepoint-auto-review.js';
import { type RunningServer, startServer } from '../../src/start.js';
import { SqlStore } from '../../src/store/sql-store.js';
import { latestServerOptions } from '../connections/flows/built-servers.js';
import { setupProviderNetwork } from '../connections/flows/provider-network.js';
import {
  CONTRACTS_ID,
  CONTRACTS_URL,
  DRIVE_ID,
  FakeGraph,
  FILE_URL,
  LIBRARY_URL,
  ROOT_ID,
} from './fake-graph.js';

vi.mock('../../src/server.js', async (importOriginal) =>
  (await import('../connections/flows/built-servers.js')).recordBuiltServers(
    await importOriginal(),
  ),
);

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

const PUBLIC_URL = 'https://prism.example.com';
const ADMIN_KEY = `prism_sk_${randomBytes(16).toString('hex')}`;
const ACCESS_TOKEN = `eyJ0eXAiOiJKV1QiLCJub25jZSI6InNlcnZlciJ9.${randomBytes(24).toString('base64url')}.sig`;
const MICROSOFT_TENANT = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
const NAME = 'Cold chain excursion.docx';
const COPY = 'Cold chain excursion (Prism review).docx';

/** An answer of the server. */
interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json<T>(): T;
}

const network = setupProviderNetwork();
let running: RunningServer;
let sharePoint: SharePointAutoReview;
let store: SqlStore;
let dataDir: string;
let connection: Connection;
let graph: FakeGraph;

/** `method path` on the running server, with the admin key unless `anonymous`. */
async function call(
  method: string,
  path: string,
  options: { body?: unknown; raw?: string; contentType?: string; anonymous?: boolean } = {},
): Promise<Answer> {
  const headers: Record<string, string> = {};
  if (!options.anonymous) headers.authorization = `Bearer ${ADMIN_KEY}`;
  const body =
    options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = options.contentType ?? 'application/json';
  const response = await fetch(new URL(path, running.url), {
    method,
    headers,
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: <T>() => JSON.parse(text) as T,
  };
}

/** Posts Graph's notification collection to the server, as Graph does: no Prism key. */
function notify(body: unknown): Promise<Answer> {
  return call('POST', '/hooks/graph', { body, anonymous: true });
}

/** Creates a watch through the API and returns it with its Graph subscription. */
async function createWatch(target: string, options: { resultsFolder?: string } = {}) {
  const answer = await call('POST', '/v2/watches', {
    body: { connectionId: connection.id, kind: 'sharepoint', target, ...options },
  });
  expect(answer.status, answer.text).toBe(201);
  const watch = answer.json<Watch>();
  const stored = await sharePoint.store.get(watch.id);
  if (stored === undefined) throw new Error('the watch was not stored');
  return { watch, stored };
}

/** Waits until the write-back of `reviewId` is done, running the loop's work meanwhile. */
async function writtenBack(reviewId: string): Promise<void> {
  await vi.waitFor(
    async () => {
      const { status } = (await call('GET', `/v2/reviews/${reviewId}`)).json<Review>();
      expect(status).toBe('succeeded');
      await sharePoint.writeBacks.runOnce();
      const [row] = await rowsOf<{ done: boolean; outcome: string | null }>(
        'SELECT done_at IS NOT NULL AS done, outcome FROM sharepoint_write_backs WHERE review_id = $1',
        [reviewId],
      );
      expect(row).toEqual({ done: true, outcome: 'written' });
    },
    { timeout: 20_000, interval: 50 },
  );
}

/** The reviews of a watch, through the API. */
async function reviewsOf(watchId: string): Promise<Review[]> {
  const reviews = (await call('GET', '/v2/reviews?limit=100')).json<{ data: Review[] }>().data;
  return reviews.filter((review) => review.metadata.watchId === watchId);
}

/** The rows of a table, as the database holds them. */
async function rowsOf<T>(sql: string, params: unknown[] = []): Promise<T[]> {
  return (await store.client.query<T>(sql, params)).rows;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'prism-sharepoint-'));
  running = await startServer(
    ConfigSchema.parse({
      PORT: 0,
      PRISM_DATA_DIR: dataDir,
      PRISM_PUBLIC_URL: PUBLIC_URL,
      PRISM_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      PRISM_BOOTSTRAP_KEY: ADMIN_KEY,
      PRISM_LOG_LEVEL: 'silent',
      PRISM_METRICS_ENABLED: true,
      MICROSOFT_CLIENT_ID: '24d3b144-21ae-4080-943f-7067b395b913',
      MICROSOFT_CLIENT_SECRET: 'kX58Q~client-secret-of-the-prism-app',
    }),
  );
  const { service, connections: hub } = latestServerOptions();
  const secrets = hub?.secrets;
  if (!(service.core.store instanceof SqlStore) || secrets === undefined || !running.sharePoint) {
    throw new Error('startServer did not assemble SharePoint auto-review on a SQL store.');
  }
  store = service.core.store;
  sharePoint = running.sharePoint;
  const now = new Date();
  connection = {
    id: 'con_contoso',
    tenantId: BOOTSTRAP_TENANT,
    provider: 'microsoft',
    status: 'active',
    account: { id: MICROSOFT_TENANT, name: 'contoso.onmicrosoft.com' },
    scopes: ['Files.ReadWrite.All', 'Sites.Manage.All', 'offline_access'],
    expiresAt: new Date(now.getTime() + 3_600_000).toISOString(),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await store.connections.insert(connection);
  await secrets.create(BOOTSTRAP_TENANT, connection.id, {
    accessToken: ACCESS_TOKEN,
    refreshToken: `1.AXEA${randomBytes(24).toString('base64url')}`,
    expiresAt: connection.expiresAt,
    extra: {},
  });
});

afterAll(async () => {
  await running?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

beforeEach(() => {
  graph = new FakeGraph(() => running.url);
  network.answer(...graph.handlers());
  network.requests.length = 0;
});

describe('SharePoint auto-review served by the server', () => {
  it('creates the Graph subscription of a new watch and stores the watch', async () => {
    const before = Date.now();
    const { watch, stored } = await createWatch(CONTRACTS_URL);

    expect(watch).toMatchObject({
      connectionId: connection.id,
      kind: 'sharepoint',
      target: CONTRACTS_URL,
      fileTypes: [],
      status: 'active',
    });
    const share = `u!${Buffer.from(CONTRACTS_URL).toString('base64url')}`;
    expect(network.requests[0]).toEqual({
      method: 'GET',
      endpoint: `https://graph.microsoft.com/v1.0/shares/${share}/driveItem`,
      authorization: `Bearer ${ACCESS_TOKEN}`,
    });
    expect(graph.drive.library.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining(['PrismStatus', 'PrismScore', 'PrismReview']),
    );
    const [subscriptionId, subscription] = [...graph.drive.subscriptions][0] ?? [];
    expect(graph.drive.subscriptions.size).toBe(1);
    const posted = graph.drive.calls.filter(
      (call) => call.method === 'POST' && call.url.endsWith('/subscriptions'),
    );
    expect(posted).toHaveLength(1);
    expect(subscription?.clientState).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(graph.validations).toEqual([
      { url: `${PUBLIC_URL}/hooks/graph`, status: 200, contentType: 'text/plain', echoed: true },
    ]);
    const expiry = Date.parse(subscription?.expirationDateTime ?? '');
    expect(expiry - before).toBeGreaterThan(29 * 24 * 3_600_000);
    expect(expiry - Date.now()).toBeLessThanOrEqual(42_300 * 60_000);
    for (const request of network.requests) {
      if (request.endpoint.startsWith('https://graph.microsoft.com/')) {
        expect(request.authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
      }
    }

    expect(stored).toEqual({
      id: watch.id,
      tenantId: BOOTSTRAP_TENANT,
      connectionId: connection.id,
      driveId: DRIVE_ID,
      folderPath: `/drives/${DRIVE_ID}/root:/Contracts`,
      fileTypes: [],
      framework: watch.framework,
      model: watch.model,
      subscriptionId,
      clientState: subscription?.clientState,
      expirationDateTime: new Date(expiry).toISOString(),
      deltaLink: expect.stringContaining(`/drives/${DRIVE_ID}/root/delta`),
    });
    const [row] = await rowsOf<{ client_state_ciphertext: Uint8Array }>(
      'SELECT client_state_ciphertext FROM sharepoint_watches WHERE watch_id = $1',
      [watch.id],
    );
    expect(
      Buffer.from(row?.client_state_ciphertext ?? []).includes(subscription?.clientState ?? ''),
    ).toBe(false);
  });

  it('sends exactly the subscription Graph documents for a drive', async () => {
    const bodies: unknown[] = [];
    const record = ({ request }: { request: Request }) => {
      if (request.method === 'POST' && request.url.endsWith('/v1.0/subscriptions')) {
        void request
          .clone()
          .json()
          .then((body) => bodies.push(body));
      }
    };
    network.server.events.on('request:start', record);
    const { stored } = await createWatch(LIBRARY_URL);

    expect(bodies).toEqual([
      {
        changeType: 'updated',
        notificationUrl: `${PUBLIC_URL}/hooks/graph`,
        lifecycleNotificationUrl: `${PUBLIC_URL}/hooks/graph`,
        resource: `/drives/${DRIVE_ID}/root`,
        expirationDateTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        clientState: stored.clientState,
        latestSupportedTlsVersion: 'v1_2',
      },
    ]);
    // A library's root: the whole library is watched.
    expect(stored.folderPath).toBeUndefined();
    network.server.events.removeListener('request:start', record);
  });

  it("answers Graph's validation handshake, and nothing it does not recognise", async () => {
    const token =
      'Validation: Testing client application reachability for subscription Request-Id: 8f0c9cb4';

    const handshake = await call(
      'POST',
      `/hooks/graph?validationToken=${encodeURIComponent(token)}`,
      {
        raw: '',
        contentType: 'text/plain; charset=utf-8',
        anonymous: true,
      },
    );
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('content-type')).toBe('text/plain');
    expect(handshake.text).toBe(token);

    const stranger = await notify({
      value: [
        {
          subscriptionId: '0f6c1d1c-5a3e-4b6e-8c1a-000000000000',
          clientState: 'not-a-secret-of-ours',
          changeType: 'updated',
          resource: `drives/${DRIVE_ID}/root`,
          resourceData: null,
        },
      ],
    });
    expect(stranger.status).toBe(202);
    expect(stranger.text).toBe('');
    await sharePoint.reviewer.idle();
    expect(sharePoint.reviewer.stats().rejected.unknown_subscription).toBeGreaterThanOrEqual(1);

    const garbage = await call('POST', '/hooks/graph', {
      raw: 'not json',
      contentType: 'application/json',
      anonymous: true,
    });
    expect(garbage.status).toBe(400);
    expect(garbage.headers.get('content-type')).toBe('text/plain');

    const huge = await call('POST', '/hooks/graph', {
      raw: 'x'.repeat(1024 * 1024 + 1),
      anonymous: true,
    });
    expect(huge.status).toBe(413);

    expect(
      (await call('GET', `/hooks/graph?validationToken=abc`, { anonymous: true })).status,
    ).toBe(404);
  });

  it('reviews a new file on Graph’s notification and writes the result back, durably', async () => {
    const { watch, stored } = await createWatch(CONTRACTS_URL);
    const itemId = graph.drive.addFile(NAME, sampleDocx());

    const taken = await notify(graph.drive.notification(stored.subscriptionId, stored.clientState));
    expect(taken.status).toBe(202);
    await sharePoint.reviewer.idle();

    const reviews = (await call('GET', '/v2/reviews?limit=100')).json<{ data: Review[] }>().data;
    const review = reviews.find((candidate) => candidate.metadata.watchId === watch.id);
    expect(review?.metadata).toEqual({
      watchId: watch.id,
      driveId: DRIVE_ID,
      itemId,
      versionKey: expect.stringMatching(new RegExp(`^${itemId}:`)),
    });
    const reviewId = review?.id ?? '';
    await writtenBack(reviewId);
    const finished = (await call('GET', `/v2/reviews/${reviewId}`)).json<Review>();
    const patches = graph.drive.library.seen('PATCH', /\/listItem\/fields$/);
    expect(patches.map((patch) => patch.url)).toEqual([
      `https://graph.microsoft.com/v1.0/drives/${DRIVE_ID}/items/${itemId}/listItem/fields`,
    ]);
    expect(patches[0]?.body).toMatchObject({
      PrismStatus: 'succeeded',
      PrismScore: finished.summary?.score,
      PrismReview: `${PUBLIC_URL}/reviews/${reviewId}`,
      PrismError: null,
    });
    expect(graph.drive.library.file(CONTRACTS_ID, COPY)).toBeDefined();

    // Writing the fields back changed the file's eTag, not its content: no second review.
    await notify(graph.drive.notification(stored.subscriptionId, stored.clientState));
    await sharePoint.reviewer.idle();
    const again = (await call('GET', '/v2/reviews?limit=100')).json<{ data: Review[] }>().data;
    expect(again.filter((candidate) => candidate.metadata.watchId === watch.id)).toHaveLength(1);
    await sharePoint.writeBacks.runOnce();
    expect(graph.drive.library.seen('PATCH', /\/listItem\/fields$/)).toHaveLength(1);
  });

  it('puts reviewed copies into the results folder of the watch, creating it', async () => {
    const { watch, stored } = await createWatch(CONTRACTS_URL, {
      resultsFolder: ' /Prism reviews/2026/ ',
    });
    expect(stored.resultsFolder).toBe('Prism reviews/2026');
    graph.drive.addFile(NAME, sampleDocx());

    await notify(graph.drive.notification(stored.subscriptionId, stored.clientState));
    await sharePoint.reviewer.idle();
    const [review] = await reviewsOf(watch.id);
    await writtenBack(review?.id ?? '');

    const folder = graph.drive.library.file(ROOT_ID, 'Prism reviews');
    const year = graph.drive.library.file(folder?.id ?? '', '2026');
    expect(graph.drive.library.file(year?.id ?? '', COPY)).toBeDefined();
    expect(graph.drive.library.file(CONTRACTS_ID, COPY)).toBeUndefined();
  });

  it('refuses a results folder that is no folder path, keeping nothing', async () => {
    for (const resultsFolder of [
      'https://contoso.sharepoint.com/x',
      '/ /',
      'Reviews/../..',
      'A:B',
    ]) {
      const answer = await call('POST', '/v2/watches', {
        body: {
          connectionId: connection.id,
          kind: 'sharepoint',
          target: LIBRARY_URL,
          resultsFolder,
        },
      });
      expect(answer.status, resultsFolder).toBe(422);
      expect(answer.json()).toMatchObject({
        code: 'watch_results_folder_invalid',
        hint: expect.any(String),
      });
    }
    expect(graph.drive.subscriptions.size).toBe(0);
    expect(graph.drive.calls).toEqual([]);
  });

  it('prepares a library without watching it: the missing columns, once', async () => {
    const prepare = () =>
      call('POST', '/v2/watches/prepare', {
        body: { connectionId: connection.id, kind: 'sharepoint', target: CONTRACTS_URL },
      });

    const first = await prepare();
    expect(first.status, first.text).toBe(200);
    const fields = first.json<{ resultFields: Array<{ name: string; created: boolean }> }>()
      .resultFields;
    expect(fields.map((field) => field.name)).toEqual(
      graph.drive.library.columns
        .map((column) => column.name)
        .filter((name) => name?.startsWith('Prism')),
    );
    expect(fields.every((field) => field.created)).toBe(true);

    const second = await prepare();
    expect(
      second
        .json<{ resultFields: Array<{ created: boolean }> }>()
        .resultFields.some((field) => field.created),
    ).toBe(false);
    expect(graph.drive.subscriptions.size).toBe(0);
    expect(graph.drive.calls.filter((request) => request.url.includes('/delta'))).toEqual([]);

    const file = await call('POST', '/v2/watches/prepare', {
      body: { connectionId: connection.id, kind: 'sharepoint', target: FILE_URL },
    });
    expect(file.status).toBe(422);
    expect(file.json()).toMatchObject({ code: 'watch_target_not_a_folder' });
  });

  it('loses nothing while its connection needs reauthorizing: connected again, it catches up at once', async () => {
    const { watch, stored } = await createWatch(CONTRACTS_URL);
    const setStatus = (status: Connection['status']) =>
      store.connections.update(BOOTSTRAP_TENANT, connection.id, (current) => ({
        ...current,
        status,
      }));
    await setStatus('needs_reauth');
    try {
      const itemId = graph.drive.addFile(NAME, sampleDocx());
      const failedRuns = sharePoint.reviewer.stats().failedRuns;

      expect(
        (await notify(graph.drive.notification(stored.subscriptionId, stored.clientState))).status,
      ).toBe(202);
      await sharePoint.reviewer.idle();
      expect(sharePoint.reviewer.stats().failedRuns).toBeGreaterThan(failedRuns);
      expect(await reviewsOf(watch.id)).toEqual([]);
      expect((await sharePoint.store.get(watch.id))?.deltaLink).toBe(stored.deltaLink);
      const failing = (await call('GET', `/v2/watches/${watch.id}`)).json<Watch>();
      expect(failing).toMatchObject({
        status: 'error',
        lastError: {
          code: 'connection_not_active',
          message: expect.stringContaining('needs_reauth'),
          hint: expect.any(String),
        },
      });

      // Connected again: the watches of the connection catch up at once.
      await setStatus('active');
      expect(await sharePoint.catchUp(connection)).toContain(watch.id);
      expect((await reviewsOf(watch.id)).map((review) => review.metadata.itemId)).toEqual([itemId]);
    } finally {
      await setStatus('active');
    }
  });

  it('ignores a notification whose clientState is not the subscription’s, and counts it in the metrics', async () => {
    const { stored } = await createWatch(CONTRACTS_URL);
    graph.drive.addFile(NAME, sampleDocx());
    const runs = sharePoint.reviewer.stats().runs;
    const counted = async () =>
      Number(
        /^prism_sharepoint_notifications_rejected_total\{reason="client_state_mismatch"\} (\d+)$/m.exec(
          (await call('GET', '/metrics', { anonymous: true })).text,
        )?.[1],
      );
    const before = await counted();
    expect(before).toBeGreaterThanOrEqual(0);

    const forged = await notify(
      graph.drive.notification(stored.subscriptionId, 'a-secret-that-is-not-the-subscriptions'),
    );
    await sharePoint.reviewer.idle();

    expect(forged.status).toBe(202);
    expect(sharePoint.reviewer.stats().runs).toBe(runs);
    expect(await counted()).toBe(before + 1);
    const metrics = (await call('GET', '/metrics', { anonymous: true })).text;
    expect(metrics).toMatch(/^prism_sharepoint_notifications_total \d+$/m);
    expect(metrics).toMatch(/^prism_sharepoint_runs_total\{outcome="succeeded"\} \d+$/m);
  });

  it('refuses a target that is a file or that Graph cannot find, keeping nothing', async () => {
    const file = await call('POST', '/v2/watches', {
      body: { connectionId: connection.id, kind: 'sharepoint', target: FILE_URL },
    });
    expect(file.status).toBe(422);
    expect(file.json()).toMatchObject({
      code: 'watch_target_not_a_folder',
      hint: expect.any(String),
    });

    const missing = await call('POST', '/v2/watches', {
      body: {
        connectionId: connection.id,
        kind: 'sharepoint',
        target: `${LIBRARY_URL}/Archive`,
      },
    });
    expect(missing.status).toBe(422);
    expect(missing.json()).toMatchObject({ code: 'watch_target_not_found' });

    expect(graph.drive.subscriptions.size).toBe(0);
    const watches = (await call('GET', '/v2/watches?limit=100')).json<{ data: Watch[] }>().data;
    expect(watches.map((watch) => watch.target)).not.toContain(FILE_URL);
    const rows = await rowsOf<{ watch_id: string }>('SELECT watch_id FROM sharepoint_watches');
    expect(rows.map((row) => row.watch_id).sort()).toEqual(watches.map((watch) => watch.id).sort());
  });

  it('deletes the subscription when the watch is deleted, and forgets the watch', async () => {
    const { watch, stored } = await createWatch(CONTRACTS_URL);

    const deleted = await call('DELETE', `/v2/watches/${watch.id}`);

    expect(deleted.status).toBe(204);
    expect(
      graph.drive.calls
        .filter((request) => request.method === 'DELETE')
        .map((request) => request.url),
    ).toEqual([`https://graph.microsoft.com/v1.0/subscriptions/${stored.subscriptionId}`]);
    expect(graph.drive.subscriptions.has(stored.subscriptionId)).toBe(false);
    expect(await sharePoint.store.get(watch.id)).toBeUndefined();
    expect((await call('GET', `/v2/watches/${watch.id}`)).status).toBe(404);

    // What Graph still posts for the old subscription is ignored.
    const runs = sharePoint.reviewer.stats().runs;
    expect(
      (await notify(graph.drive.notification(stored.subscriptionId, stored.clientState))).status,
    ).toBe(202);
    await sharePoint.reviewer.idle();
    expect(sharePoint.reviewer.stats().runs).toBe(runs);
  });

  it('renews subscriptions nearing expiry and reads the changes of watches not heard from', async () => {
    const { watch, stored } = await createWatch(CONTRACTS_URL);
    await store.client.query(
      `UPDATE sharepoint_watches SET expiration = now() + interval '2 hours',
         swept_at = now() - interval '1 hour' WHERE watch_id = $1`,
      [watch.id],
    );
    const itemId = graph.drive.addFile(NAME, sampleDocx());

    const outcomes = await sharePoint.renew();
    const swept = await sharePoint.sweep();

    expect(outcomes).toContainEqual({
      status: 'renewed',
      watchId: watch.id,
      expirationDateTime: graph.drive.subscriptions.get(stored.subscriptionId)?.expirationDateTime,
    });
    const renewed = await sharePoint.store.get(watch.id);
    expect(Date.parse(renewed?.expirationDateTime ?? '')).toBeGreaterThan(
      Date.now() + 29 * 86_400_000,
    );
    expect(swept).toEqual([watch.id]);
    const reviews = (await call('GET', '/v2/reviews?limit=100')).json<{ data: Review[] }>().data;
    expect(reviews.filter((review) => review.metadata.watchId === watch.id)).toEqual([
      expect.objectContaining({ metadata: expect.objectContaining({ itemId }) }),
    ]);
    expect(await sharePoint.sweep()).toEqual([]);
  });
});
