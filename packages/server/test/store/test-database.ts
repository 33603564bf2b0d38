import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The server the PostgreSQL tests use: `PRISM_TEST_POSTGRES_URL`, or a local one with trust
 * auth. Its database is only used to create and drop each run's own database.
 */
const ADMIN_URL =
  process.env.PRISM_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database made for one test run, dropped (with its connections) by `drop`. */
export interface TestDatabase {
  /** The URL of the new database. */
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/**
 * Creates an empty database with a unique name (`prism_test_<random>`), so concurrent runs never
 * share one. Fails with a clear message when PostgreSQL cannot be reached: these tests need it.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `prism_test_${randomBytes(6).toString('hex')}`;
  await runAsAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAsAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function runAsAdmin(statement: string): Promise<void> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 5000 });
  try {
    await admin.connect();
  } catch (cause) {
    throw new Error(
      `PostgreSQL is not reachable at ${ADMIN_URL} (${String(cause)}). These tests need it: start PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres, or set PRISM_TEST_POSTGRES_URL.`,
      { cause },
    );
  }
  try {
    await admin.query(statement);
  } finally {
    await admin.end();
  }
}
