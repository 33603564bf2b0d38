import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT_MS, HttpTransport } from '../../src/client/index.js';
import { API_KEY, problemResponse, reviewExample, setupHarness } from './harness.js';

describe('HttpTransport options', () => {
  const mock = setupHarness('fetch');

  it('defaults to a 60 s timeout, 2 retries and response validation', () => {
    const transport = mock.transport();
    expect([DEFAULT_TIMEOUT_MS, DEFAULT_MAX_RETRIES]).toEqual([60_000, 2]);
    expect(transport).toMatchObject({ timeoutMs: 60_000, maxRetries: 2, validateResponses: true });
  });

  it('refuses a missing key, a bad base URL, a bad timeout or retry count', () => {
    const make = (options: Partial<ConstructorParameters<typeof HttpTransport>[0]>) => () =>
      new HttpTransport({ baseUrl: 'http://prism.test', apiKey: API_KEY, ...options });
    expect(make({ apiKey: '' })).toThrow('apiKey is required');
    expect(make({ baseUrl: 'prism.test' })).toThrow('baseUrl "prism.test" is not a URL.');
    expect(make({ baseUrl: 'ftp://prism.test' })).toThrow('baseUrl must be an http(s) URL');
    expect(make({ timeoutMs: 0 })).toThrow('timeoutMs must be a positive number of ms, not 0.');
    expect(make({ maxRetries: 1.5 })).toThrow('maxRetries must be a whole number >= 0, not 1.5.');
    expect(make({ apiKey: '' })).toThrow(expect.objectContaining({ code: 'invalid_argument' }));
  });

  it('does not show the API key when the transport is inspected', () => {
    const transport = mock.transport();
    expect(JSON.stringify(transport)).not.toContain(API_KEY);
    expect(Object.values(transport)).not.toContain(API_KEY);
  });

  it('keeps a path prefix of the base URL, and merges default and request headers', async () => {
    mock.use(
      http.get('http://prism.test/prism/v2/reviews/rev_1', () => HttpResponse.json(reviewExample)),
    );
    const transport = mock.transport({
      baseUrl: 'http://prism.test/prism/',
      defaultHeaders: { 'X-Tenant-Hint': 'acme', Accept: 'application/json' },
    });
    await transport.request({
      method: 'GET',
      path: '/v2/reviews/rev_1',
      headers: { 'x-tenant-hint': 'other' },
    });
    const sent = mock.requests[0];
    expect(sent?.url).toBe('http://prism.test/prism/v2/reviews/rev_1');
    expect(sent?.headers.get('x-tenant-hint')).toBe('other');
    expect(sent?.headers.get('accept')).toBe('application/json');
  });

  it('refuses a path without a leading slash, and a body together with a form', async () => {
    const transport = mock.transport();
    await expect(transport.request({ method: 'GET', path: 'v2/reviews' })).rejects.toThrow(
      'path must start with "/"',
    );
    await expect(
      transport.request({ method: 'POST', path: '/v2/documents', body: {}, form: new FormData() }),
    ).rejects.toThrow('either a JSON `body` or a `form`');
  });

  it('takes maxRetries per request', async () => {
    mock.use(http.get(`${mock.baseUrl}/v2/stats`, () => problemResponse(503, { code: 'down' })));
    await expect(
      mock.transport().request({ method: 'GET', path: '/v2/stats', maxRetries: 0 }),
    ).rejects.toMatchObject({ status: 503 });
    expect(mock.requests).toHaveLength(1);
  });

  it('returns undefined for an empty 204', async () => {
    mock.use(
      http.delete(
        `${mock.baseUrl}/v2/webhooks/whe_1`,
        () => new HttpResponse(null, { status: 204 }),
      ),
    );
    const { data, response } = await mock
      .transport()
      .request({ method: 'DELETE', path: '/v2/webhooks/whe_1' });
    expect(data).toBeUndefined();
    expect(response.status).toBe(204);
  });
});
