import { delay, HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { problemResponse, reviewExample, setupHarness } from './harness.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('rate limiting', () => {
  const mock = setupHarness('fetch');
  const url = (path: string) => `${mock.baseUrl}${path}`;
  const paths = () => mock.requests.map((request) => new URL(request.url).pathname);

  function fakeClock() {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Date.parse('2026-03-15T09:12:45Z'));
  }

  it("holds every request of the transport after a 429, for the server's Retry-After", async () => {
    fakeClock();
    mock.use(
      http.get(
        url('/a'),
        () => problemResponse(429, { code: 'rate_limited' }, { 'retry-after': '2' }),
        {
          once: true,
        },
      ),
      http.get(url('/a'), () => HttpResponse.json(reviewExample)),
      http.get(url('/b'), () => HttpResponse.json(reviewExample)),
    );
    const transport = mock.transport();
    const retried = new Promise((resolve) => transport.once('retry', resolve));
    const a = transport.request({ method: 'GET', path: '/a' });
    await retried;
    const b = transport.request({ method: 'GET', path: '/b' });

    await vi.advanceTimersByTimeAsync(1_990);
    expect(paths()).toEqual(['/a']);
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all([a, b]);
    expect(paths().sort()).toEqual(['/a', '/a', '/b']);
  });

  it('holds further requests when X-RateLimit-Remaining reaches 0, until X-RateLimit-Reset', async () => {
    fakeClock();
    mock.use(
      http.get(url('/a'), () =>
        HttpResponse.json(reviewExample, {
          headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '3' },
        }),
      ),
      http.get(url('/b'), () => HttpResponse.json(reviewExample)),
    );
    const transport = mock.transport();
    await transport.request({ method: 'GET', path: '/a' });
    const b = transport.request({ method: 'GET', path: '/b' });

    await vi.advanceTimersByTimeAsync(2_990);
    expect(paths()).toEqual(['/a']);
    await vi.advanceTimersByTimeAsync(10);
    await b;
    expect(paths()).toEqual(['/a', '/b']);
  });

  it('spaces starts out with rateLimit.maxPerSecond', async () => {
    fakeClock();
    mock.use(http.get(url('/a'), () => HttpResponse.json(reviewExample)));
    const transport = mock.transport({ rateLimit: { maxPerSecond: 2 } });
    const all = Promise.all([1, 2, 3].map(() => transport.request({ method: 'GET', path: '/a' })));

    await vi.advanceTimersByTimeAsync(450);
    expect(mock.requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(150);
    expect(mock.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(350);
    expect(mock.requests).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(150);
    expect(mock.requests).toHaveLength(3);
    await all;
  });

  it('keeps at most rateLimit.maxConcurrent requests in flight', async () => {
    let inFlight = 0;
    let most = 0;
    mock.use(
      http.get(url('/a'), async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await delay(10);
        inFlight -= 1;
        return HttpResponse.json(reviewExample);
      }),
    );
    const transport = mock.transport({ rateLimit: { maxConcurrent: 2 } });
    await Promise.all([1, 2, 3, 4, 5].map(() => transport.request({ method: 'GET', path: '/a' })));
    expect(mock.requests).toHaveLength(5);
    expect(most).toBe(2);
  });

  it('refuses limits that are not positive', () => {
    expect(() => mock.transport({ rateLimit: { maxConcurrent: 0 } })).toThrow(
      'rateLimit.maxConcurrent must be a positive integer, not 0.',
    );
    expect(() => mock.transport({ rateLimit: { maxPerSecond: -1 } })).toThrow(
      'rateLimit.maxPerSecond must be a positive number, not -1.',
    );
  });
});
