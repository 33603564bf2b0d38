import { HttpResponse } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpPrism, type HttpPrism as HttpPrismType, NotFoundError } from '../../src/index.js';
import { problemResponse, setupHarness } from '../client/harness.js';
import { exampleOf, operations, type ReceivedCall, specHandlers } from './spec-handlers.js';

const mock = setupHarness('fetch');
const calls: ReceivedCall[] = [];

afterEach(() => {
  calls.length = 0;
});

function connect(overrides?: Parameters<typeof specHandlers>[2]): HttpPrismType {
  mock.use(...specHandlers(mock.baseUrl, calls, overrides));
  return new HttpPrism(mock.transport({ maxRetries: 0 }));
}

interface Case {
  operationId: string;
  run: (prism: HttpPrismType) => PromiseLike<unknown>;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  /** The component whose example the call resolves to; `undefined` for a 204. */
  returns: string | undefined;
}

const reviewId = 'rev_3Nf8TgY1';
const findingId = 'fnd_5Vb7Cx2Z';
const endpointId = 'whe_2Jx9QmR4';

const cases: Case[] = [
  {
    operationId: 'createDocument',
    run: (p) => p.documents.create(exampleOf('DocumentSourceCreate'), { idempotencyKey: 'idem_1' }),
    path: '/v2/documents',
    body: exampleOf('DocumentSourceCreate'),
    returns: 'Document',
  },
  {
    operationId: 'listDocuments',
    run: (p) => p.documents.list({ limit: 5, cursor: 'cur_a' }),
    path: '/v2/documents',
    query: { limit: '5', cursor: 'cur_a' },
    returns: 'DocumentList',
  },
  {
    operationId: 'getDocument',
    run: (p) => p.documents.get('doc 1/x'),
    path: '/v2/documents/doc%201%2Fx',
    returns: 'Document',
  },
  {
    operationId: 'deleteDocument',
    run: (p) => p.documents.delete('doc_8Rk2PqW4'),
    path: '/v2/documents/doc_8Rk2PqW4',
    returns: undefined,
  },
  {
    operationId: 'listReviews',
    run: (p) => p.reviews.list({ documentId: 'doc_8Rk2PqW4', status: 'running', limit: 2 }),
    path: '/v2/reviews',
    query: { documentId: 'doc_8Rk2PqW4', status: 'running', limit: '2' },
    returns: 'ReviewList',
  },
  {
    operationId: 'getReview',
    run: (p) => p.reviews.get(reviewId),
    path: `/v2/reviews/${reviewId}`,
    returns: 'Review',
  },
  {
    operationId: 'cancelReview',
    run: (p) => p.reviews.cancel(reviewId),
    path: `/v2/reviews/${reviewId}/cancel`,
    returns: 'Review',
  },
  {
    operationId: 'listFindings',
    run: (p) => p.findings.list(reviewId, { severity: 'major', status: 'open', item: 12 }),
    path: `/v2/reviews/${reviewId}/findings`,
    query: { severity: 'major', status: 'open', item: '12' },
    returns: 'FindingList',
  },
  {
    operationId: 'createFinding',
    run: (p) => p.findings.create(reviewId, exampleOf('FindingCreate')),
    path: `/v2/reviews/${reviewId}/findings`,
    body: exampleOf('FindingCreate'),
    returns: 'Finding',
  },
  {
    operationId: 'getFinding',
    run: (p) => p.findings.get(findingId),
    path: `/v2/findings/${findingId}`,
    returns: 'Finding',
  },
  {
    operationId: 'updateFinding',
    run: (p) => p.findings.update(findingId, { status: 'resolved' }),
    path: `/v2/findings/${findingId}`,
    body: { status: 'resolved' },
    returns: 'Finding',
  },
  {
    operationId: 'acceptFinding',
    run: (p) => p.findings.accept(findingId, { reason: 'Agreed.' }),
    path: `/v2/findings/${findingId}/accept`,
    body: { reason: 'Agreed.' },
    returns: 'Finding',
  },
  {
    operationId: 'rejectFinding',
    run: (p) => p.findings.reject(findingId, { reason: 'Owners are in the appendix.' }),
    path: `/v2/findings/${findingId}/reject`,
    body: { reason: 'Owners are in the appendix.' },
    returns: 'Finding',
  },
  {
    operationId: 'askChat',
    run: (p) => p.chat.ask(exampleOf('ChatRequest')),
    path: '/v2/chat',
    body: exampleOf('ChatRequest'),
    returns: 'ChatAnswer',
  },
  {
    operationId: 'listPatterns',
    run: (p) => p.patterns.list({ frameworkId: 'hawkeye-20', minDocuments: 3 }),
    path: '/v2/patterns',
    query: { frameworkId: 'hawkeye-20', minDocuments: '3' },
    returns: 'PatternList',
  },
  {
    operationId: 'getStats',
    run: (p) => p.stats.get({ from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' }),
    path: '/v2/stats',
    query: { from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' },
    returns: 'Stats',
  },
  {
    operationId: 'listFrameworks',
    run: (p) => p.frameworks.list(),
    path: '/v2/frameworks',
    returns: 'FrameworkList',
  },
  {
    operationId: 'getFramework',
    run: (p) => p.frameworks.get('hawkeye-20', { version: '1.0.0' }),
    path: '/v2/frameworks/hawkeye-20',
    query: { version: '1.0.0' },
    returns: 'Framework',
  },
  {
    operationId: 'createFramework',
    run: (p) => p.frameworks.create(exampleOf('FrameworkCreate')),
    path: '/v2/frameworks',
    body: exampleOf('FrameworkCreate'),
    returns: 'Framework',
  },
  {
    operationId: 'listWebhookEndpoints',
    run: (p) => p.webhooks.list({ limit: 10 }),
    path: '/v2/webhook-endpoints',
    query: { limit: '10' },
    returns: 'WebhookEndpointList',
  },
  {
    operationId: 'createWebhookEndpoint',
    run: (p) => p.webhooks.create(exampleOf('WebhookEndpointCreate')),
    path: '/v2/webhook-endpoints',
    body: exampleOf('WebhookEndpointCreate'),
    returns: 'WebhookEndpointWithSecret',
  },
  {
    operationId: 'getWebhookEndpoint',
    run: (p) => p.webhooks.get(endpointId),
    path: `/v2/webhook-endpoints/${endpointId}`,
    returns: 'WebhookEndpoint',
  },
  {
    operationId: 'updateWebhookEndpoint',
    run: (p) => p.webhooks.update(endpointId, { status: 'enabled' }),
    path: `/v2/webhook-endpoints/${endpointId}`,
    body: { status: 'enabled' },
    returns: 'WebhookEndpoint',
  },
  {
    operationId: 'deleteWebhookEndpoint',
    run: (p) => p.webhooks.delete(endpointId),
    path: `/v2/webhook-endpoints/${endpointId}`,
    returns: undefined,
  },
  {
    operationId: 'rotateWebhookSecret',
    run: (p) => p.webhooks.rotateSecret(endpointId, { gracePeriodSeconds: 3600 }),
    path: `/v2/webhook-endpoints/${endpointId}/rotate-secret`,
    body: { gracePeriodSeconds: 3600 },
    returns: 'WebhookSecret',
  },
  {
    operationId: 'listWebhookDeliveries',
    run: (p) => p.webhooks.listDeliveries(endpointId, { status: 'failed' }),
    path: `/v2/webhook-endpoints/${endpointId}/deliveries`,
    query: { status: 'failed' },
    returns: 'WebhookDeliveryList',
  },
  {
    operationId: 'replayWebhookDelivery',
    run: (p) => p.webhooks.replayDelivery(endpointId, 'whd_6Tz1KwN3'),
    path: `/v2/webhook-endpoints/${endpointId}/deliveries/whd_6Tz1KwN3/replay`,
    returns: 'WebhookDelivery',
  },
  {
    operationId: 'listConnections',
    run: (p) => p.connections.list(),
    path: '/v2/connections',
    returns: 'ConnectionList',
  },
  {
    operationId: 'createConnection',
    run: (p) => p.connections.create({ provider: 'slack' }),
    path: '/v2/connections',
    body: { provider: 'slack' },
    returns: 'ConnectionAuthorization',
  },
  {
    operationId: 'reauthorizeConnection',
    run: (p) =>
      p.connections.reauthorize('con_7Hq2LxV9', { returnUrl: 'https://admin.example.com/x' }),
    path: '/v2/connections/con_7Hq2LxV9/reauthorize',
    body: { returnUrl: 'https://admin.example.com/x' },
    returns: 'ConnectionAuthorization',
  },
  {
    operationId: 'getConnection',
    run: (p) => p.connections.get('con_7Hq2LxV9'),
    path: '/v2/connections/con_7Hq2LxV9',
    returns: 'Connection',
  },
  {
    operationId: 'deleteConnection',
    run: (p) => p.connections.delete('con_7Hq2LxV9'),
    path: '/v2/connections/con_7Hq2LxV9',
    returns: undefined,
  },
  {
    operationId: 'listWatches',
    run: (p) => p.watches.list(),
    path: '/v2/watches',
    returns: 'WatchList',
  },
  {
    operationId: 'createWatch',
    run: (p) => p.watches.create(exampleOf('WatchCreate')),
    path: '/v2/watches',
    body: exampleOf('WatchCreate'),
    returns: 'Watch',
  },
  {
    operationId: 'getWatch',
    run: (p) => p.watches.get('wat_4Gm8HsD2'),
    path: '/v2/watches/wat_4Gm8HsD2',
    returns: 'Watch',
  },
  {
    operationId: 'prepareWatch',
    run: (p) => p.watches.prepare(exampleOf('WatchPrepare')),
    path: '/v2/watches/prepare',
    body: exampleOf('WatchPrepare'),
    returns: 'WatchPreparation',
  },
  {
    operationId: 'deleteWatch',
    run: (p) => p.watches.delete('wat_4Gm8HsD2'),
    path: '/v2/watches/wat_4Gm8HsD2',
    returns: undefined,
  },
  {
    operationId: 'listApiKeys',
    run: (p) => p.apiKeys.list(),
    path: '/v2/api-keys',
    returns: 'ApiKeyList',
  },
  {
    operationId: 'createApiKey',
    run: (p) => p.apiKeys.create({ name: 'CI pipeline', role: 'analyst' }),
    path: '/v2/api-keys',
    body: { name: 'CI pipeline', role: 'analyst' },
    returns: 'ApiKeyWithSecret',
  },
  {
    operationId: 'revokeApiKey',
    run: (p) => p.apiKeys.revoke('key_1Aq7Wd3E'),
    path: '/v2/api-keys/key_1Aq7Wd3E/revoke',
    returns: 'ApiKey',
  },
  {
    operationId: 'listAuditEvents',
    run: (p) => p.audit.list({ action: 'finding.rejected' }),
    path: '/v2/audit-events',
    query: { action: 'finding.rejected' },
    returns: 'AuditEventList',
  },
];

describe('HttpPrism against the operations of openapi/prism.yaml', () => {
  it.each(cases)('$operationId sends what the spec defines and returns its answer', async (c) => {
    const result = await c.run(connect());
    expect(calls).toHaveLength(1);
    const [call] = calls as [ReceivedCall];
    const operation = operations.find((op) => op.operationId === c.operationId);
    expect(call.operationId).toBe(c.operationId);
    expect(call.method).toBe(operation?.method);
    expect(call.path).toBe(c.path);
    expect(call.query).toEqual(c.query ?? {});
    expect(call.body).toEqual(c.body);
    expect(call.problems).toEqual([]);
    if (c.returns === undefined) expect(result).toBeUndefined();
    else expect(result).toEqual(exampleOf(c.returns));
  });

  it('has handlers that catch a request the spec does not allow', async () => {
    const prism = connect();
    await prism.transport.request({
      method: 'POST',
      path: '/v2/reviews',
      query: { wait: true },
      body: { documentId: 42 },
    });
    expect(calls[0]?.problems).toEqual([
      'unknown query parameter wait',
      expect.stringContaining('/documentId'),
    ]);
  });

  it('passes the caller idempotency key of a POST through', async () => {
    await connect().documents.create(exampleOf('DocumentSourceCreate'), {
      idempotencyKey: 'idem_doc_1',
    });
    expect(calls[0]?.headers.get('idempotency-key')).toBe('idem_doc_1');
  });

  it('has a case for every operation of the spec except the streamed and exported ones', () => {
    const covered = new Set([
      ...cases.map((c) => c.operationId),
      'createReview',
      'streamReviewEvents',
      'exportReview',
    ]);
    expect(operations.map((op) => op.operationId).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('turns a 404 into a NotFoundError with the code and request id', async () => {
    const prism = connect({
      getReview: () => problemResponse(404, { code: 'not_found', requestId: 'req_missing' }),
    });
    const error = await prism.reviews.get('rev_missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req_missing' });
  });

  it('follows nextCursor across two pages with for await', async () => {
    const first = exampleOf<Record<string, unknown>>('Review');
    const second = { ...first, id: 'rev_second' };
    const prism = connect({
      listReviews: (request) =>
        new URL(request.url).searchParams.get('cursor') === 'cur_2'
          ? HttpResponse.json({ data: [second], hasMore: false, nextCursor: null })
          : HttpResponse.json({ data: [first], hasMore: true, nextCursor: 'cur_2' }),
    });
    const ids: string[] = [];
    for await (const review of prism.reviews.list({ limit: 1 })) ids.push(review.id);
    expect(ids).toEqual([reviewId, 'rev_second']);
    expect(calls.map((call) => call.query)).toEqual([
      { limit: '1' },
      { limit: '1', cursor: 'cur_2' },
    ]);
  });
});
