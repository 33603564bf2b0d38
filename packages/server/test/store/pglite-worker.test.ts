import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { messages, PGlite } from '@electric-sql/pglite';
import { PrismError } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import { connectPgliteWorker } from '../../src/store/pglite-worker-client.js';
import type { SqlClient } from '../../src/store/sql-client.js';

// Creating an embedded database runs initdb, which takes seconds on a busy machine.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

const TYPES_QUERY = `SELECT
  '{"a":{"b":[1,"x",null]}}'::jsonb AS document,
  '2026-11-01T12:34:56.789Z'::timestamptz AS at,
  42::int8 AS small_count,
  9007199254740993::int8 AS big_count,
  7::int4 AS sequence,
  '\\x00ff10'::bytea AS bytes,
  1.50::numeric AS amount,
  ARRAY['a','b']::text[] AS tags,
  NULL::jsonb AS missing,
  true AS flag`;

const SCHEMA = `CREATE TABLE items (
  id text PRIMARY KEY,
  data jsonb NOT NULL,
  bytes bytea,
  at timestamptz
)`;

describe('PGlite in a worker thread', () => {
  let client: SqlClient;
  /** PGlite as it was used before it moved to a thread: what the client must answer alike. */
  let inThread: PGlite;

  beforeAll(async () => {
    [client, inThread] = await Promise.all([openPgliteClient(), PGlite.create()]);
    await Promise.all([client.execute(SCHEMA), inThread.exec(SCHEMA)]);
  });

  afterAll(async () => {
    await Promise.all([client?.close(), inThread?.close()]);
  });

  it('returns values as PGlite in the same thread returns them', async () => {
    const expected = (await inThread.query(TYPES_QUERY)).rows;
    const { rows } = await client.query<Record<string, unknown>>(TYPES_QUERY);
    expect(rows).toEqual(expected);
    const [row] = rows;
    expect(row?.document).toEqual({ a: { b: [1, 'x', null] } });
    expect(row?.at).toEqual(new Date('2026-11-01T12:34:56.789Z'));
    expect(row?.small_count).toBe(42);
    expect(row?.big_count).toBe(9007199254740993n);
    expect(row?.bytes).toBeInstanceOf(Uint8Array);
    expect(row?.bytes).toEqual(new Uint8Array([0, 255, 16]));
  });

  it('binds parameters of every kind the store writes, and counts the rows changed', async () => {
    const at = new Date('2026-11-02T00:00:00.000Z');
    const inserted = await client.query(
      'INSERT INTO items (id, data, bytes, at) VALUES ($1, $2, $3, $4), ($5, $6, $7, $8)',
      ['one', JSON.stringify({ n: 1 }), Buffer.from([1, 2]), at, 'two', '{}', null, null],
    );
    expect(inserted.rowCount).toBe(2);
    const { rows } = await client.query<{ data: unknown; bytes: Uint8Array; at: Date }>(
      'SELECT data, bytes, at FROM items WHERE id = $1',
      ['one'],
    );
    expect(rows).toEqual([{ data: { n: 1 }, bytes: new Uint8Array([1, 2]), at }]);
    expect(
      (await client.query('DELETE FROM items WHERE id = ANY($1)', [['one', 'two']])).rowCount,
    ).toBe(2);
  });

  it("keeps PostgreSQL's error fields, as PGlite in the same thread reports them", async () => {
    const insert = 'INSERT INTO items (id, data) VALUES ($1, $2)';
    await client.query(insert, ['taken', '{}']);
    await inThread.query(insert, ['taken', '{}']);
    const expected = (await inThread
      .query(insert, ['taken', '{}'])
      .catch((caught: unknown) => caught)) as messages.DatabaseError;
    const error = await client.query(insert, ['taken', '{}']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(messages.DatabaseError);
    expect(error).toMatchObject({
      code: '23505',
      constraint: 'items_pkey',
      table: 'items',
      message: expected.message,
      detail: expected.detail,
    });
    await client.query('DELETE FROM items');
  });

  it('commits a transaction whose work resolves, and returns what the work returned', async () => {
    const result = await client.transaction(async (transaction) => {
      await transaction.query('INSERT INTO items (id, data) VALUES ($1, $2)', ['kept', '{}']);
      return (await transaction.query<{ n: number }>('SELECT count(*)::int AS n FROM items')).rows;
    });
    expect(result).toEqual([{ n: 1 }]);
    expect((await client.query('SELECT id FROM items')).rows).toEqual([{ id: 'kept' }]);
    await client.query('DELETE FROM items');
  });

  it('rolls back a transaction whose work throws, and rethrows the same error', async () => {
    const failure = new Error('the work failed');
    const outcome = client.transaction(async (transaction) => {
      await transaction.query('INSERT INTO items (id, data) VALUES ($1, $2)', ['dropped', '{}']);
      throw failure;
    });
    await expect(outcome).rejects.toBe(failure);
    expect((await client.query('SELECT id FROM items')).rows).toEqual([]);
  });

  it("rolls back a transaction whose statement fails, with the statement's error", async () => {
    const outcome = client.transaction(async (transaction) => {
      await transaction.query('INSERT INTO items (id, data) VALUES ($1, $2)', ['twice', '{}']);
      await transaction.query('INSERT INTO items (id, data) VALUES ($1, $2)', ['twice', '{}']);
    });
    await expect(outcome).rejects.toMatchObject({ code: '23505' });
    expect((await client.query('SELECT id FROM items')).rows).toEqual([]);
  });

  it('refuses to commit a transaction whose failed statement was caught, as PGlite does', async () => {
    const outcome = client.transaction(async (transaction) => {
      await transaction.query('INSERT INTO items (id, data) VALUES ($1, $2)', ['half', '{}']);
      await transaction.query('SELECT no_such_column FROM items').catch(() => undefined);
    });
    await expect(outcome).rejects.toMatchObject({ code: '25P02' });
    expect((await client.query('SELECT id FROM items')).rows).toEqual([]);
  });

  it('runs the statements of an open transaction first; others wait for it to end', async () => {
    const order: string[] = [];
    let opened: () => void = () => {};
    const inside = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const transaction = client.transaction(async (statements) => {
      await statements.query('INSERT INTO items (id, data) VALUES ($1, $2)', ['first', '{}']);
      opened();
      // Several round trips to the database thread while the outside query is already sent.
      for (let step = 0; step < 5; step++) await statements.query('SELECT 1');
      order.push('transaction');
    });
    await inside;
    const outside = client
      .query<{ n: number }>('SELECT count(*)::int AS n FROM items')
      .then((result) => {
        order.push('outside');
        return result.rows;
      });
    await transaction;
    expect(await outside).toEqual([{ n: 1 }]);
    expect(order).toEqual(['transaction', 'outside']);
    await client.query('DELETE FROM items');
  });

  it('runs migration scripts of several statements, in and out of transactions', async () => {
    await client.execute('CREATE TABLE a (id int); CREATE TABLE b (id int);');
    await client.transaction((transaction) =>
      transaction.execute('INSERT INTO a VALUES (1); INSERT INTO b VALUES (2);'),
    );
    const { rows } = await client.query('SELECT (SELECT id FROM a) AS a, (SELECT id FROM b) AS b');
    expect(rows).toEqual([{ a: 1, b: 2 }]);
  });

  it('rejects only the query with a parameter that cannot be sent to the database thread', async () => {
    await expect(client.query('SELECT $1::text AS value', [() => 'no'])).rejects.toThrow();
    expect((await client.query('SELECT $1::text AS value', ['yes'])).rows).toEqual([
      { value: 'yes' },
    ]);
  });
});

describe('PGlite in a worker thread, in a data directory', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'prism-pglite-worker-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('holds the directory for this process until closed, then refuses queries', async () => {
    const directory = join(dataDir, 'held');
    const client = await openPgliteClient(directory);
    expect(await readFile(join(directory, 'prism.pid'), 'utf8')).toBe(String(process.pid));
    await client.execute('CREATE TABLE kept (id int); INSERT INTO kept VALUES (7);');
    await client.close();
    expect(existsSync(join(directory, 'prism.pid'))).toBe(false);
    await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: 'store_closed' });
    await client.close();

    const reopened = await openPgliteClient(directory);
    try {
      expect((await reopened.query('SELECT id FROM kept')).rows).toEqual([{ id: 7 }]);
    } finally {
      await reopened.close();
    }
  });

  it("rejects with PGlite's error when the directory holds no usable database, and releases it", async () => {
    const directory = join(dataDir, 'unusable');
    await mkdir(directory);
    await writeFile(join(directory, 'PG_VERSION'), '99\n');
    await expect(openPgliteClient(directory)).rejects.toThrow(/initialize/);
    expect(existsSync(join(directory, 'prism.pid'))).toBe(false);
  });
});

describe('a database thread that dies', () => {
  /** A worker that reports the database open, then runs `onRequest` for each request. */
  const fakeDatabaseThread = (onRequest: string) =>
    new Worker(
      `const { parentPort } = require('node:worker_threads');
       parentPort.postMessage({ id: 0, ok: true, result: undefined });
       parentPort.on('message', () => { ${onRequest} });`,
      { eval: true },
    );

  it('rejects the pending query and every later one with embedded_store_crashed', async () => {
    const client = await connectPgliteWorker(
      fakeDatabaseThread("throw new Error('out of memory');"),
    );
    const pending = client.query('SELECT 1');
    await expect(pending).rejects.toBeInstanceOf(PrismError);
    await expect(pending).rejects.toMatchObject({
      code: 'embedded_store_crashed',
      message: expect.stringMatching(/out of memory/),
    });
    await expect(client.query('SELECT 1')).rejects.toMatchObject({
      code: 'embedded_store_crashed',
    });
    await expect(client.transaction(async () => 'never')).rejects.toMatchObject({
      code: 'embedded_store_crashed',
    });
    await client.close();
  });

  it('rejects an open transaction, without hanging, when the thread exits', async () => {
    const released = vi.fn();
    const client = await connectPgliteWorker(fakeDatabaseThread('process.exit(3);'), released);
    await expect(client.transaction(async () => 'never')).rejects.toMatchObject({
      code: 'embedded_store_crashed',
      message: expect.stringMatching(/code 3/),
    });
    await client.close();
    await client.close();
    expect(released).toHaveBeenCalledTimes(1);
  });

  it('rejects opening when the thread dies before the database is open', async () => {
    const worker = new Worker("throw new Error('no wasm');", { eval: true });
    await expect(connectPgliteWorker(worker)).rejects.toMatchObject({
      code: 'embedded_store_crashed',
      message: expect.stringMatching(/no wasm/),
    });
  });
});
