import { startWorker } from '@prism/server';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { reportError } from '../report-error.js';
import { loadServerConfig } from '../server-database.js';

/** The `prism worker --help` text. */
export const WORKER_USAGE = `Usage: prism worker [options]

Runs the review jobs that Prism servers queue, without serving the API: from Redis when
REDIS_URL is set, else from the PostgreSQL database (DATABASE_URL, required). Run as many
workers as you like; each review runs once, and one a stopped worker left is taken up again.
Pair with prism serve and PRISM_WORKERS=0 to keep reviews off the API servers.

Options:
  -c, --concurrency <n>  Review jobs run at once (default PRISM_WORKERS, or 2 when that is 0)
      --config <file>    A JSON file of settings by their environment names
  -h, --help             Show this help

Stops gracefully on Ctrl-C or SIGTERM, finishing the running jobs. Exit codes: 0 stopped;
1 could not start; 2 bad usage.
`;

const OPTIONS = {
  concurrency: { type: 'string', short: 'c' },
  config: { type: 'string' },
} as const;

/** What `prism worker` was given. */
interface WorkerValues {
  concurrency?: string;
  config?: string;
}

/** `prism worker`: runs queued review jobs until SIGINT or SIGTERM. */
export async function worker(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<WorkerValues>(argv, io, OPTIONS, WORKER_USAGE, { operands: false });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  const concurrency = values.concurrency === undefined ? undefined : Number(values.concurrency);
  if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
    return usageError(io, `--concurrency must be a whole number >= 1`, WORKER_USAGE);
  }
  let running: Awaited<ReturnType<typeof startWorker>>;
  let jobsAtOnce: number;
  try {
    const config = loadServerConfig(values);
    jobsAtOnce = concurrency ?? (config.PRISM_WORKERS > 0 ? config.PRISM_WORKERS : 2);
    running = await startWorker(config, {
      concurrency: jobsAtOnce,
      onError: (error) => reportError(io, 'worker', error),
    });
  } catch (error) {
    reportError(io, 'worker', error);
    return 1;
  }
  io.stdout.write(
    `Prism worker running ${jobsAtOnce} review job(s) at once (queue: ${running.queue})\n`,
  );
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  io.stdout.write(`Prism worker stopping (${signal})\n`);
  await running.close();
  io.stdout.write('Prism worker stopped\n');
  return 0;
}
