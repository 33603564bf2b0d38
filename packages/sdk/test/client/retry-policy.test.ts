import { HttpResponse, http } from 'msw';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  MAX_RETRY_AFTER_MS,
  RETRY_BASE_DELAY_MS,
  RETRY_MAX_DELAY_MS,
} from '../../src/client/index.js';
import { backoffDelayMs, isRetryableStatus, retryAfterMs } from '../../src/client/retry.js';
import { problemResponse, reviewExample, setupHarness } from './harness.js';

describe('back-off', () => {
  it('doubles from 0.5 s up to 8 s, with full jitter below that bound', () => {
    const bounds = [1, 2, 3, 4, 5, 6, 10].map((retry) => backoffDelayMs(retry, 0.999_999));
    expect(bounds).toEqual([499, 999, 1999, 3999, 7999, 7999, 7999]);
    expect(backoffDelayMs(1, 0)).toBe(0);
    expect(backoffDelayMs(3, 0.5)).toBe(1000);
    expect([RETRY_BASE_DELAY_MS, RETRY_MAX_DELAY_MS, MAX_RETRY_AFTER_MS]).toEqual([
      500, 8000, 60_000,
    ]);
  });
});

describe('Retry-After', () => {
  const now = Date.parse('2026-03-15T09:12:45Z');
  const headers = (init: Record<string, string>) => new Headers(init);

  it('reads seconds, an HTTP date, and retry-after-ms first', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': '1.5' }), now)).toBe(1500);
    expect(retryAfterMs(headers({ 'retry-after': 'Sun, 15 Mar 2026 09:12:50 GMT' }), now)).toBe(
      5000,
    );
    expect(retryAfterMs(headers({ 'retry-after': '3', 'retry-after-ms': '250' }), now)).toBe(250);
  });

  it('ignores what it cannot read, and a date in the past means now', () => {
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '-5' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': '0x10' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'Sun, 15 Mar 2026 09:00:00 GMT' }), now)).toBe(0);
  });
});

describe('which statuses are retried', () => {
  const none = new Headers();

  it('retries 408, 429, 5xx but 501, and 409 only for transient conflict codes', () => {
    const retried = [400, 401, 403, 404, 408, 409, 422, 429, 500, 501, 502, 503, 504].filter(
      (status) => isRetryableStatus(status, none, undefined),
    );
    expect(retried).toEqual([408, 429, 500, 502, 503, 504]);
    expect(isRetryableStatus(409, none, 'lock_timeout')).toBe(true);
    expect(isRetryableStatus(409, none, 'conflict_retry')).toBe(true);
    expect(isRetryableStatus(409, none, 'idempotency_key_reused')).toBe(false);
  });

  it('lets the server decide with x-should-retry', () => {
    expect(isRetryableStatus(400, new Headers({ 'x-should-retry': 'true' }), undefined)).toBe(true);
    expect(isRetryableStatus(503, new Headers({ 'x-should-retry': 'false' }), undefined)).toBe(
      false,
    );
  });
});

describe('waiting for Retry-After (fake clock)', () => {
  const mock = setupHarness('fetch');
  const url = `${mock.baseUrl}/v2/reviews/${reviewExample.id}`;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    vi.setSystemTime(Date.parse('2026-03-15T09:12:45Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it.each([
    ['seconds', () => '2'],
    ['an HTTP date', () => new Date(Date.now() + 2000).toUTCString()],
  ])('sends the retry no sooner than Retry-After in %s says', async (_form, retryAfter) => {
    let calls = 0;
    mock.use(
      http.get(url, () => {
        calls += 1;
        return calls === 1
          ? problemResponse(429, { code: 'rate_limited' }, { 'retry-after': retryAfter() })
          : HttpResponse.json(reviewExample);
      }),
    );
    const pending = mock
      .transport()
      .request({ method: 'GET', path: `/v2/reviews/${reviewExample.id}` });

    await vi.advanceTimersByTimeAsync(1_990);
    expect(calls).toBe(1);
    await vi.advanceTimersByTimeAsync(10);
    expect(calls).toBe(2);
    expect((await pending).data).toEqual(reviewExample);
  });
});
