/**
 * A server for the server benchmarks, run in a process of its own by `startServerProcess`
 * (bench/server-process.ts), so the load generator never shares its event loop. The spec comes
 * as JSON in the first argument; once listening it sends `{ url, apiKey }` over IPC, and it
 * closes gracefully when its parent disconnects.
 *
 * - `prism`: the Prism server exactly as `prism serve` starts it (`startServer`): the store
 *   (embedded PGlite in `dataDir`, or PostgreSQL at `databaseUrl`) migrated, a bootstrap admin
 *   key, the SQL idempotency store, rate limits, every API hook, the durable review job queue
 *   and its workers.
 * - `bare`: a Fastify app with one route, `GET /v2/reviews/:reviewId`, answering `body`: no
 *   hooks, no validation, no store.
 */
import { createRequire } from 'node:module';
import { generateApiKeySecret } from '@prism/sdk';
import { loadConfig } from '../packages/server/src/config.js';
import { startServer } from '../packages/server/src/start.js';

/** A pino level, as `PRISM_LOG_LEVEL` takes it. */
export type LogLevel = 'silent' | 'info';

/** What server the fixture runs. */
export type FixtureSpec =
  | {
      kind: 'prism';
      /** PostgreSQL URL; without it, the embedded store in `dataDir`. */
      databaseUrl?: string;
      /** The embedded store's directory. */
      dataDir?: string;
      /** Requests per minute per API key. */
      rateLimitPerMinute: number;
      /** Reviews the server runs at once (`PRISM_WORKERS`); the server's default unless set. */
      workers?: number;
      logLevel: LogLevel;
    }
  | { kind: 'bare'; body: unknown; logLevel: LogLevel };

/** What the fixture sends its parent once it listens. */
export interface FixtureReady {
  url: string;
  apiKey: string;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as FixtureSpec;

async function startPrism(
  options: Extract<FixtureSpec, { kind: 'prism' }>,
): Promise<FixtureReady & { close(): Promise<void> }> {
  const apiKey = generateApiKeySecret();
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PRISM_BOOTSTRAP_KEY: apiKey,
    PRISM_RATE_LIMIT_PER_MINUTE: String(options.rateLimitPerMinute),
    PRISM_LOG_LEVEL: options.logLevel,
    ...(options.databaseUrl === undefined ? {} : { DATABASE_URL: options.databaseUrl }),
    ...(options.dataDir === undefined ? {} : { PRISM_DATA_DIR: options.dataDir }),
    ...(options.workers === undefined ? {} : { PRISM_WORKERS: String(options.workers) }),
  });
  const running = await startServer(config);
  return { url: running.url, apiKey, close: () => running.close() };
}

/** The part of a Fastify app the bare server uses (Fastify is not a dependency of the root). */
interface BareApp {
  get(path: string, handler: () => Promise<unknown>): void;
  listen(options: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
}

async function startBare(
  options: Extract<FixtureSpec, { kind: 'bare' }>,
): Promise<FixtureReady & { close(): Promise<void> }> {
  // Fastify is the server package's dependency, not the repository root's.
  const require = createRequire(new URL('../packages/server/package.json', import.meta.url));
  const { fastify } = require('fastify') as { fastify: (options: object) => BareApp };
  const app = fastify({ logger: options.logLevel === 'silent' ? false : { level: 'info' } });
  app.get('/v2/reviews/:reviewId', async () => options.body);
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, apiKey: 'none', close: () => app.close() };
}

const server = spec.kind === 'prism' ? await startPrism(spec) : await startBare(spec);
process.once('disconnect', () => {
  server.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
});
process.send?.({ url: server.url, apiKey: server.apiKey } satisfies FixtureReady);
