/**
 * Servers in child processes for the server benchmarks, and a PostgreSQL database of their own.
 * On a machine with few cores a load generator in the server's process would take event-loop
 * turns from the server and count its own work as latency; in a child process the server has a
 * core's worth of event loop to itself, as behind a real load balancer.
 */
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { openPostgresClient } from '../packages/server/src/store/postgres-client.js';
import type { FixtureReady, FixtureSpec } from './serve-fixture.js';

/** A server running in a child process. */
export interface ServerProcess extends FixtureReady {
  /** Stops the server gracefully and waits for its process to exit. */
  close(): Promise<void>;
}

/**
 * Forks bench/serve-fixture.ts with `spec` (the child inherits tsx and its tsconfig through
 * `execArgv` and the environment) and resolves once it listens. Its logs, when on, go nowhere:
 * writing them is the server's cost, reading them would be ours.
 */
export async function startServerProcess(spec: FixtureSpec): Promise<ServerProcess> {
  const child = fork(new URL('./serve-fixture.ts', import.meta.url), [JSON.stringify(spec)], {
    stdio: ['ignore', spec.logLevel === 'silent' ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const ready = await new Promise<FixtureReady>((resolve, reject) => {
    child.once('message', (message) => resolve(message as FixtureReady));
    exited.then((code) => reject(new Error(`The ${spec.kind} server exited with ${code}.`)));
  });
  return {
    ...ready,
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/**
 * Starts a server for each spec at once (startup is mostly loading code and opening stores, so
 * overlapping them saves time); when one fails, the others are closed and the failure thrown.
 */
export async function startServerProcesses(specs: FixtureSpec[]): Promise<ServerProcess[]> {
  const started = await Promise.allSettled(specs.map(startServerProcess));
  const servers = started.flatMap((result) =>
    result.status === 'fulfilled' ? [result.value] : [],
  );
  const failure = started.find((result) => result.status === 'rejected');
  if (failure === undefined) return servers;
  for (const server of servers) await server.close();
  throw failure.reason;
}

/** A PostgreSQL database made for one benchmark run. */
export interface BenchDatabase {
  url: string;
  /** Drops the database, closing any connection still open to it. */
  drop(): Promise<void>;
}

/** The server the benchmarks use: `PRISM_BENCH_POSTGRES_URL`, or a local one with trust auth. */
const ADMIN_URL =
  process.env.PRISM_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Creates an empty database `prism_bench_<random>` on the benchmark's PostgreSQL server. */
export async function createBenchDatabase(): Promise<BenchDatabase> {
  const name = `prism_bench_${randomBytes(6).toString('hex')}`;
  await runAsAdmin(`CREATE DATABASE ${name}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runAsAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function runAsAdmin(statement: string): Promise<void> {
  const admin = openPostgresClient({ connectionString: ADMIN_URL, poolSize: 1 });
  try {
    await admin.execute(statement);
  } catch (cause) {
    throw new Error(
      `PostgreSQL at ${ADMIN_URL} refused "${statement}" (${String(cause)}). Start PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres, or set PRISM_BENCH_POSTGRES_URL.`,
      { cause },
    );
  } finally {
    await admin.close();
  }
}
