import { generateApiKeySecret, HttpPrism } from '@prism/sdk';
import { ConfigSchema, type RunningServer, startServer } from '@prism/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WORKER_USAGE } from '../src/commands/worker.js';
import { runCli } from './run-cli.js';
import { killSpawned, printed, spawnPrism } from './spawn-prism.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const NOTES = '# Incident notes\n\n## Summary\n\nThe VPN gateway went down for two hours.\n';

describe('prism worker', () => {
  afterAll(() => {
    vi.unstubAllEnvs();
    killSpawned();
  });

  it('prints its usage', async () => {
    expect(await runCli('worker', '--help')).toEqual({ code: 0, stdout: WORKER_USAGE, stderr: '' });
  });

  it('refuses to start without DATABASE_URL, in one line with a hint', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const { code, stdout, stderr } = await runCli('worker');
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(
      /^prism: worker: A worker needs a PostgreSQL database \(DATABASE_URL\); .+ \[worker_needs_database\]\n {2}hint: Set DATABASE_URL .+\n$/,
    );
  });

  it('refuses a concurrency that is not a whole number above 0', async () => {
    const { code, stderr } = await runCli('worker', '--concurrency', '0');
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^prism: --concurrency must be a whole number >= 1\n\nUsage: prism worker/,
    );
  });
});

// A server that only serves the API (PRISM_WORKERS=0) and a worker process on its database.
describe('prism worker beside prism serve with PRISM_WORKERS=0', { timeout: 60_000 }, () => {
  const adminKey = generateApiKeySecret();
  let database: TestDatabase;
  let server: RunningServer;
  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startServer(
      ConfigSchema.parse({
        PORT: 0,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: 2,
        PRISM_BOOTSTRAP_KEY: adminKey,
        PRISM_LOG_LEVEL: 'silent',
        PRISM_WORKERS: 0,
      }),
    );
  });
  afterAll(async () => {
    killSpawned();
    await server?.close();
    await database?.drop();
  });

  it('runs the reviews the server queued, and stops gracefully on SIGTERM', async () => {
    const prism = new HttpPrism({ baseUrl: server.url, apiKey: adminKey });
    try {
      const document = await prism.documents.create({
        file: new TextEncoder().encode(NOTES),
        filename: 'notes.md',
      });
      const { id } = await prism.reviews.create({ documentId: document.id });
      expect((await prism.reviews.get(id)).status).toBe('queued');

      const worker = spawnPrism(['worker', '--concurrency', '1'], { DATABASE_URL: database.url });
      await printed(
        worker,
        /^Prism worker running 1 review job\(s\) at once \(queue: postgresql\)$/m,
      );
      await vi.waitFor(async () => expect((await prism.reviews.get(id)).status).toBe('succeeded'), {
        timeout: 30_000,
        interval: 100,
      });

      worker.process.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.stdout()).toMatch(/stopping \(SIGTERM\)\nPrism worker stopped\n$/);
      expect(worker.stderr()).toBe('');
    } finally {
      await prism.close();
    }
  });
});
