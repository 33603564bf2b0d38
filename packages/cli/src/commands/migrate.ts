import {
  MIGRATIONS,
  migrate,
  openPgliteClient,
  openPostgresClient,
  type SqlClient,
} from '@prism/server';
import { type CliIo, parseCommand } from '../io.js';
import { reportError } from '../report-error.js';
import {
  DATABASE_OPTIONS,
  DATABASE_OPTIONS_HELP,
  type DatabaseOptionValues,
  loadServerConfig,
} from '../server-database.js';

/** The `prism migrate --help` text. */
export const MIGRATE_USAGE = `Usage: prism migrate [options]

Brings the server's database schema up to date: the embedded database in the data directory,
or PostgreSQL with DATABASE_URL. Prints each migration it applies; running it again applies
nothing. (prism serve also migrates on start.)

Options:
${DATABASE_OPTIONS_HELP}
  -h, --help            Show this help

Exit codes: 0 up to date; 1 could not migrate; 2 bad usage.
`;

/** `prism migrate`: applies the database's pending migrations. */
export async function migrateDatabase(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<DatabaseOptionValues>(argv, io, DATABASE_OPTIONS, MIGRATE_USAGE, {
    operands: false,
  });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  let client: SqlClient | undefined;
  try {
    const config = loadServerConfig(values);
    client =
      config.DATABASE_URL === undefined
        ? await openPgliteClient(config.PRISM_DATA_DIR)
        : openPostgresClient({
            connectionString: config.DATABASE_URL,
            poolSize: config.DATABASE_POOL_SIZE,
          });
    const applied = await migrate(client);
    for (const version of applied) {
      const name = MIGRATIONS.find((migration) => migration.version === version)?.name;
      io.stdout.write(`Applied migration ${version}: ${name}\n`);
    }
    if (applied.length === 0) {
      const latest = Math.max(0, ...MIGRATIONS.map((migration) => migration.version));
      io.stdout.write(`Database is up to date (version ${latest})\n`);
    }
    return 0;
  } catch (error) {
    reportError(io, 'migrate', error);
    return 1;
  } finally {
    await client?.close();
  }
}
