import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  APIError,
  BadRequestError,
  ConflictError,
  type Finding,
  HttpPrism,
  type LocalPrism,
  NotFoundError,
  Prism,
  type Problem,
  type ReviewStreamEvent,
} from '../../src/index.js';
import { localServerHandlers } from './local-server.js';
import { operations, type ReceivedCall } from './spec-handlers.js';

const baseUrl = 'http://prism.test';
const documentsDir = resolve(import.meta.dirname, '../../../../examples/documents');
const markdownPath = resolve(documentsDir, 'phishing-account-takeover.md');
const docxPath = resolve(documentsDir, 'phishing-account-takeover.docx');

const server = setupServer();
const calls: ReceivedCall[] = [];
let local: LocalPrism;
let client: HttpPrism;

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());
beforeEach(() => {
  local = Prism.local();
  server.resetHandlers(...localServerHandlers(baseUrl, local, { calls }));
  client = new HttpPrism({ baseUrl, apiKey: 'prism_sk_test', fetch: globalThis.fetch });
});
afterEach(async () => {
  await local.close();
  calls.length = 0;
});

/** The calls that broke the spec, with what they broke (empty when the client spoke it). */
function specViolations() {
  return calls
    .filter((call) => call.problems.length > 0)
    .map(({ operationId, problems }) => ({ operationId, problems }));
}

/** The error a call rejects with. */
async function failure(call: Promise<unknown>): Promise<APIError> {
  const error = await call.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(APIError);
  return error as APIError;
}

describe('localServerHandlers', () => {
  it('serves an upload, a review with its events, decisions and exports over HTTP', async () => {
    const requestIds: (string | undefined)[] = [];
    client.transport.on('response', (event) => requestIds.push(event.requestId));
    const document = await client.documents.create({ file: markdownPath });
    expect(document).toMatchObject({
      filename: 'phishing-account-takeover.md',
      mediaType: 'text/markdown',
    });
    expect(document.sections.length).toBeGreaterThan(0);

    const handle = await client.reviews.create({ documentId: document.id });
    expect(handle.review.status).toBe('queued');
    const found: Finding[] = [];
    handle.on('finding', (finding) => found.push(finding));
    const review = await handle.done();
    expect(review.status).toBe('succeeded');
    expect(found.length).toBeGreaterThan(0);

    const findings = await client.findings.list(review.id, { limit: 100 }).toArray();
    expect(findings.map((finding) => finding.id)).toEqual(found.map((finding) => finding.id));
    const [first] = findings as [Finding];
    const rejected = await client.findings.reject(first.id, { reason: 'Covered in the appendix.' });
    expect(rejected).toMatchObject({ id: first.id, status: 'rejected' });
    expect((await local.findings.get(first.id)).status).toBe('rejected');

    const markdown = await client.exports.get(review.id, 'markdown');
    expect(markdown).toMatchObject({
      contentType: 'text/markdown',
      filename: 'phishing-account-takeover.review.md',
    });
    expect(new TextDecoder().decode(markdown.body)).toContain(document.title);

    expect(calls.map((call) => call.operationId)).toEqual(
      expect.arrayContaining([
        'createDocument',
        'createReview',
        'streamReviewEvents',
        'listFindings',
        'rejectFinding',
        'exportReview',
      ]),
    );
    expect(
      calls.every((call) => call.headers.has('idempotency-key') === (call.method === 'POST')),
    ).toBe(true);
    expect(requestIds).toHaveLength(calls.length);
    expect(requestIds.every((id) => id?.startsWith('req_'))).toBe(true);
    expect(specViolations()).toEqual([]);
  });

  it('reviews a .docx with reviewFile and exports it with comments', async () => {
    const report = await client.reviewFile(docxPath);
    expect(report.document.filename).toBe('phishing-account-takeover.docx');
    expect(report.review.status).toBe('succeeded');

    const docx = await client.exports.get(report.review.id, 'docx');
    expect(docx.filename).toBe('phishing-account-takeover.reviewed.docx');
    expect(docx.contentType).toBe(
      'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    );
    expect(new TextDecoder().decode(docx.body.subarray(0, 2))).toBe('PK');
    expect(specViolations()).toEqual([]);
  });

  it('streams a review live, and replays a finished one ending with completed', async () => {
    const document = await client.documents.create({ file: markdownPath });
    const handle = await client.reviews.create({ documentId: document.id });
    const live: ReviewStreamEvent[] = [];
    for await (const event of client.reviews.events(handle.id)) live.push(event);
    expect(live.at(-1)).toMatchObject({ type: 'completed', review: { status: 'succeeded' } });

    const replayed: ReviewStreamEvent[] = [];
    for await (const event of client.reviews.events(handle.id)) replayed.push(event);
    const findingIds = (await local.findings.list(handle.id, { limit: 100 }).toArray()).map(
      (finding) => finding.id,
    );
    expect(replayed.map((event) => event.type)).toEqual([
      ...findingIds.map(() => 'finding'),
      'completed',
    ]);
    expect(replayed.flatMap((event) => (event.finding ? [event.finding.id] : []))).toEqual(
      findingIds,
    );
    expect(specViolations()).toEqual([]);
  });

  it('sends review events as numbered server-sent events, closing after the last', async () => {
    const document = await client.documents.create({ file: markdownPath });
    const review = await (await client.reviews.create({ documentId: document.id })).done();
    const response = await fetch(`${baseUrl}/v2/reviews/${review.id}/events`, {
      headers: { authorization: 'Bearer prism_sk_test', accept: 'text/event-stream' },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const messages = (await response.text()).split('\n\n').filter(Boolean);
    expect(messages.at(-1)).toMatch(
      new RegExp(`^id: ${messages.length}\nevent: completed\ndata: {`),
    );
    expect(messages[0]).toMatch(/^id: 1\nevent: finding\ndata: {"type":"finding"/);
  });

  it('answers chat as JSON and as a stream of deltas', async () => {
    const document = await client.documents.create({ file: markdownPath });
    const question = { documentId: document.id, question: 'Which accounts were taken over?' };
    const answer = await client.chat.ask(question);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer).toEqual(await local.chat.ask(question));

    const streamed = [];
    for await (const event of client.chat.stream(question)) streamed.push(event);
    const done = streamed.at(-1);
    expect(done).toEqual({ type: 'done', answer });
    const deltas = streamed.slice(0, -1).map((event) => event.text);
    expect(deltas.join('')).toBe(answer.answer);
    expect(calls.at(-1)?.headers.get('accept')).toContain('text/event-stream');
    expect(specViolations()).toEqual([]);
  });

  it('answers errors as the problems a server sends, with the response request id', async () => {
    const missing = await failure(client.documents.get('doc_missing'));
    expect(missing).toBeInstanceOf(NotFoundError);
    expect(missing).toMatchObject({ status: 404, code: 'not_found' });
    expect(missing.requestId).toMatch(/^req_/);
    expect(missing.problem).toMatchObject({
      code: 'not_found',
      requestId: missing.requestId,
      instance: '/v2/documents/doc_missing',
    });

    const document = await client.documents.create({ file: markdownPath });
    const review = await (await client.reviews.create({ documentId: document.id })).done();
    const finished = await failure(client.reviews.cancel(review.id));
    expect(finished).toBeInstanceOf(ConflictError);
    expect(finished.code).toBe('review_finished');

    const notDocx = await failure(client.exports.get(review.id, 'docx'));
    expect(notDocx).toBeInstanceOf(BadRequestError);
    expect(notDocx.code).toBe('export_format_unsupported');

    const unsupported = await failure(
      client.connections.create({ provider: 'microsoft', returnUrl: 'https://app.test/done' }),
    );
    expect(unsupported).toMatchObject({ status: 501, code: 'not_supported_locally' });
    expect(unsupported.problem?.hint).toContain('prism serve');

    const unsupportedFormat = await failure(
      client.documents.create({ file: new TextEncoder().encode('x'), filename: 'a.xyz' }),
    );
    expect(unsupportedFormat.status).toBe(415);
    expect(specViolations()).toEqual([]);
  });

  it('answers a request that breaks the spec with 422 (400 when unreadable), and records it', async () => {
    const response = await fetch(`${baseUrl}/v2/documents?limit=0&sort=name`, {
      headers: { authorization: 'Bearer prism_sk_test', 'x-request-id': 'req_mine' },
    });
    expect(response.status).toBe(422);
    expect(response.headers.get('x-request-id')).toBe('req_mine');
    const problem = (await response.json()) as Problem;
    expect(problem).toMatchObject({ code: 'validation_failed', requestId: 'req_mine' });
    expect(problem.detail).toContain('unknown query parameter sort');
    expect(problem.detail).toContain('query parameter limit must be >= 1');

    const patch = await fetch(`${baseUrl}/v2/findings/fnd_1`, {
      method: 'PATCH',
      headers: {
        authorization: 'Bearer prism_sk_test',
        'content-type': 'application/json',
        'idempotency-key': 'key-1',
      },
      body: JSON.stringify({ severity: 'huge' }),
    });
    expect(patch.status).toBe(422);
    const { detail, errors } = (await patch.json()) as Problem;
    expect(errors).toContainEqual({
      path: '/severity',
      message: 'must be equal to one of the allowed values (critical, major, minor, info)',
    });
    expect(detail).toContain('header idempotency-key is not a parameter of updateFinding');
    expect(detail).toContain('/severity must be equal to one of the allowed values');
    const notJson = await fetch(`${baseUrl}/v2/reviews`, {
      method: 'POST',
      headers: { authorization: 'Bearer prism_sk_test', 'content-type': 'application/json' },
      body: '{"documentId":',
    });
    expect(notJson.status).toBe(400);
    const unreadable = (await notJson.json()) as Problem;
    expect(unreadable).toMatchObject({ code: 'bad_request' });
    expect(unreadable.detail).toContain('the body cannot be read');
    expect(specViolations().map((violation) => violation.operationId)).toEqual([
      'listDocuments',
      'updateFinding',
      'createReview',
    ]);
    calls.length = 0;
  });

  it('answers 500 spec_violation when the answer breaks the spec, and records it', async () => {
    Object.assign(local.stats, { get: async () => ({ from: 'yesterday' }) });
    const strict = new HttpPrism({ baseUrl, apiKey: 'prism_sk_test', fetch, maxRetries: 0 });
    const drift = await failure(strict.stats.get());
    expect(drift).toMatchObject({ status: 500, code: 'spec_violation' });
    expect(drift.problem?.detail).toContain("must have required property 'to'");
    expect(specViolations()).toEqual([
      {
        operationId: 'getStats',
        problems: expect.arrayContaining([expect.stringMatching(/^answer: /)]),
      },
    ]);
    calls.length = 0;
  });

  it('needs a bearer API key', async () => {
    const response = await fetch(`${baseUrl}/v2/documents`);
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ code: 'unauthorized', status: 401 });
  });

  it('answers every operation of the spec', async () => {
    let hooked: () => void = () => undefined;
    const delivered = new Promise<void>((resolve) => {
      hooked = resolve;
    });
    server.use(
      http.post('https://hooks.test/prism', () => {
        hooked();
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { endpoint } = await client.webhooks.create({
      url: 'https://hooks.test/prism',
      enabledEvents: ['document.ingested'],
    });
    const document = await client.documents.create({
      file: await readFile(markdownPath),
      filename: 'notes.md',
      title: 'Notes',
      metadata: { caseId: 'INC-1' },
    });
    expect(document).toMatchObject({ title: 'Notes', metadata: { caseId: 'INC-1' } });
    expect(calls.at(-1)?.headers.get('content-type')).toBe('application/json');

    const review = await (await client.reviews.create({ documentId: document.id })).done();
    const [finding] = (await client.findings.list(review.id, { limit: 1 })).data as [Finding];
    const item = finding.frameworkItems[0] ?? { number: 1, key: 'scope' };
    const own = await client.findings.create(review.id, {
      sectionIndex: 0,
      frameworkItems: [item],
      severity: 'minor',
      title: 'Timeline gap',
      description: 'The timeline skips an hour.',
    });
    expect(await client.findings.get(own.id)).toEqual(own);
    expect((await client.findings.update(own.id, { severity: 'major' })).severity).toBe('major');
    expect((await client.findings.accept(own.id)).status).toBe('accepted');
    const reason = { reason: 'A duplicate.' };
    expect((await client.findings.reject(finding.id, reason)).status).toBe('rejected');
    const ofItem = await client.findings.list(review.id, { item: item.number, status: 'accepted' });
    expect(ofItem.data.map((each) => each.id)).toEqual([own.id]);

    expect((await client.documents.list({ limit: 1 })).data).toHaveLength(1);
    expect((await client.reviews.list({ documentId: document.id })).data).toHaveLength(1);
    expect(await client.reviews.get(review.id)).toEqual(review);
    expect((await client.patterns.list({ minDocuments: 2 })).data).toEqual([]);
    const stats = await client.stats.get({ from: '2020-01-01T00:00:00Z' });
    expect(stats.reviews.byStatus.succeeded).toBe(1);

    const frameworks = await client.frameworks.list();
    const builtIn = frameworks.data[0];
    expect(builtIn).toBeDefined();
    const framework = await client.frameworks.get(builtIn?.id ?? '', {
      version: builtIn?.version ?? '',
    });
    expect(framework.items.length).toBeGreaterThan(0);
    const custom = await client.frameworks.create({
      id: 'acme-checks',
      version: '1.0.0',
      name: 'Acme checks',
      items: framework.items.slice(0, 2),
    });
    expect(custom.id).toBe('acme-checks');

    expect((await client.webhooks.get(endpoint.id)).url).toBe('https://hooks.test/prism');
    expect((await client.webhooks.update(endpoint.id, { description: 'Acme' })).description).toBe(
      'Acme',
    );
    expect((await client.webhooks.list()).data).toHaveLength(1);
    expect((await client.webhooks.rotateSecret(endpoint.id)).secret).toMatch(/^whsec_/);
    await delivered;
    const [delivery] = (await client.webhooks.listDeliveries(endpoint.id)).data;
    expect(delivery?.eventType).toBe('document.ingested');
    const replayed = await client.webhooks.replayDelivery(endpoint.id, delivery?.id ?? '');
    expect(replayed.attempts.at(-1)?.responseStatus).toBe(204);
    await client.webhooks.delete(endpoint.id);

    const key = await client.apiKeys.create({ name: 'CI', role: 'analyst' });
    expect((await client.apiKeys.list()).data).toContainEqual(
      expect.objectContaining({ id: key.apiKey.id }),
    );
    expect((await client.apiKeys.revoke(key.apiKey.id)).revokedAt).not.toBeNull();
    expect((await client.audit.list({ action: 'api_key.revoked' })).data).toHaveLength(1);

    expect((await client.connections.list()).data).toEqual([]);
    const connection = await failure(client.connections.create({ provider: 'slack' }));
    expect(connection.code).toBe('not_supported_locally');
    expect(await failure(client.connections.reauthorize('con_1'))).toBeInstanceOf(NotFoundError);
    expect(await failure(client.connections.get('con_1'))).toBeInstanceOf(NotFoundError);
    expect(await failure(client.connections.delete('con_1'))).toBeInstanceOf(NotFoundError);
    expect((await client.watches.list()).data).toEqual([]);
    const watch = await failure(
      client.watches.create({ connectionId: 'con_1', kind: 'slack', target: 'C0123' }),
    );
    expect(watch.code).toBe('not_supported_locally');
    const preparation = await failure(
      client.watches.prepare({ connectionId: 'con_1', kind: 'slack', target: 'C0123' }),
    );
    expect(preparation.code).toBe('not_supported_locally');
    expect(await failure(client.watches.get('wat_1'))).toBeInstanceOf(NotFoundError);
    expect(await failure(client.watches.delete('wat_1'))).toBeInstanceOf(NotFoundError);
    expect(await failure(client.reviews.cancel(review.id))).toBeInstanceOf(ConflictError);
    const events: string[] = [];
    for await (const event of client.reviews.events(review.id)) events.push(event.type);
    expect(events.at(-1)).toBe('completed');
    const exported = await client.exports.get(review.id, 'json');
    expect(exported).toMatchObject({
      contentType: 'application/json',
      filename: 'notes.review.json',
    });
    const answer = await client.chat.ask({ reviewId: review.id, question: 'What failed?' });
    expect(answer.model).toBe('rules');
    await client.documents.delete(document.id);
    expect(await failure(client.documents.get(document.id))).toBeInstanceOf(NotFoundError);

    const answered = new Set(calls.map((call) => call.operationId));
    expect(
      operations.map((operation) => operation.operationId).filter((id) => !answered.has(id)),
    ).toEqual([]);
    expect(specViolations()).toEqual([]);
  });
});
