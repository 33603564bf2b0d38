import { INCIDENT_REPORT, SECOND_REPORT } from '@prism/sdk/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CUSTOM_FRAMEWORK,
  expectProblem,
  type Ids,
  NOTES_UPLOAD,
  pathOf,
  SPEC_OPERATIONS,
  specOperation,
  startTestServer,
  storedState,
  type TestServer,
  validRequest,
  withQuery,
} from './harness.js';

const TENANT_A = 'tenant-a';
const TENANT_B = 'tenant-b';

let server: TestServer;
let keyA: string;
let keyB: string;
/** One of every kind of resource of tenant A, by the path parameter that names it. */
let idsA: Ids;
/** Tenant B's own document. */
let documentB: string;
/** Everything stored for tenant A once it made its resources. */
let stateA: unknown;

/** A call of tenant A that must succeed; its JSON answer. */
async function asA<T>(method: 'GET' | 'POST', url: string, payload?: unknown): Promise<T> {
  const response = await server.call(keyA, { method, url, ...(payload ? { payload } : {}) });
  expect(response.statusCode, `${method} ${url}: ${response.body}`).toBeLessThan(300);
  return response.json() as T;
}

beforeAll(async () => {
  server = await startTestServer();
  keyA = await server.addKey(TENANT_A, 'admin');
  keyB = await server.addKey(TENANT_B, 'admin');

  const { endpoint } = await asA<{ endpoint: { id: string } }>('POST', '/v2/webhook-endpoints', {
    url: 'https://hooks.example.com/tenant-a',
  });
  const document = await asA<{ id: string }>('POST', '/v2/documents', {
    filename: 'scanner-outage.md',
    contentBase64: Buffer.from(INCIDENT_REPORT).toString('base64'),
  });
  const review = await asA<{ id: string }>('POST', '/v2/reviews', { documentId: document.id });
  // The event stream of a review ends when the review does.
  await server.call(keyA, { method: 'GET', url: `/v2/reviews/${review.id}/events` });
  const findings = await asA<{ data: { id: string }[] }>(
    'GET',
    `/v2/reviews/${review.id}/findings`,
  );
  const finding = findings.data[0] as { id: string };
  // A second report with the same gaps, so tenant A has patterns across documents.
  const second = await asA<{ id: string }>('POST', '/v2/documents', {
    filename: 'label-printer.md',
    contentBase64: Buffer.from(SECOND_REPORT).toString('base64'),
  });
  const secondReview = await asA<{ id: string }>('POST', '/v2/reviews', { documentId: second.id });
  await server.call(keyA, { method: 'GET', url: `/v2/reviews/${secondReview.id}/events` });
  await asA('POST', `/v2/findings/${finding.id}/accept`, { reason: 'Agreed.' });
  const framework = await asA<{ id: string }>('POST', '/v2/frameworks', CUSTOM_FRAMEWORK);
  const { apiKey } = await asA<{ apiKey: { id: string } }>('POST', '/v2/api-keys', {
    name: 'tenant A automation',
    role: 'viewer',
  });
  // Connections and watches are made by OAuth and platform callbacks, not by this API.
  const at = new Date().toISOString();
  const { store } = server.service.core;
  await store.connections.insert({
    id: 'con_tenant_a',
    tenantId: TENANT_A,
    provider: 'slack',
    status: 'active',
    account: { id: 'T01', name: 'Tenant A workspace' },
    scopes: ['files:read'],
    expiresAt: null,
    createdAt: at,
    updatedAt: at,
  });
  await store.watches.insert({
    id: 'wat_tenant_a',
    tenantId: TENANT_A,
    connectionId: 'con_tenant_a',
    kind: 'slack',
    target: 'C0123',
    fileTypes: ['md'],
    framework: 'hawkeye-20',
    model: 'rules',
    status: 'active',
    createdAt: at,
    updatedAt: at,
  });
  await server.service.core.settle();
  const deliveries = await asA<{ data: { id: string }[] }>(
    'GET',
    `/v2/webhook-endpoints/${endpoint.id}/deliveries`,
  );

  idsA = {
    documentId: document.id,
    reviewId: review.id,
    findingId: finding.id,
    frameworkId: framework.id,
    endpointId: endpoint.id,
    deliveryId: (deliveries.data[0] as { id: string }).id,
    connectionId: 'con_tenant_a',
    watchId: 'wat_tenant_a',
    keyId: apiKey.id,
  };
  const ownDocument = await server.call(keyB, {
    method: 'POST',
    url: '/v2/documents',
    payload: NOTES_UPLOAD,
  });
  documentB = ownDocument.json().id;
  stateA = await storedState(store, TENANT_A);
});

afterAll(async () => {
  await server?.close();
});

describe("another tenant's ids", () => {
  const operationsWithIds = SPEC_OPERATIONS.filter((operation) => operation.pathParams.length > 0);

  it.each(operationsWithIds.map((operation) => [operation.operationId, operation] as const))(
    '%s with them is a 404 not_found',
    async (_, operation) => {
      const response = await server.call(keyB, validRequest(operation, idsA));
      expect(response.statusCode, response.body).toBe(404);
      expectProblem(response, 404, 'not_found');
    },
  );

  it("leave tenant A's records as they were", async () => {
    await server.service.core.settle();
    expect(await storedState(server.service.core.store, TENANT_A)).toEqual(stateA);
  });

  it('still answer their own tenant, so the 404s above are about the tenant', async () => {
    for (const operation of operationsWithIds.filter(({ method }) => method === 'GET')) {
      const response = await server.call(keyA, validRequest(operation, idsA));
      expect({ operation: operation.operationId, status: response.statusCode }).toEqual({
        operation: operation.operationId,
        status: 200,
      });
    }
  });

  it.each([
    ['a review of their document', 'createReview', () => ({ documentId: idsA.documentId })],
    [
      'a question about their document',
      'askChat',
      () => ({ documentId: idsA.documentId, question: 'What happened?' }),
    ],
    [
      'a question about their review',
      'askChat',
      () => ({ reviewId: idsA.reviewId, question: 'What happened?' }),
    ],
  ] as const)('in a body are a 404 not_found: %s', async (_, operationId, body) => {
    const response = await server.call(keyB, {
      method: 'POST',
      url: specOperation(operationId).path,
      payload: body(),
    });
    expectProblem(response, 404, 'not_found');
    expect(await storedState(server.service.core.store, TENANT_A)).toEqual(stateA);
  });

  it('do not name a framework another tenant can review against (422 unknown_framework)', async () => {
    const response = await server.call(keyB, {
      method: 'POST',
      url: '/v2/reviews',
      payload: { documentId: documentB, framework: idsA.frameworkId },
    });
    expectProblem(response, 422, 'unknown_framework');
  });

  it('filter lists to nothing', async () => {
    const filtered = [
      withQuery('/v2/reviews', { documentId: idsA.documentId as string }),
      withQuery('/v2/patterns', { frameworkId: 'hawkeye-20' }),
      withQuery('/v2/audit-events', { action: 'document.created' }),
    ];
    for (const url of filtered) {
      const own = await server.call(keyA, { method: 'GET', url });
      expect(own.json().data, `tenant A's own ${url}`).not.toEqual([]);
      const other = await server.call(keyB, { method: 'GET', url });
      expect(other.statusCode, url).toBe(200);
      for (const id of Object.values(idsA)) expect(other.body, url).not.toContain(id);
    }
  });
});

describe("a tenant's lists", () => {
  const lists = SPEC_OPERATIONS.filter(
    (operation) => operation.method === 'GET' && operation.pathParams.length === 0,
  );

  it.each(lists.map((operation) => [operation.operationId, operation] as const))(
    "%s never holds another tenant's rows",
    async (_, operation) => {
      const response = await server.call(keyB, { method: 'GET', url: pathOf(operation, {}) });
      expect(response.statusCode, response.body).toBe(200);
      for (const id of [...Object.values(idsA), TENANT_A]) expect(response.body).not.toContain(id);
    },
  );

  it("holds the tenant's own rows", async () => {
    const documents = await server.call(keyB, { method: 'GET', url: '/v2/documents' });
    expect(documents.json().data.map((document: { id: string }) => document.id)).toEqual([
      documentB,
    ]);
    const stats = await server.call(keyB, { method: 'GET', url: '/v2/stats' });
    expect(stats.json()).toMatchObject({ reviews: { total: 0 }, findings: { total: 0 } });
  });

  it('lets a tenant create a framework with the id and version another tenant uses', async () => {
    const created = await server.call(keyB, {
      method: 'POST',
      url: '/v2/frameworks',
      payload: { ...CUSTOM_FRAMEWORK, name: 'Tenant B checklist' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const ownA = await server.call(keyA, {
      method: 'GET',
      url: `/v2/frameworks/${CUSTOM_FRAMEWORK.id}`,
    });
    expect(ownA.json()).toMatchObject({ name: CUSTOM_FRAMEWORK.name });
  });
});
