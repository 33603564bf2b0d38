import { randomUUID } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../src/idempotency/idempotency-store.js';
import { type IdempotentApp, idempotentApp, TEST_TTL_MS } from './idempotent-app.js';

/** The RFC 9457 problem a response carries, checked field by field. */
export function expectProblem(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  expect(response.statusCode).toBe(status);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const problem = response.json();
  expect(problem).toEqual({
    type: `https://prism.dev/problems/${code.replaceAll('_', '-')}`,
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\/v2\//),
    code,
    hint: expect.any(String),
    requestId: response.headers['x-request-id'],
  });
  return problem;
}

/**
 * What a client of the idempotency plugin sees, over the store `store()` gives once its
 * database is open: replays, conflicts, concurrency, failures, expiry and tenants.
 */
export function describeIdempotencyPlugin(name: string, store: () => IdempotencyStore): void {
  describe(`idempotency keys over ${name}`, () => {
    let api: IdempotentApp;
    let key: string;

    beforeEach(async () => {
      api = await idempotentApp(store());
      key = randomUUID();
    });
    afterEach(async () => {
      await api.app.close();
    });

    const post = (url: string, payload: object, headers: Record<string, string> = {}) =>
      api.app.inject({
        method: 'POST',
        url,
        payload,
        headers: { 'idempotency-key': key, ...headers },
      });

    it('replays the first answer, with its status, headers and request id, without running again', async () => {
      const first = await post('/v2/widgets', { name: 'gear', size: 3 });
      expect(first.statusCode).toBe(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();

      const second = await post('/v2/widgets', { size: 3, name: 'gear' });
      expect(second.statusCode).toBe(201);
      expect(second.body).toBe(first.body);
      expect(second.json()).toEqual({ id: 'wid_1', name: 'gear' });
      expect(second.headers.location).toBe('/v2/widgets/wid_1');
      expect(second.headers['content-type']).toBe(first.headers['content-type']);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.headers['x-request-id']).toBe(first.headers['x-request-id']);
      expect(api.runs()).toBe(1);
    });

    it('answers the same key with another body or URL with a 409 idempotency_key_reused', async () => {
      await post('/v2/widgets', { name: 'gear' });
      const otherBody = await post('/v2/widgets', { name: 'cog' });
      const problem = expectProblem(otherBody, 409, 'idempotency_key_reused');
      expect(problem.hint).toMatch(/new key/);
      expectProblem(await post('/v2/widgets/wid_1/archive', {}), 409, 'idempotency_key_reused');
      expect(api.runs()).toBe(1);
    });

    it('runs one of two concurrent requests with a key and answers the other 409 in use', async () => {
      const held = api.holdNextSlow();
      const first = post('/v2/slow', { n: 1 });
      await held.entered;

      const concurrent = await post('/v2/slow', { n: 1 });
      expectProblem(concurrent, 409, 'idempotency_key_in_use');
      expect(concurrent.headers['retry-after']).toBe('1');
      expect(concurrent.headers['x-should-retry']).toBe('true');

      held.release();
      expect((await first).json()).toEqual({ run: 1 });
      const retry = await post('/v2/slow', { n: 1 });
      expect(retry.json()).toEqual({ run: 1 });
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(api.runs()).toBe(1);
    });

    it('keeps no 5xx answer: a retry with the key runs again', async () => {
      api.failNext(1);
      expectProblem(await post('/v2/widgets', { name: 'gear' }), 500, 'internal');
      const retry = await post('/v2/widgets', { name: 'gear' });
      expect(retry.statusCode).toBe(201);
      expect(retry.headers['idempotent-replayed']).toBeUndefined();
      expect((await post('/v2/widgets', { name: 'gear' })).headers['idempotent-replayed']).toBe(
        'true',
      );
      expect(api.runs()).toBe(2);
    });

    it('keeps a 4xx answer and replays it', async () => {
      const first = await post('/v2/widgets', { name: '' });
      expectProblem(first, 422, 'validation_failed');
      const retry = await post('/v2/widgets', { name: '' });
      expect(retry.statusCode).toBe(422);
      expect(retry.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.json()).toEqual(first.json());
      expect(api.runs()).toBe(1);
    });

    it('replays an answer without a body', async () => {
      expect((await post('/v2/widgets/wid_9/archive', {})).statusCode).toBe(204);
      const retry = await post('/v2/widgets/wid_9/archive', {});
      expect(retry.statusCode).toBe(204);
      expect(retry.body).toBe('');
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(api.runs()).toBe(1);
    });

    it('treats an expired key as new, for the same body or another', async () => {
      await post('/v2/widgets', { name: 'gear' });
      api.advance(TEST_TTL_MS - 1);
      expect((await post('/v2/widgets', { name: 'gear' })).headers['idempotent-replayed']).toBe(
        'true',
      );
      api.advance(1);
      const again = await post('/v2/widgets', { name: 'gear' });
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual({ id: 'wid_2', name: 'gear' });
      api.advance(TEST_TTL_MS);
      expect((await post('/v2/widgets', { name: 'cog' })).statusCode).toBe(201);
      expect(api.runs()).toBe(3);
    });

    it('keeps the keys of different tenants apart', async () => {
      const a = await post('/v2/widgets', { name: 'gear' }, { 'x-tenant': 'tenant_a' });
      const b = await post('/v2/widgets', { name: 'cog' }, { 'x-tenant': 'tenant_b' });
      expect(b.statusCode).toBe(201);
      expect(b.json()).toEqual({ id: 'wid_2', name: 'cog' });
      const replayA = await post('/v2/widgets', { name: 'gear' }, { 'x-tenant': 'tenant_a' });
      const replayB = await post('/v2/widgets', { name: 'cog' }, { 'x-tenant': 'tenant_b' });
      expect(replayA.body).toBe(a.body);
      expect(replayB.body).toBe(b.body);
      expect(api.runs()).toBe(2);
    });

    it('ignores the header on a GET, and runs every POST that has none', async () => {
      const read = () =>
        api.app.inject({ method: 'GET', url: '/v2/widgets', headers: { 'idempotency-key': key } });
      expect((await read()).json()).toEqual({ runs: 1 });
      const again = await read();
      expect(again.json()).toEqual({ runs: 2 });
      expect(again.headers['idempotent-replayed']).toBeUndefined();
      const plain = () =>
        api.app.inject({ method: 'POST', url: '/v2/widgets', payload: { name: 'gear' } });
      expect((await plain()).json()).toEqual({ id: 'wid_3', name: 'gear' });
      expect((await plain()).json()).toEqual({ id: 'wid_4', name: 'gear' });
    });
  });
}
