import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PrismError } from '@prism/sdk';

/**
 * Takes a data directory for this process: writes `prism.pid` in it, refusing (typed error
 * `data_dir_in_use`) while another live process holds it, so two servers never open one
 * embedded database (which would corrupt it). A file left by a process that died is taken
 * over. Returns the function that releases it.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'prism.pid');
  for (;;) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number(readFileSync(file, 'utf8'));
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
      throw new PrismError(
        'data_dir_in_use',
        `The data directory ${dataDir} is in use by process ${holder}.`,
        {
          hint: 'Stop that server first, or give this one another PRISM_DATA_DIR (or a DATABASE_URL to share PostgreSQL).',
        },
      );
    }
    rmSync(file, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
