import { HttpPrism, RateLimitError, type RetryEvent } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer, buildLimitedApp } from './limited-app.js';

describe('the SDK against a rate-limited server', () => {
  let app: FastifyInstance;
  let baseUrl: string;
  /** Uses up the one request a window `keyId` has, as another client of the same key would. */
  const spendBudget = async (keyId: string) => {
    const response = await fetch(`${baseUrl}/v2/documents`, { headers: bearer(keyId) });
    expect(response.status).toBe(200);
  };

  beforeAll(async () => {
    app = await buildLimitedApp({ max: 1, windowMs: 1000 });
    baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await app.close();
  });

  it('waits the Retry-After of a 429 and then gets through', async () => {
    await spendBudget('key_retrying');
    const prism = new HttpPrism({ baseUrl, apiKey: 'key_retrying' });
    const retries: RetryEvent[] = [];
    prism.transport.on('retry', (event) => retries.push(event));

    const page = await prism.documents.list();

    expect(page.data).toEqual([]);
    expect(retries).toEqual([
      expect.objectContaining({ attempt: 2, delayMs: 1000, error: expect.any(RateLimitError) }),
    ]);
  });

  it('rejects with a RateLimitError saying how long to wait when it may not retry', async () => {
    await spendBudget('key_not_retrying');
    const prism = new HttpPrism({ baseUrl, apiKey: 'key_not_retrying', maxRetries: 0 });

    const failure = await prism.documents.list().then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(failure).toBeInstanceOf(RateLimitError);
    expect(failure).toMatchObject({ status: 429, code: 'rate_limited', retryAfterMs: 1000 });
  });
});
