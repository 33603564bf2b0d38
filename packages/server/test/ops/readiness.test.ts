import { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { expectProblem } from '../api/harness.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';

describe('GET /readyz', () => {
  let database: TestDatabase;
  let store: SqlStore;
  let service: PrismService;
  let app: FastifyInstance;
  let storeClosed: Promise<void> | undefined;
  const closeStore = () => {
    storeClosed ??= store.close();
    return storeClosed;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ databaseUrl: database.url, poolSize: 2 });
    service = new PrismService({ store });
    app = await buildServer({ service, ops: { readinessTimeoutMs: 250 } });
  });
  afterAll(async () => {
    await app?.close();
    await service?.close();
    if (store) await closeStore();
    await database?.drop();
  });

  it('is ready, without an API key, when the database answers', async () => {
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('is not ready while the database does not answer in time', async () => {
    // A migration, say, holding the table: every read of it waits.
    const blocker = new pg.Client({ connectionString: database.url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE');
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      const problem = expectProblem(response, 503, 'not_ready');
      expect(problem).toMatchObject({
        checks: { database: 'timeout' },
        detail: 'Not ready: the database did not answer within 250 ms.',
      });
      await blocker.query('ROLLBACK');
      const again = await app.inject({ method: 'GET', url: '/readyz' });
      expect(again.statusCode).toBe(200);
    } finally {
      await blocker.end();
    }
  });

  it('is not ready once the database is gone, and does not say why to the caller', async () => {
    await closeStore();
    const response = await app.inject({ method: 'GET', url: '/readyz' });
    const problem = expectProblem(response, 503, 'not_ready');
    expect(problem).toMatchObject({
      checks: { database: 'failed' },
      detail: 'Not ready: the database check failed.',
    });
    expect(response.body).not.toMatch(/pool|postgres|prism_test/i);
  });
});

describe('GET /readyz over the in-memory store', () => {
  it('is ready', async () => {
    const service = new PrismService();
    const app = await buildServer({ service });
    try {
      const response = await app.inject({ method: 'GET', url: '/readyz' });
      expect(response.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
    } finally {
      await app.close();
      await service.close();
    }
  });
});
