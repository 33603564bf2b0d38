import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './data-dir-lock.js';
import type { PgliteWorkerData } from './pglite-protocol.js';
import { connectPgliteWorker } from './pglite-worker-client.js';
import type { SqlClient } from './sql-client.js';

/**
 * A {@link SqlClient} over PGlite, PostgreSQL embedded in the process: persistent in `dataDir`
 * (created when missing), or in memory when there is none. Nothing to install; one process at a
 * time may open a directory (a second one is refused with `data_dir_in_use`). The database runs
 * in a worker thread of its own, so its queries use another core than the server's requests.
 */
export async function openPgliteClient(dataDir?: string): Promise<SqlClient> {
  const unlock = dataDir === undefined ? () => {} : lockDataDir(dataDir);
  try {
    const workerData: PgliteWorkerData = { dataDir };
    return await connectPgliteWorker(new Worker(workerScript(), { workerData }), unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * The worker's script beside this module, in the same form: `pglite-worker.ts` next to the
 * sources, `pglite-worker.js` or `.cjs` next to the built ESM or CommonJS bundle.
 */
function workerScript(): URL {
  const here =
    typeof __filename === 'string' ? pathToFileURL(__filename) : new URL(import.meta.url);
  return new URL(`./pglite-worker${extname(here.pathname)}`, here);
}
