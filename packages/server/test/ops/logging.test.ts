import { Writable } from 'node:stream';
import { PrismService } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBootstrapKey } from '../../src/bootstrap.js';
import { buildServer } from '../../src/server.js';
import { openStore } from '../../src/store/open-store.js';
import type { SqlStore } from '../../src/store/sql-store.js';
import { expectProblem } from '../api/harness.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';

/** A stream that keeps every log line written to it. */
function logLines(): { stream: Writable; lines: string[] } {
  const lines: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      const parts = (partial + String(chunk)).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
      done();
    },
  });
  return { stream, lines };
}

describe('the JSON logs', () => {
  const log = logLines();
  let database: TestDatabase;
  let store: SqlStore;
  let service: PrismService;
  let app: FastifyInstance;
  let secret: string;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openStore({ databaseUrl: database.url, poolSize: 2 });
    secret = (await ensureBootstrapKey(store)) as string;
    service = new PrismService({ store, fetch: async () => new Response(null, { status: 204 }) });
    app = await buildServer({ service, logger: { level: 'info', stream: log.stream } });
  });
  afterAll(async () => {
    await app?.close();
    await service?.close();
    await store?.close();
    await database?.drop();
  });

  it('carry the request id and never an API key or webhook secret, even of a failed request', async () => {
    const headers = { authorization: `Bearer ${secret}`, 'x-request-id': 'req-logged-1' };
    const listed = await app.inject({ method: 'GET', url: '/v2/documents', headers });
    expect(listed.statusCode).toBe(200);
    // A key sent where it does not belong ends up in the logged URL.
    await app.inject({ method: 'GET', url: `/v2/documents?api_key=${secret}`, headers });

    // A broken constraint makes the database refuse new endpoints with an error that quotes the
    // new endpoint's signing secret.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      await admin.query(
        `ALTER TABLE webhook_endpoints ADD CONSTRAINT endpoints_broken
         CHECK ((data->'secrets'->0->>'secret')::int > 0) NOT VALID`,
      );
    } finally {
      await admin.end();
    }
    const failed = await app.inject({
      method: 'POST',
      url: '/v2/webhook-endpoints',
      headers: { ...headers, 'x-request-id': 'req-failing-1' },
      payload: { url: 'https://hooks.example.com/prism' },
    });
    expectProblem(failed, 500, 'internal');

    const lines = log.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.reqId === 'req-logged-1').length).toBeGreaterThan(0);
    const failure = lines.find((line) => line.msg === 'request failed');
    expect(failure).toMatchObject({ reqId: 'req-failing-1', level: 50 });
    const error = JSON.stringify(failure?.err);
    expect(error).toContain('invalid input syntax for type integer');
    expect(error).toContain('whsec_[redacted]');

    const text = log.lines.join('\n');
    expect(text).not.toContain(secret);
    expect(text).not.toMatch(/prism_sk_(?!\[redacted\])/);
    expect(text).not.toMatch(/whsec_(?!\[redacted\])/);
    expect(text).toContain('api_key=prism_sk_[redacted]');
  });

  it('redact credential headers wherever headers are logged', () => {
    app.log.info(
      {
        headers: { authorization: 'Basic dXNlcjpwYXNzd29yZA==', cookie: 'session=s3cr3t' },
        upstream: { headers: { 'x-api-key': 'k3y-of-another-service' } },
      },
      'headers seen',
    );
    const line = log.lines.find((text) => text.includes('headers seen')) as string;
    expect(JSON.parse(line)).toMatchObject({
      headers: { authorization: '[redacted]', cookie: '[redacted]' },
      upstream: { headers: { 'x-api-key': '[redacted]' } },
    });
    expect(line).not.toMatch(/dXNlcjpwYXNzd29yZA|s3cr3t|k3y-of-another/);
  });
});
