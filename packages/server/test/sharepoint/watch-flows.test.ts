import type { Connection, PrismApi, Watch } from '@prism/sdk';
import { http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { graphError } from '../../../connectors/sharepoint/test/watch/fixtures.js';
import { Vault } from '../../src/connections/vault.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import {
  SharePointAutoReview,
  sharePointAutoReviewOf,
} from '../../src/sharepoint/sharepoint-auto-review.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { CONTRACTS_URL, DRIVE_ID, FakeGraph } from './fake-graph.js';
import { clearTables, sampleWatch } from './store-fixtures.js';

const GRAPH = 'https://graph.microsoft.com/v1.0';
const TENANT = 'ten_legal';
const tokens = { getAccessToken: async () => ({ accessToken: 'eyJ0eXAiOiJKV1QifQ.e30.flows' }) };
const prismFor = (): PrismApi => {
  throw new Error('The watch flows do not use the Prism API.');
};

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

/** A new watch as the service hands it to the flows. */
function newWatch(overrides: Partial<Watch> = {}): Watch {
  return {
    id: 'wat_contracts',
    tenantId: TENANT,
    connectionId: CONNECTION.id,
    kind: 'sharepoint',
    target: CONTRACTS_URL,
    fileTypes: [],
    framework: 'hawkeye-20',
    model: 'rules',
    status: 'active',
    createdAt: '2026-03-02T12:00:00.000Z',
    updatedAt: '2026-03-02T12:00:00.000Z',
    ...overrides,
  };
}

const server = setupServer();
let store: SqlStore;
const vault = new Vault(generateEncryptionKey('k1'));
const instances: SharePointAutoReview[] = [];

/** SharePoint auto-review on the test store, its Graph requests not retried. */
function autoReview(publicUrl = 'https://prism.example.com'): SharePointAutoReview {
  const made = new SharePointAutoReview({
    client: store.client,
    vault,
    tokens,
    connections: store.connections,
    watches: store.watches,
    prismFor,
    publicUrl,
    settings: { graph: { maxRetries: 0, retryDelaySeconds: 0, requestsPerSecond: 1000 } },
  });
  instances.push(made);
  return made;
}

beforeAll(async () => {
  server.listen({ onUnhandledRequest: 'error' });
  store = await openStore();
}, 60_000);
beforeEach(async () => {
  await clearTables(store.client);
  await store.connections.delete(TENANT, CONNECTION.id);
});
afterEach(async () => {
  server.resetHandlers();
  await Promise.all(instances.splice(0).map((made) => made.close()));
});
afterAll(async () => {
  server.close();
  await store.close();
});

describe('sharePointAutoReviewOf', () => {
  const parts = () => ({
    microsoftConfigured: true,
    vault,
    tokens,
    publicUrl: 'https://prism.example.com',
    client: store.client,
    connections: store.connections,
    watches: store.watches,
    prismFor,
  });

  it('serves SharePoint auto-review only with Microsoft connections, a vault and a public URL', () => {
    expect(sharePointAutoReviewOf(parts())).toBeInstanceOf(SharePointAutoReview);
    expect(sharePointAutoReviewOf({ ...parts(), microsoftConfigured: false })).toBeUndefined();
    expect(sharePointAutoReviewOf({ ...parts(), vault: undefined })).toBeUndefined();
    expect(sharePointAutoReviewOf({ ...parts(), tokens: undefined })).toBeUndefined();
    expect(sharePointAutoReviewOf({ ...parts(), publicUrl: undefined })).toBeUndefined();
  });
});

describe('SharePointWatchFlows', () => {
  it('refuses a watch when Graph could not post notifications to the public URL', async () => {
    const flows = autoReview('http://localhost:8080').watchFlows;

    await expect(flows.start(newWatch(), CONNECTION)).rejects.toMatchObject({
      status: 501,
      code: 'notifications_need_https',
      hint: expect.stringContaining('PRISM_PUBLIC_URL'),
    });
  });

  it('refuses watches of other kinds', async () => {
    const flows = autoReview().watchFlows;

    await expect(
      flows.start(newWatch({ kind: 'slack', target: 'C024BE91L' }), CONNECTION),
    ).rejects.toMatchObject({ status: 501, code: 'watch_kind_not_supported' });
  });

  it('refuses a target that is not a link', async () => {
    const flows = autoReview().watchFlows;

    await expect(flows.start(newWatch({ target: 'Contracts' }), CONNECTION)).rejects.toMatchObject({
      status: 422,
      code: 'watch_target_invalid',
    });
  });

  it('answers what Graph refused with a conflict, and Graph being down with 503', async () => {
    const flows = autoReview().watchFlows;
    server.use(
      http.get(`${GRAPH}/shares/:share/driveItem`, () =>
        graphError(
          403,
          'accessDenied',
          'Access denied. You do not have permission to perform this action or access this resource.',
        ),
      ),
    );
    await expect(flows.start(newWatch(), CONNECTION)).rejects.toMatchObject({
      status: 409,
      code: 'sharepoint_access_denied',
    });

    server.use(
      http.get(`${GRAPH}/shares/:share/driveItem`, () =>
        graphError(503, 'serviceNotAvailable', 'Service Unavailable', { 'Retry-After': '1' }),
      ),
    );
    await expect(flows.start(newWatch(), CONNECTION)).rejects.toMatchObject({
      status: 503,
      code: 'graph_unavailable',
    });
  });

  it('keeps nothing when Graph refuses the subscription', async () => {
    const graph = new FakeGraph(() => 'http://127.0.0.1:9');
    server.use(
      http.post(`${GRAPH}/subscriptions`, () =>
        graphError(
          400,
          'ValidationError',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        ),
      ),
      ...graph.handlers(),
    );
    const review = autoReview();

    const refusal = review.watchFlows.start(newWatch(), CONNECTION);

    await expect(refusal).rejects.toMatchObject({
      status: 502,
      code: 'graph_request_failed',
      message: expect.stringContaining('Subscription validation request failed'),
    });
    expect(await review.store.get('wat_contracts')).toBeUndefined();
    expect(graph.drive.subscriptions.size).toBe(0);
  });

  it('forgets a watch whose connection is gone, leaving its subscription to lapse', async () => {
    const review = autoReview();
    await review.store.insert(sampleWatch({ tenantId: TENANT, driveId: DRIVE_ID }));

    await review.watchFlows.stop(newWatch());

    expect(await review.store.get('wat_contracts')).toBeUndefined();
  });

  it('keeps a watch it could not stop because Graph is down', async () => {
    await store.connections.insert(CONNECTION);
    const review = autoReview();
    const watch = sampleWatch({ tenantId: TENANT, driveId: DRIVE_ID });
    await review.store.insert(watch);
    server.use(
      http.delete(`${GRAPH}/subscriptions/:id`, () =>
        graphError(503, 'serviceNotAvailable', 'Service Unavailable', { 'Retry-After': '1' }),
      ),
    );

    await expect(review.watchFlows.stop(newWatch())).rejects.toMatchObject({
      status: 503,
      code: 'graph_unavailable',
    });
    expect(await review.store.get(watch.id)).toEqual(watch);

    server.use(
      http.delete(`${GRAPH}/subscriptions/:id`, () =>
        graphError(404, 'ResourceNotFound', 'The object was not found.'),
      ),
    );
    await review.watchFlows.stop(newWatch());
    expect(await review.store.get(watch.id)).toBeUndefined();
  });
});
