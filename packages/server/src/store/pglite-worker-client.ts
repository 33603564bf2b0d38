import type { Worker } from 'node:worker_threads';
import { messages, TransactionAbortedError } from '@electric-sql/pglite';
import { PrismError } from '@prism/sdk';
import type {
  PgliteErrorData,
  PgliteQueryResult,
  PgliteReply,
  PgliteRequest,
} from './pglite-protocol.js';
import type { SqlClient, SqlExecutor, SqlResult } from './sql-client.js';

/** A request, without its `id` (given when it is sent). */
type Unsent<Request> = Request extends PgliteRequest ? Omit<Request, 'id'> : never;

interface Pending {
  resolve(result: PgliteQueryResult | undefined): void;
  reject(error: unknown): void;
}

/**
 * A {@link SqlClient} over an embedded database running in `worker` (pglite-worker.ts): resolves
 * once the worker reports the database open, and rejects with the error it failed to open with
 * (the worker then terminated). Every request settles: if the worker dies, what is pending and
 * everything after rejects with PrismError `embedded_store_crashed`. `close()` closes the
 * database, terminates the worker, then calls `onClose`. The worker keeps the process alive
 * only while a request is pending.
 */
export async function connectPgliteWorker(
  worker: Worker,
  onClose: () => void = () => {},
): Promise<SqlClient> {
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let stopped: PrismError | undefined;
  let closing: Promise<void> | undefined;

  const stop = (error: PrismError) => {
    stopped ??= error;
    for (const request of pending.values()) request.reject(stopped);
    pending.clear();
  };
  worker.on('message', (reply: PgliteReply) => {
    const request = pending.get(reply.id);
    if (request === undefined) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.ok) request.resolve(reply.result);
    else request.reject(rebuildError(reply.error));
  });
  worker.on('error', (error) => stop(crashed(error)));
  worker.on('messageerror', (error) => stop(crashed(error)));
  worker.on('exit', (code) =>
    stop(crashed(new Error(`The database thread exited with code ${code}.`))),
  );

  const track = (id: number) =>
    new Promise<PgliteQueryResult | undefined>((resolve, reject) => {
      if (stopped !== undefined) {
        reject(stopped);
        return;
      }
      if (pending.size === 0) worker.ref();
      pending.set(id, { resolve, reject });
    });
  const send = (
    request: Unsent<PgliteRequest>,
    id = nextId++,
  ): Promise<PgliteQueryResult | undefined> => {
    const reply = track(id);
    if (stopped === undefined) {
      try {
        worker.postMessage({ ...request, id });
      } catch (error) {
        // A parameter that cannot be copied to the database thread (a function, say).
        pending.get(id)?.reject(error);
        pending.delete(id);
        if (pending.size === 0) worker.unref();
      }
    }
    return reply;
  };

  const executor = (transaction: number | undefined): SqlExecutor => ({
    async query<Row>(text: string, params: readonly unknown[] = []): Promise<SqlResult<Row>> {
      const result = await send({ kind: 'query', text, params: [...params], transaction });
      return result as SqlResult<Row>;
    },
    async execute(script: string): Promise<void> {
      await send({ kind: 'execute', script, transaction });
    },
  });

  try {
    await track(0);
  } catch (error) {
    stop(closed());
    await worker.terminate();
    throw error;
  }
  return {
    ...executor(undefined),
    async transaction<T>(work: (transaction: SqlExecutor) => Promise<T>): Promise<T> {
      const transaction = nextId++;
      await send({ kind: 'begin' }, transaction);
      let result: T;
      try {
        result = await work(executor(transaction));
      } catch (error) {
        // The rollback's own failure (the thread died, say) must not hide why `work` failed.
        await send({ kind: 'end', transaction, commit: false }).catch(() => {});
        throw error;
      }
      await send({ kind: 'end', transaction, commit: true });
      return result;
    },
    close: () => {
      closing ??= (async () => {
        try {
          if (stopped === undefined) await send({ kind: 'close' });
        } finally {
          stop(closed());
          await worker.terminate();
          onClose();
        }
      })();
      return closing;
    },
  };
}

function crashed(cause: Error): PrismError {
  return new PrismError(
    'embedded_store_crashed',
    `The embedded database stopped unexpectedly: ${cause.message}`,
    {
      cause,
      hint: 'Restart the Prism server: what was committed to its data directory is kept. If it happens again, check free memory and disk space, or use PostgreSQL (DATABASE_URL).',
    },
  );
}

function closed(): PrismError {
  return new PrismError('store_closed', 'The embedded database is closed.', {
    hint: 'Open the store again (a closed store cannot be used).',
  });
}

/** The error a request failed with in the database thread, as the same class with its fields. */
function rebuildError(data: PgliteErrorData): Error {
  const error = newError(data);
  Object.assign(error, data.fields);
  if (data.stack !== undefined) error.stack = data.stack;
  return error;
}

function newError(data: PgliteErrorData): Error {
  if (data.kind === 'database') return new messages.DatabaseError(data.message, 0, 'error');
  if (data.kind === 'transaction_aborted') {
    const error = new TransactionAbortedError();
    error.message = data.message;
    return error;
  }
  const error = new Error(data.message);
  error.name = data.name;
  return error;
}
