import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { type Finding, generateApiKeySecret, HttpPrism, Prism } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { killSpawned, printed, type SpawnedPrism, spawnPrism } from './spawn-prism.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const SECTIONS = 1000;

/**
 * A long incident report: the sample report's sections over and over, numbered, so a review takes
 * seconds (each section checkpointed and its progress recorded in PostgreSQL).
 */
function longDocument(): Uint8Array {
  const sample = readFileSync(
    fileURLToPath(
      new URL('../../../examples/documents/phishing-account-takeover.md', import.meta.url),
    ),
    'utf8',
  );
  const [title = '', ...sections] = sample.split(/\n(?=## )/);
  const repeated = Array.from({ length: SECTIONS }, (_, index) =>
    (sections[index % sections.length] ?? '').replace(/^## (.*)/, `## $1 (part ${index + 1})`),
  );
  return new TextEncoder().encode([title, ...repeated].join('\n'));
}

/** What makes two findings the same, whatever their ids and times. */
function essence(finding: Finding): string {
  const { frameworkItems, category, sectionIndex, quote } = finding;
  return JSON.stringify({ frameworkItems, category, sectionIndex, quote });
}

/** A webhook consumer: every review event delivery it received, with its `webhook-id`. */
interface Consumer {
  url: string;
  received: Array<{ type: string; webhookId: string; reviewId: string }>;
  close(): Promise<void>;
}

async function startConsumer(): Promise<Consumer> {
  const received: Consumer['received'] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      const event = JSON.parse(body) as { type: string; data: { review: { id: string } } };
      received.push({
        type: event.type,
        webhookId: String(request.headers['webhook-id']),
        reviewId: event.data.review.id,
      });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('a review through a crash of prism serve', { timeout: 120_000 }, () => {
  const adminKey = generateApiKeySecret();
  const document = longDocument();
  let database: TestDatabase;
  let consumer: Consumer;
  beforeAll(async () => {
    [database, consumer] = await Promise.all([createTestDatabase(), startConsumer()]);
  });
  afterAll(async () => {
    killSpawned();
    await consumer?.close();
    await database?.drop();
  });

  function serve(): SpawnedPrism {
    return spawnPrism(['serve', '--port', '0'], {
      DATABASE_URL: database.url,
      PRISM_BOOTSTRAP_KEY: adminKey,
      // A killed server's job is taken again 2 s after its last heartbeat.
      PRISM_JOB_LEASE_SECONDS: '2',
      PRISM_WORKERS: '1',
    });
  }

  async function reviewRow(reviewId: string) {
    const { rows } = await database.sql.query<{ status: string; startedAt: string | null }>(
      `SELECT data->>'status' AS status, data->>'startedAt' AS "startedAt"
       FROM reviews WHERE id = $1`,
      [reviewId],
    );
    return rows[0];
  }

  async function checkpointCount(reviewId: string): Promise<number> {
    const { rows } = await database.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM review_checkpoints WHERE data->>'reviewId' = $1`,
      [reviewId],
    );
    return rows[0]?.count ?? 0;
  }

  it('resumes after SIGKILL on restart, and completes exactly once', async () => {
    // The same document reviewed in-process, for the findings the crashed review must end with.
    const expected = (async () => {
      const local = Prism.local();
      try {
        return (await local.reviewFile(document, { filename: 'long.md' })).findings;
      } finally {
        await local.close();
      }
    })();

    const first = serve();
    const [, url = ''] = await printed(first, /listening on (http:\/\/\S+)/);
    let prism = new HttpPrism({ baseUrl: url, apiKey: adminKey });
    await prism.webhooks.create({
      url: consumer.url,
      enabledEvents: ['review.started', 'review.completed'],
    });
    const uploaded = await prism.documents.create({ file: document, filename: 'long.md' });
    const { id: reviewId } = await prism.reviews.create({ documentId: uploaded.id });
    await prism.close();

    // Killed mid-review: running, some sections checkpointed, far from done.
    await vi.waitFor(
      async () => {
        expect((await reviewRow(reviewId))?.status).toBe('running');
        expect(await checkpointCount(reviewId)).toBeGreaterThanOrEqual(20);
      },
      { timeout: 60_000, interval: 20 },
    );
    first.process.kill('SIGKILL');
    await first.exited;
    const atCrash = await reviewRow(reviewId);
    expect(atCrash?.status).toBe('running');
    expect(atCrash?.startedAt).toEqual(expect.any(String));
    expect(await checkpointCount(reviewId)).toBeLessThan(uploaded.sections.length);

    const second = serve();
    const [, restartedUrl = ''] = await printed(second, /listening on (http:\/\/\S+)/);
    prism = new HttpPrism({ baseUrl: restartedUrl, apiKey: adminKey });
    try {
      await vi.waitFor(
        async () => expect((await prism.reviews.get(reviewId)).status).toBe('succeeded'),
        { timeout: 60_000, interval: 100 },
      );
      const review = await prism.reviews.get(reviewId);
      expect(review.startedAt).toBe(atCrash?.startedAt);
      const sections = uploaded.sections.length;
      expect(review.progress).toEqual({ sectionsDone: sections, sectionsTotal: sections });

      const findings: Finding[] = [];
      for await (const finding of prism.findings.list(reviewId, { limit: 100 })) {
        findings.push(finding);
      }
      const { rows } = await database.sql.query<{ rows: number; ids: number }>(
        `SELECT count(*)::int AS rows, count(DISTINCT id)::int AS ids FROM findings
         WHERE data->>'reviewId' = $1`,
        [reviewId],
      );
      expect(rows[0]).toEqual({ rows: findings.length, ids: findings.length });
      expect(findings.map(essence).sort()).toEqual((await expected).map(essence).sort());

      const job = await database.sql.query('SELECT status, attempts FROM jobs WHERE id = $1', [
        `review:${reviewId}`,
      ]);
      expect(job.rows).toEqual([{ status: 'done', attempts: 2 }]);

      // Started before the crash and again after it, completed once: one event id of each.
      await vi.waitFor(
        () => expect(consumer.received.map((event) => event.type)).toContain('review.completed'),
        { timeout: 15_000 },
      );
      const deliveries = await database.sql.query<{ type: string; status: string }>(
        `SELECT data->>'eventType' AS type, data->>'status' AS status FROM webhook_deliveries
         ORDER BY type`,
      );
      expect(deliveries.rows).toEqual([
        { type: 'review.completed', status: 'succeeded' },
        { type: 'review.started', status: 'succeeded' },
      ]);
      for (const type of ['review.started', 'review.completed']) {
        const received = consumer.received.filter((event) => event.type === type);
        expect(new Set(received.map((event) => event.webhookId)).size).toBe(1);
      }
      expect(new Set(consumer.received.map((event) => event.reviewId))).toEqual(
        new Set([reviewId]),
      );
    } finally {
      await prism.close();
    }
    second.process.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });
});
