/**
 * Server reads: `GET /v2/reviews/{id}` through the whole Prism server (auth, rate limit,
 * idempotency hooks, validation, serialization, store read), as `prism serve` starts it, on the
 * embedded store and on PostgreSQL, against a bare Fastify route answering the same JSON.
 *
 * Each server runs in a child process and the load comes from this one: on a 2-core machine a
 * load generator sharing the server's event loop would take turns from it and count its own
 * work as server latency. PostgreSQL itself is a third process on the same cores, as it would
 * be on a one-machine deployment.
 *
 * 1. Max throughput: autocannon, 10 connections, 10 s (after a 2 s warm-up) on each server;
 *    requests/s and p50/p95/p99, and the ratios full/bare.
 * 2. 1,000 requests/s for 10 s on each Prism server, against the target p95 < 200 ms: with
 *    autocannon's `overallRate` (which sends each second's share in bursts), and with a paced
 *    open loop (a request every millisecond, latency counted from when it was due).
 *
 *   pnpm bench bench/server-read.ts [--seconds 10] [--log-level silent|info]
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpPrism } from '@prism/sdk';
import {
  autocannonLoad,
  type LoadResult,
  type LoadTarget,
  machineLoad,
  pacedLoad,
  percentile,
} from './load.js';
import type { LogLevel } from './serve-fixture.js';
import {
  createBenchDatabase,
  type ServerProcess,
  startServerProcess,
  startServerProcesses,
} from './server-process.js';

const secondsArgument = process.argv.indexOf('--seconds');
const SECONDS = secondsArgument > 0 ? Number(process.argv[secondsArgument + 1]) : 10;
const logArgument = process.argv.indexOf('--log-level');
const LOG_LEVEL = (logArgument > 0 ? process.argv[logArgument + 1] : 'silent') as LogLevel;
const WARM_UP_SECONDS = 2;
const CONNECTIONS = 10;
const FIXED_RATE = 1_000;
/** Enough that a connection's share (10 requests/s) never waits for its last answer. */
const FIXED_RATE_CONNECTIONS = 100;
const TARGET_P95_MS = 200;
/** Far above what the runs send, so no request is refused for its rate. */
const RATE_LIMIT_PER_MINUTE = 1_000_000;
const DOCUMENT = new URL('../examples/documents/phishing-account-takeover.md', import.meta.url);

/** Uploads the sample document, reviews it, and returns the finished review's id and JSON. */
async function seedReview(server: ServerProcess): Promise<{ id: string; body: unknown }> {
  const client = new HttpPrism({ baseUrl: server.url, apiKey: server.apiKey });
  try {
    const document = await client.documents.create({
      file: await readFile(DOCUMENT),
      filename: 'phishing-account-takeover.md',
    });
    const handle = await client.reviews.create({ documentId: document.id });
    const review = await handle.done();
    const response = await fetch(`${server.url}/v2/reviews/${review.id}`, {
      headers: { authorization: `Bearer ${server.apiKey}` },
    });
    if (!response.ok) throw new Error(`GET review answered ${response.status}.`);
    return { id: review.id, body: await response.json() };
  } finally {
    await client.close();
  }
}

const targetOf = (server: ServerProcess, reviewId: string): LoadTarget => ({
  url: `${server.url}/v2/reviews/${reviewId}`,
  headers: { authorization: `Bearer ${server.apiKey}`, accept: 'application/json' },
});

const ms = (value: number) => `${value.toFixed(2).padStart(7)} ms`;

function describe(result: LoadResult): string {
  const { latencies } = result;
  return (
    `${result.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
    `p50 ${ms(percentile(latencies, 0.5))}  p95 ${ms(percentile(latencies, 0.95))}  ` +
    `p99 ${ms(percentile(latencies, 0.99))}` +
    (result.failures > 0 ? `  FAILURES ${result.failures}` : '')
  );
}

const dataDir = await mkdtemp(join(tmpdir(), 'prism-bench-'));
const database = await createBenchDatabase();
const servers: ServerProcess[] = [];
try {
  const prismSpec = {
    kind: 'prism',
    rateLimitPerMinute: RATE_LIMIT_PER_MINUTE,
    logLevel: LOG_LEVEL,
  } as const;
  const [embedded, postgres] = (await startServerProcesses([
    { ...prismSpec, dataDir },
    { ...prismSpec, databaseUrl: database.url },
  ])) as [ServerProcess, ServerProcess];
  servers.push(embedded, postgres);
  const [embeddedReview, postgresReview] = await Promise.all([
    seedReview(embedded),
    seedReview(postgres),
  ]);
  const bare = await startServerProcess({
    kind: 'bare',
    body: embeddedReview.body,
    logLevel: LOG_LEVEL,
  });
  servers.push(bare);

  const targets: [string, LoadTarget][] = [
    ['bare fastify', targetOf(bare, embeddedReview.id)],
    ['prism embedded', targetOf(embedded, embeddedReview.id)],
    ['prism postgresql', targetOf(postgres, postgresReview.id)],
  ];
  console.log(
    `server read: GET /v2/reviews/{id} (${JSON.stringify(embeddedReview.body).length} bytes), ` +
      `node ${process.version}, servers in child processes, logs ${LOG_LEVEL}, ${machineLoad()}`,
  );
  console.log(
    `max throughput: autocannon, ${CONNECTIONS} connections, ${SECONDS} s each after ${WARM_UP_SECONDS} s warm-up`,
  );
  const results: LoadResult[] = [];
  for (const [name, target] of targets) {
    await autocannonLoad(target, { connections: CONNECTIONS, seconds: WARM_UP_SECONDS });
    const result = await autocannonLoad(target, { connections: CONNECTIONS, seconds: SECONDS });
    results.push(result);
    console.log(`  ${name.padEnd(17)} ${describe(result)}`);
  }
  const [bareResult] = results as [LoadResult, ...LoadResult[]];
  for (const [index, [name]] of targets.entries()) {
    const result = results[index] as LoadResult;
    if (index === 0) continue;
    const ratio = (fraction: number) =>
      (percentile(result.latencies, fraction) / percentile(bareResult.latencies, fraction)).toFixed(
        2,
      );
    console.log(
      `  ${`${name} / bare`.padEnd(24)} req/s ${(result.requestsPerSecond / bareResult.requestsPerSecond).toFixed(3)}` +
        `  p50 ${ratio(0.5)}x  p95 ${ratio(0.95)}x  p99 ${ratio(0.99)}x`,
    );
  }

  console.log(
    `fixed rate: ${FIXED_RATE} req/s for ${SECONDS} s, ${FIXED_RATE_CONNECTIONS} connections, target p95 < ${TARGET_P95_MS} ms`,
  );
  for (const [name, target] of targets.slice(1)) {
    const runs: [string, LoadResult][] = [
      [
        'autocannon overallRate',
        await autocannonLoad(target, {
          connections: FIXED_RATE_CONNECTIONS,
          seconds: SECONDS,
          overallRate: FIXED_RATE,
        }),
      ],
      [
        'paced open loop',
        await pacedLoad(target, {
          rate: FIXED_RATE,
          seconds: SECONDS,
          connections: FIXED_RATE_CONNECTIONS,
        }),
      ],
    ];
    for (const [how, result] of runs) {
      const p95 = percentile(result.latencies, 0.95);
      const sustained = result.requestsPerSecond >= FIXED_RATE * 0.98;
      console.log(
        `  ${name.padEnd(17)} ${how.padEnd(23)} ${describe(result)}  ` +
          `${p95 < TARGET_P95_MS && sustained ? 'ok' : 'MISSED'}${sustained ? '' : ' (rate not sustained)'}`,
      );
    }
  }
  console.log(`done, ${machineLoad()}`);
} finally {
  for (const server of servers) await server.close();
  await database.drop();
  await rm(dataDir, { recursive: true, force: true });
}
