/**
 * The embedded database's thread: opens PGlite in `workerData.dataDir` (in memory when unset)
 * and runs the main thread's requests (pglite-protocol.ts) on it, so PostgreSQL's work runs
 * beside the HTTP server's instead of taking turns with it. PGlite orders the requests itself:
 * while a transaction is open, statements outside it wait.
 *
 * It imports nothing of Prism's at run time (only types), so it starts the same way from the
 * sources and from the build.
 */

import { type MessagePort, parentPort, workerData } from 'node:worker_threads';
import { messages, PGlite, type Transaction, TransactionAbortedError } from '@electric-sql/pglite';
import type {
  PgliteErrorData,
  PgliteQueryResult,
  PgliteReply,
  PgliteRequest,
  PgliteWorkerData,
} from './pglite-protocol.js';

/** A transaction waiting for the main thread's commit or rollback. */
interface OpenTransaction {
  statements: Transaction;
  end(commit: boolean): void;
  /** Settles once PGlite has committed or rolled it back. */
  ended: Promise<void>;
}

/** Thrown inside PGlite's transaction to make it roll back. */
const ROLL_BACK = Symbol('roll back');

if (parentPort === null) throw new Error('pglite-worker.ts runs as a worker thread only.');
const port: MessagePort = parentPort;
const { dataDir } = workerData as PgliteWorkerData;
const database = new PGlite(dataDir);
const transactions = new Map<number, OpenTransaction>();

/** Sends the answer to request `id` once `work` settles: its result, or the error it failed with. */
function answer(id: number, work: Promise<PgliteQueryResult | undefined>): void {
  work
    .then(
      (result): PgliteReply => ({ id, ok: true, result }),
      (error: unknown): PgliteReply => ({ id, ok: false, error: errorData(error) }),
    )
    .then((message) => {
      try {
        port.postMessage(message);
      } catch (error) {
        // A value the main thread cannot receive: the request fails, the thread carries on.
        port.postMessage({ id, ok: false, error: errorData(error) } satisfies PgliteReply);
      }
    });
}

function errorData(error: unknown): PgliteErrorData {
  if (!(error instanceof Error)) {
    return { kind: 'other', name: 'Error', message: String(error), stack: undefined, fields: {} };
  }
  const fields: PgliteErrorData['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value)) {
      fields[key] = value as PgliteErrorData['fields'][string];
    }
  }
  const kind =
    error instanceof TransactionAbortedError
      ? 'transaction_aborted'
      : error instanceof messages.DatabaseError
        ? 'database'
        : 'other';
  return { kind, name: error.name, message: error.message, stack: error.stack, fields };
}

/** Where a statement runs: in its transaction, or on the database (after open transactions). */
function target(transaction: number | undefined): PGlite | Transaction {
  if (transaction === undefined) return database;
  const open = transactions.get(transaction);
  if (open === undefined) throw new Error(`Transaction ${transaction} is not open.`);
  return open.statements;
}

async function query(
  text: string,
  params: unknown[],
  transaction: number | undefined,
): Promise<PgliteQueryResult> {
  const result = await target(transaction).query(text, params);
  return { rows: result.rows, rowCount: result.affectedRows ?? 0 };
}

async function execute(script: string, transaction: number | undefined): Promise<undefined> {
  await target(transaction).exec(script);
  return undefined;
}

/** Resolves once the transaction is open (registered as `id`); rejects if BEGIN fails. */
function begin(id: number): Promise<undefined> {
  return new Promise((resolve, reject) => {
    let end: (commit: boolean) => void = () => {};
    const decided = new Promise<boolean>((decide) => {
      end = decide;
    });
    let opened = false;
    const ended = database
      .transaction(async (statements) => {
        opened = true;
        transactions.set(id, { statements, end, ended });
        resolve(undefined);
        if (!(await decided)) throw ROLL_BACK;
      })
      .then(
        () => {},
        (error: unknown) => {
          if (error !== ROLL_BACK) throw error;
        },
      )
      .finally(() => transactions.delete(id));
    // Before it opened, its failure is the answer to `begin`; after, to `end`.
    ended.catch((error: unknown) => {
      if (!opened) reject(error);
    });
  });
}

async function end(transaction: number, commit: boolean): Promise<undefined> {
  const open = transactions.get(transaction);
  if (open === undefined) throw new Error(`Transaction ${transaction} is not open.`);
  open.end(commit);
  await open.ended;
  return undefined;
}

async function close(): Promise<undefined> {
  await database.close();
  return undefined;
}

function handle(request: PgliteRequest): Promise<PgliteQueryResult | undefined> {
  switch (request.kind) {
    case 'query':
      return query(request.text, request.params, request.transaction);
    case 'execute':
      return execute(request.script, request.transaction);
    case 'begin':
      return begin(request.id);
    case 'end':
      return end(request.transaction, request.commit);
    case 'close':
      return close();
  }
}

port.on('message', (request: PgliteRequest) => answer(request.id, handle(request)));
answer(
  0,
  database.waitReady.then(() => undefined),
);
