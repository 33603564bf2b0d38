import { randomBytes } from 'node:crypto';
import { openPostgresClient, type SqlClient } from '@prism/server';

/**
 * The server the PostgreSQL tests use: `PRISM_TEST_POSTGRES_URL`, or a local one with trust
 * auth. Its database is only used to create and drop each test file's own database.
 */
const ADMIN_URL =
  process.env.PRISM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** An empty database of one test file, and a connection to it for checks and tampering. */
export interface TestDatabase {
  /** The URL of the new database. */
  url: string;
  /** A connection to it, as the test's own (not the CLI's). */
  sql: SqlClient;
  /** Closes the connection and drops the database. */
  drop(): Promise<void>;
}

/** Creates an empty database named `prism_test_<random>`, so concurrent runs never share one. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `prism_test_${randomBytes(6).toString('hex')}`;
  await runAsAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const sql = openPostgresClient({ connectionString: url.toString(), poolSize: 1 });
  return {
    url: url.toString(),
    sql,
    async drop() {
      await sql.close();
      await runAsAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function runAsAdmin(statement: string): Promise<void> {
  const admin = openPostgresClient({ connectionString: ADMIN_URL, poolSize: 1 });
  try {
    await admin.query(statement);
  } catch (cause) {
    throw new Error(
      `Could not run "${statement}" at ${ADMIN_URL} (${String(cause)}). These tests need PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres, or PRISM_TEST_POSTGRES_URL.`,
      { cause },
    );
  } finally {
    await admin.close();
  }
}
