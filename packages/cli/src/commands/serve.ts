import { parseArgs } from 'node:util';
import { loadConfig, startServer } from '@prism/server';
import { type CliIo, usageError } from '../io.js';
import { reportError } from '../report-error.js';

/** The `prism serve --help` text. */
export const SERVE_USAGE = `Usage: prism serve [options]

Runs the Prism server: the whole API on one port, with an embedded database in the data
directory (or PostgreSQL with DATABASE_URL). The first start prints an admin API key once.

Options:
  -p, --port <n>        Port to listen on (PORT, default 8080)
      --host <address>  Address to listen on (HOST, default 127.0.0.1)
  -d, --data-dir <dir>  Embedded database directory (PRISM_DATA_DIR, default ./.prism)
      --config <file>   A JSON file of settings by their environment names
  -h, --help            Show this help

Stops gracefully on Ctrl-C or SIGTERM. Exit codes: 0 stopped; 1 could not start; 2 bad usage.
`;

/** `prism serve`: starts the server and runs until SIGINT or SIGTERM. */
export async function serve(argv: string[], io: CliIo): Promise<number> {
  let values: {
    port?: string;
    host?: string;
    'data-dir'?: string;
    config?: string;
    help?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', short: 'p' },
        host: { type: 'string' },
        'data-dir': { type: 'string', short: 'd' },
        config: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    return usageError(io, (error as Error).message, SERVE_USAGE);
  }
  if (values.help) {
    io.stdout.write(SERVE_USAGE);
    return 0;
  }
  const env = {
    ...process.env,
    ...(values.port === undefined ? {} : { PORT: values.port }),
    ...(values.host === undefined ? {} : { HOST: values.host }),
    ...(values['data-dir'] === undefined ? {} : { PRISM_DATA_DIR: values['data-dir'] }),
  };
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer(loadConfig(env, values.config ?? process.env.PRISM_CONFIG_FILE));
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
