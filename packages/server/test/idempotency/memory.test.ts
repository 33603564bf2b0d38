import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IdempotencyClaim, StoredResponse } from '../../src/idempotency/idempotency-store.js';
import { MemoryIdempotencyStore } from '../../src/idempotency/memory-idempotency-store.js';
import { type IdempotentApp, idempotentApp } from './idempotent-app.js';
import { describeIdempotencyPlugin, expectProblem } from './plugin-suite.js';
import { describeIdempotencyStore } from './store-contract.js';

const memory = new MemoryIdempotencyStore();
describeIdempotencyStore('MemoryIdempotencyStore', () => memory);
describeIdempotencyPlugin('MemoryIdempotencyStore', () => memory);

/** A memory store whose answers cannot be kept, as when the database goes away mid-request. */
class UnwritableStore extends MemoryIdempotencyStore {
  override async complete(_claim: IdempotencyClaim, _response: StoredResponse): Promise<void> {
    throw new Error('The database is not reachable.');
  }
}

describe('idempotency keys, the edges', () => {
  let api: IdempotentApp;
  const key = () => randomUUID();

  beforeEach(async () => {
    api = await idempotentApp(new MemoryIdempotencyStore());
  });
  afterEach(async () => {
    await api.app.close();
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(256)],
    ['not ASCII', 'clé-1'],
    ['a control character', 'key\tone'],
  ])('refuses a key that is %s with a 400 invalid_idempotency_key', async (_, badKey) => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v2/widgets',
      payload: { name: 'gear' },
      headers: { 'idempotency-key': badKey },
    });
    expectProblem(response, 400, 'invalid_idempotency_key');
    expect(api.runs()).toBe(0);
  });

  it('takes a key of 255 printable characters', async () => {
    const response = await api.app.inject({
      method: 'POST',
      url: '/v2/widgets',
      payload: { name: 'gear' },
      headers: { 'idempotency-key': ` ~${'k'.repeat(253)}` },
    });
    expect(response.statusCode).toBe(201);
  });

  it('tells uploads apart by the file bytes, and replays the same upload', async () => {
    const sameKey = key();
    const upload = (content: string) => {
      const boundary = 'prism-boundary';
      const payload = [
        `--${boundary}`,
        'Content-Disposition: form-data; name="title"',
        '',
        'Contract',
        `--${boundary}`,
        'Content-Disposition: form-data; name="file"; filename="contract.txt"',
        'Content-Type: text/plain',
        '',
        content,
        `--${boundary}--`,
        '',
      ].join('\r\n');
      return api.app.inject({
        method: 'POST',
        url: '/v2/uploads',
        payload,
        headers: {
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'idempotency-key': sameKey,
        },
      });
    };
    const first = await upload('The term is one year.');
    expect(first.json()).toEqual({
      run: 1,
      fields: { title: 'Contract', file: 'contract.txt' },
      size: 21,
    });
    expect((await upload('The term is one year.')).headers['idempotent-replayed']).toBe('true');
    expectProblem(await upload('The term is two years.'), 409, 'idempotency_key_reused');
    expect(api.runs()).toBe(1);
  });

  it('keeps no streamed answer: a retry with the key streams again', async () => {
    const sameKey = key();
    const stream = () =>
      api.app.inject({
        method: 'POST',
        url: '/v2/events',
        payload: {},
        headers: { 'idempotency-key': sameKey },
      });
    expect((await stream()).body).toBe('data: 1\n\n');
    const retry = await stream();
    expect(retry.body).toBe('data: 2\n\n');
    expect(retry.headers['idempotent-replayed']).toBeUndefined();
  });

  it('still answers when the answer cannot be kept, and lets a retry run again', async () => {
    const unwritable = await idempotentApp(new UnwritableStore());
    try {
      const sameKey = key();
      const create = () =>
        unwritable.app.inject({
          method: 'POST',
          url: '/v2/widgets',
          payload: { name: 'gear' },
          headers: { 'idempotency-key': sameKey },
        });
      expect((await create()).json()).toEqual({ id: 'wid_1', name: 'gear' });
      expect((await create()).json()).toEqual({ id: 'wid_2', name: 'gear' });
    } finally {
      await unwritable.app.close();
    }
  });
});
