/**
 * The messages between the embedded database's worker thread (pglite-worker.ts) and the client
 * on the main thread (pglite-worker-client.ts). Types only: the worker runs without a bundler
 * when Prism runs from its sources, so it imports nothing of Prism's at run time.
 */

/** What the worker is started with (its `workerData`). */
export interface PgliteWorkerData {
  /** The database's directory; in memory when unset. */
  dataDir: string | undefined;
}

/**
 * A request to the worker, answered by one {@link PgliteReply} with the same `id`. Request 0 is
 * implicit: the worker answers it once the database is open (or failed to open).
 */
export type PgliteRequest =
  | {
      id: number;
      kind: 'query';
      text: string;
      params: unknown[];
      /** The `id` of the `begin` request of the transaction it runs in, if any. */
      transaction: number | undefined;
    }
  | { id: number; kind: 'execute'; script: string; transaction: number | undefined }
  /** Opens a transaction, known afterwards by this request's `id`. */
  | { id: number; kind: 'begin' }
  /** Commits or rolls back the transaction opened by request `transaction`. */
  | { id: number; kind: 'end'; transaction: number; commit: boolean }
  | { id: number; kind: 'close' };

/** A query's answer, as the SQL client returns it. */
export interface PgliteQueryResult {
  rows: unknown[];
  rowCount: number;
}

/** The answer to a request: its result, or the error it failed with. */
export type PgliteReply =
  | { id: number; ok: true; result: PgliteQueryResult | undefined }
  | { id: number; ok: false; error: PgliteErrorData };

/** What the error a request failed with becomes to cross the thread boundary. */
export interface PgliteErrorData {
  /** What class to rebuild it as: PGlite's `DatabaseError` (or its subclass), or a plain `Error`. */
  kind: 'database' | 'transaction_aborted' | 'other';
  name: string;
  message: string;
  stack: string | undefined;
  /** Its own fields with plain values: PostgreSQL's `code`, `detail`, `constraint`, ... */
  fields: Record<string, string | number | boolean | null | undefined>;
}
