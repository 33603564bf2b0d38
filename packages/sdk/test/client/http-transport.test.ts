import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  APIError,
  AuthenticationError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  type RetryEvent,
  TimeoutError,
  UnprocessableEntityError,
  UserAbortError,
  ValidationError,
} from '../../src/client/index.js';
import { ReviewSchema } from '../../src/index.js';
import {
  API_KEY,
  problemExample,
  problemResponse,
  reviewExample,
  setupHarness,
  type WireMode,
} from './harness.js';

const reviewPath = `/v2/reviews/${reviewExample.id}`;

/** Makes the full-jitter back-off (near) zero, so retry tests do not wait. */
function instantBackoff() {
  vi.spyOn(Math, 'random').mockReturnValue(0.001);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe.each<WireMode>(['fetch', 'undici'])('HttpTransport over %s', (mode) => {
  const mock = setupHarness(mode);
  const url = (path: string) => `${mock.baseUrl}${path}`;

  it('sends the key, Accept and User-Agent, and returns the validated body with the request id', async () => {
    mock.use(
      http.get(url(reviewPath), () =>
        HttpResponse.json(reviewExample, { headers: { 'x-request-id': 'req_get_1' } }),
      ),
    );
    const { data, response } = await mock
      .transport()
      .request({ method: 'GET', path: reviewPath, schema: ReviewSchema });

    expect(data).toEqual(reviewExample);
    expect(response.status).toBe(200);
    expect(response.requestId).toBe('req_get_1');
    const [sent] = mock.requests;
    expect(sent?.headers.get('authorization')).toBe(`Bearer ${API_KEY}`);
    expect(sent?.headers.get('accept')).toContain('application/json');
    expect(sent?.headers.get('user-agent')).toMatch(/^prism-sdk\/\S+ node\/\d+\.\d+\.\d+$/);
    expect(sent?.headers.get('idempotency-key')).toBeNull();
  });

  it('sends query parameters and a JSON body', async () => {
    mock.use(
      http.post(url('/v2/reviews'), async ({ request }) =>
        HttpResponse.json({ ...reviewExample, metadata: await request.json() }, { status: 201 }),
      ),
    );
    const { data } = await mock.transport().request({
      method: 'POST',
      path: '/v2/reviews',
      query: { wait: true, tag: ['a', 'b'], skipped: undefined },
      body: { documentId: 'doc_8Rk2PqW4' },
      schema: ReviewSchema,
    });
    expect(data.metadata).toEqual({ documentId: 'doc_8Rk2PqW4' });
    const sent = mock.requests[0];
    expect(new URL(sent?.url ?? '').search).toBe('?wait=true&tag=a&tag=b');
    expect(sent?.headers.get('content-type')).toBe('application/json');
  });

  it('uploads a multipart form', async () => {
    mock.use(
      http.post(url('/v2/documents'), async ({ request }) => {
        const form = await request.formData();
        const file = form.get('file') as File;
        return HttpResponse.json({ name: file.name, text: await file.text() }, { status: 201 });
      }),
    );
    const form = new FormData();
    form.set('file', new Blob(['# Findings\n']), 'report.md');
    const { data } = await mock
      .transport()
      .request({ method: 'POST', path: '/v2/documents', form });
    expect(data).toEqual({ name: 'report.md', text: '# Findings\n' });
    expect(mock.requests[0]?.headers.get('content-type')).toMatch(
      /^multipart\/form-data; boundary=/,
    );
  });

  it('retries a 429 after its Retry-After, then succeeds', async () => {
    let calls = 0;
    mock.use(
      http.get(url(reviewPath), () => {
        calls += 1;
        return calls === 1
          ? problemResponse(429, { code: 'rate_limited' }, { 'retry-after': '0.05' })
          : HttpResponse.json(reviewExample);
      }),
    );
    const transport = mock.transport();
    const retries: RetryEvent[] = [];
    transport.on('retry', (event) => retries.push(event));

    const { data } = await transport.request({ method: 'GET', path: reviewPath });

    expect(data).toEqual(reviewExample);
    expect(calls).toBe(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]).toMatchObject({ attempt: 2, delayMs: 50, reason: 'rate limited' });
    expect(retries[0]?.error).toBeInstanceOf(RateLimitError);
  });

  it('retries a 503 three times with maxRetries 3, then succeeds', async () => {
    instantBackoff();
    let calls = 0;
    mock.use(
      http.get(url(reviewPath), () => {
        calls += 1;
        return calls <= 3
          ? problemResponse(503, { code: 'unavailable', title: 'Service Unavailable' })
          : HttpResponse.json(reviewExample);
      }),
    );
    const transport = mock.transport({ maxRetries: 3 });
    const reasons: string[] = [];
    transport.on('retry', (event) => reasons.push(event.reason));

    const { data } = await transport.request({ method: 'GET', path: reviewPath });

    expect(data).toEqual(reviewExample);
    expect(calls).toBe(4);
    expect(reasons).toEqual(['status 503', 'status 503', 'status 503']);
  });

  it('gives up on a 503 after maxRetries and says how many attempts it made', async () => {
    instantBackoff();
    mock.use(http.get(url(reviewPath), () => problemResponse(503, { code: 'unavailable' })));
    const error = await mock
      .transport()
      .request({ method: 'GET', path: reviewPath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InternalServerError);
    expect(error).toMatchObject({
      status: 503,
      code: 'unavailable',
      requestId: 'req_503_unavailable',
    });
    expect((error as Error).message).toContain('Gave up after 3 attempts');
    expect(mock.requests).toHaveLength(3);
  });

  it('times out an attempt that takes longer than timeoutMs', async () => {
    mock.use(
      http.get(url(reviewPath), async () => {
        await delay(2_000);
        return HttpResponse.json(reviewExample);
      }),
    );
    const error = await mock
      .transport({ timeoutMs: 50, maxRetries: 0 })
      .request({ method: 'GET', path: reviewPath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ code: 'timeout', timeoutMs: 50 });
    expect((error as Error).message).toBe(`GET ${reviewPath} got no whole response within 50 ms.`);
  });

  it('retries a timed-out attempt; a per-request timeout wins over the default', async () => {
    instantBackoff();
    let calls = 0;
    mock.use(
      http.get(url(reviewPath), async () => {
        calls += 1;
        if (calls === 1) await delay(2_000);
        return HttpResponse.json(reviewExample);
      }),
    );
    const transport = mock.transport({ timeoutMs: 60_000 });
    const { data } = await transport.request({ method: 'GET', path: reviewPath, timeoutMs: 50 });
    expect(data).toEqual(reviewExample);
    expect(calls).toBe(2);
  });

  it('retries a connection reset, and reports one that persists as a ConnectionError', async () => {
    instantBackoff();
    mock.use(
      http.get(url(reviewPath), () => HttpResponse.error(), { once: true }),
      http.get(url(reviewPath), () => HttpResponse.json(reviewExample)),
      http.get(url('/v2/stats'), () => HttpResponse.error()),
    );
    const transport = mock.transport();

    expect((await transport.request({ method: 'GET', path: reviewPath })).data).toEqual(
      reviewExample,
    );
    expect(mock.requests).toHaveLength(2);
    const error = await transport
      .request({ method: 'GET', path: '/v2/stats' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'connection_error' });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^GET /v2/stats could not reach ${mock.baseUrl.replaceAll('.', '\\.')}: .+ \\(3 attempts\\)\\.$`,
      ),
    );
  });

  it('rejects malformed JSON on a 2xx with a ValidationError, without retrying', async () => {
    mock.use(
      http.get(url(reviewPath), () =>
        HttpResponse.text('{"id": "rev_3Nf8TgY1", "status": ', {
          headers: { 'content-type': 'application/json', 'x-request-id': 'req_bad_json' },
        }),
      ),
    );
    const error = await mock
      .transport()
      .request({ method: 'GET', path: reviewPath, schema: ReviewSchema })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error).toMatchObject({
      code: 'invalid_response',
      requestId: 'req_bad_json',
      issues: [],
    });
    expect((error as Error).message).toMatch(
      /^The 200 response to GET \/v2\/reviews\/rev_3Nf8TgY1 \(request req_bad_json\) is not JSON/,
    );
    expect(mock.requests).toHaveLength(1);
  });

  it('rejects a body that breaks the schema, naming the field; validateResponses: false takes it', async () => {
    const broken = { ...reviewExample, summary: { ...reviewExample.summary, score: 'high' } };
    mock.use(
      http.get(url(reviewPath), () =>
        HttpResponse.json(broken, { headers: { 'x-request-id': 'req_broken' } }),
      ),
    );
    const error = await mock
      .transport()
      .request({ method: 'GET', path: reviewPath, schema: ReviewSchema })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as Error).message).toContain('summary.score:');
    expect((error as ValidationError).issues[0]?.path).toBe('summary.score');

    const { data } = await mock
      .transport({ validateResponses: false })
      .request({ method: 'GET', path: reviewPath, schema: ReviewSchema });
    expect(data).toEqual(broken);
  });

  it.each([
    [400, 'invalid_cursor', BadRequestError],
    [401, 'invalid_api_key', AuthenticationError],
    [403, 'forbidden_role', PermissionDeniedError],
    [404, 'not_found', NotFoundError],
    [409, 'idempotency_key_reused', ConflictError],
    [422, 'validation_failed', UnprocessableEntityError],
  ] as const)(
    'maps %i to its error class with the code and request id',
    async (status, code, type) => {
      mock.use(
        http.post(url('/v2/reviews'), () =>
          problemResponse(status, {
            ...problemExample,
            status,
            code,
            hint: `Server hint for ${code}.`,
            requestId: `req_${code}`,
          }),
        ),
      );
      const error = await mock
        .transport()
        .request({ method: 'POST', path: '/v2/reviews', body: { documentId: 'doc_1' } })
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(type);
      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({
        status,
        code,
        requestId: `req_${code}`,
        hint: `Server hint for ${code}.`,
      });
      expect((error as Error).message).toContain(
        `POST /v2/reviews failed: ${status} Validation failed (code ${code}, request req_${code}).`,
      );
      expect((error as APIError).problem?.detail).toBe(problemExample.detail);
      expect(mock.requests).toHaveLength(1);
      if (status === 422) {
        expect((error as UnprocessableEntityError).fieldErrors).toEqual(problemExample.errors);
      }
    },
  );

  it('falls back to a status code and the body when the error is not a problem document', async () => {
    mock.use(
      http.get(url(reviewPath), () =>
        HttpResponse.html('<html><body>Access denied by proxy</body></html>', { status: 403 }),
      ),
    );
    const error = await mock
      .transport()
      .request({ method: 'GET', path: reviewPath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ code: 'forbidden', requestId: undefined, problem: undefined });
    expect((error as Error).message).toContain('403 Forbidden (code forbidden, no request id)');
    expect((error as Error).message).toContain('Access denied by proxy');
    expect((error as PermissionDeniedError).hint).toMatch(/role/);
  });

  it('retries a 409 only when its code says the conflict is transient', async () => {
    instantBackoff();
    let calls = 0;
    mock.use(
      http.post(url('/v2/reviews'), () => {
        calls += 1;
        return calls === 1
          ? problemResponse(409, { code: 'lock_timeout' })
          : HttpResponse.json(reviewExample, { status: 201 });
      }),
    );
    const { response } = await mock
      .transport()
      .request({ method: 'POST', path: '/v2/reviews', body: {} });
    expect(response.status).toBe(201);
    expect(calls).toBe(2);
  });

  it('reuses one generated Idempotency-Key across the retries of a POST', async () => {
    instantBackoff();
    let calls = 0;
    mock.use(
      http.post(url('/v2/reviews'), () => {
        calls += 1;
        return calls < 3
          ? problemResponse(502, { code: 'bad_gateway' })
          : HttpResponse.json(reviewExample, { status: 201 });
      }),
    );
    const transport = mock.transport();
    await transport.request({ method: 'POST', path: '/v2/reviews', body: { documentId: 'doc_1' } });
    await transport.request({ method: 'POST', path: '/v2/reviews', body: { documentId: 'doc_1' } });

    const keys = mock.requests.map((request) => request.headers.get('idempotency-key'));
    expect(keys).toHaveLength(4);
    expect(keys[0]).toMatch(/^prism-retry-[0-9a-f-]{36}$/);
    expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it("keeps the caller's Idempotency-Key", async () => {
    mock.use(
      http.post(url('/v2/reviews'), () => HttpResponse.json(reviewExample, { status: 201 })),
    );
    const transport = mock.transport();
    await transport.request({
      method: 'POST',
      path: '/v2/reviews',
      body: {},
      idempotencyKey: 'order-42',
    });
    await transport.request({
      method: 'POST',
      path: '/v2/reviews',
      body: {},
      headers: { 'Idempotency-Key': 'order-43' },
    });
    expect(mock.requests.map((request) => request.headers.get('idempotency-key'))).toEqual([
      'order-42',
      'order-43',
    ]);
  });

  it('does not retry a Retry-After beyond 60 s, and says how long to wait', async () => {
    mock.use(
      http.get(url(reviewPath), () =>
        problemResponse(429, { code: 'rate_limited' }, { 'retry-after': '120' }),
      ),
    );
    const error = await mock
      .transport()
      .request({ method: 'GET', path: reviewPath })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RateLimitError);
    expect(error).toMatchObject({ retryAfterMs: 120_000 });
    expect((error as Error).message).toContain(
      'The server asked to wait 120 s, longer than the 60 s this client waits on its own',
    );
    expect((error as RateLimitError).hint).toContain('wait 120 s');
    expect(mock.requests).toHaveLength(1);
  });

  it("stops with a UserAbortError when the caller's signal aborts, without retrying", async () => {
    mock.use(
      http.get(url(reviewPath), async () => {
        await delay(2_000);
        return HttpResponse.json(reviewExample);
      }),
    );
    const controller = new AbortController();
    const pending = mock
      .transport()
      .request({ method: 'GET', path: reviewPath, signal: controller.signal })
      .catch((e: unknown) => e);
    setTimeout(() => controller.abort(), 20);
    const error = await pending;
    expect(error).toBeInstanceOf(UserAbortError);
    expect(error).toMatchObject({ code: 'aborted' });
    expect(mock.requests).toHaveLength(1);
  });

  it('stops waiting for a retry when the caller aborts during the back-off', async () => {
    mock.use(
      http.get(url(reviewPath), () =>
        problemResponse(503, { code: 'unavailable' }, { 'retry-after': '30' }),
      ),
    );
    const controller = new AbortController();
    const transport = mock.transport();
    transport.on('retry', () => controller.abort());
    const error = await transport
      .request({ method: 'GET', path: reviewPath, signal: controller.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserAbortError);
    expect(mock.requests).toHaveLength(1);
  });

  it('emits request, response, retry and error events in order', async () => {
    instantBackoff();
    mock.use(
      http.get(url(reviewPath), () => problemResponse(500, { code: 'internal' }), { once: true }),
      http.get(url(reviewPath), () => HttpResponse.json(reviewExample)),
      http.get(url('/v2/missing'), () => problemResponse(404, { code: 'not_found' })),
    );
    const transport = mock.transport();
    const seen: string[] = [];
    transport.on('request', (e) => seen.push(`request ${e.attempt}`));
    transport.on('response', (e) => seen.push(`response ${e.status} ${e.requestId ?? '-'}`));
    transport.on('retry', (e) => seen.push(`retry ${e.attempt} ${e.reason}`));
    transport.on('error', (e) => seen.push(`error ${e.error.code} after ${e.attempts}`));

    await transport.request({ method: 'GET', path: reviewPath });
    await transport.request({ method: 'GET', path: '/v2/missing' }).catch(() => undefined);

    expect(seen).toEqual([
      'request 1',
      'response 500 req_500_internal',
      'retry 2 status 500',
      'request 2',
      'response 200 -',
      'request 1',
      'response 404 req_404_not_found',
      'error not_found after 1',
    ]);
  });

  it('follows cursors across three pages, and toArray stops fetching at its limit', async () => {
    const review = (n: number) => ({ ...reviewExample, id: `rev_${n}` });
    const pages: Record<string, { data: unknown[]; hasMore: boolean; nextCursor: string | null }> =
      {
        first: { data: [review(1), review(2)], hasMore: true, nextCursor: 'c2' },
        c2: { data: [review(3), review(4)], hasMore: true, nextCursor: 'c3' },
        c3: { data: [review(5)], hasMore: false, nextCursor: null },
      };
    mock.use(
      http.get(url('/v2/reviews'), ({ request }) => {
        const cursor = new URL(request.url).searchParams.get('cursor') ?? 'first';
        return HttpResponse.json(pages[cursor]);
      }),
    );
    const transport = mock.transport();
    const list = () => transport.list({ path: '/v2/reviews', limit: 2 });

    const ids: string[] = [];
    for await (const item of list()) ids.push((item as { id: string }).id);
    expect(ids).toEqual(['rev_1', 'rev_2', 'rev_3', 'rev_4', 'rev_5']);
    expect(mock.requests.map((r) => new URL(r.url).search)).toEqual([
      '?limit=2',
      '?limit=2&cursor=c2',
      '?limit=2&cursor=c3',
    ]);

    mock.requests.length = 0;
    expect(await list().toArray({ limit: 3 })).toHaveLength(3);
    expect(mock.requests).toHaveLength(2);

    const first = await list();
    expect(first).toMatchObject({ hasMore: true, nextCursor: 'c2' });
    expect(first.data).toHaveLength(2);
  });
});
