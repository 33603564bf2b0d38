import { startServer } from '@prism/server';
import { type CliIo, parseCommand } from '../io.js';
import { reportError } from '../report-error.js';
import {
  DATABASE_OPTIONS,
  DATABASE_OPTIONS_HELP,
  type DatabaseOptionValues,
  loadServerConfig,
} from '../server-database.js';

/** The `prism serve --help` text. */
export const SERVE_USAGE = `Usage: prism serve [options]

Runs the Prism server: the whole API on one port, with an embedded database in the data
directory (or PostgreSQL with DATABASE_URL). The first start prints an admin API key once.

Options:
  -p, --port <n>        Port to listen on (PORT, default 8080)
      --host <address>  Address to listen on (HOST, default 127.0.0.1)
${DATABASE_OPTIONS_HELP}
  -h, --help            Show this help

Stops gracefully on Ctrl-C or SIGTERM. Exit codes: 0 stopped; 1 could not start; 2 bad usage.
`;

const OPTIONS = {
  port: { type: 'string', short: 'p' },
  host: { type: 'string' },
  ...DATABASE_OPTIONS,
} as const;

/** What `prism serve` was given. */
interface ServeValues extends DatabaseOptionValues {
  port?: string;
  host?: string;
}

/** `prism serve`: starts the server and runs until SIGINT or SIGTERM. */
export async function serve(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<ServeValues>(argv, io, OPTIONS, SERVE_USAGE, { operands: false });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(loadServerConfig(values, { PORT: values.port, HOST: values.host }));
  } catch (error) {
    reportError(io, 'serve', error);
    return 1;
  }
  io.stdout.write(`Prism server listening on ${server.url} (storage: ${server.storage})\n`);
  if (server.bootstrapKey !== undefined) {
    io.stdout.write(`Admin API key, shown only now — store it safely:\n  ${server.bootstrapKey}\n`);
  }
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  io.stdout.write(`Prism server stopping (${signal})\n`);
  await server.close();
  io.stdout.write('Prism server stopped\n');
  return 0;
}
