/**
 * SDK overhead per call: `reviews.get` through `HttpPrism` against a bare undici request of the
 * same URL, both to a local server answering the OpenAPI Review example. The two take turns in
 * rounds (alternating which goes first) and their median per-call times are compared, with
 * response validation on (the default) and off.
 *
 *   pnpm bench bench/sdk-overhead.ts
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpPrism } from '@prism/sdk';
import { Pool } from 'undici';
import { parse } from 'yaml';
import { median, time } from './measure.js';

const WARM_UP_CALLS = 1_000;
const ROUNDS = 20;
const CALLS_PER_ROUND = 100;
const TARGET_RATIO = 1.2;
const REVIEW_ID = 'rev_3Nf8TgY1';

const spec = parse(readFileSync(new URL('../openapi/prism.yaml', import.meta.url), 'utf8'));
const reviewBody = JSON.stringify(spec.components.schemas.Review.examples[0]);

let requestCount = 0;
const server = createServer((request, response) => {
  if (request.method === 'GET' && request.url === `/v2/reviews/${REVIEW_ID}`) {
    requestCount++;
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(reviewBody),
      'x-request-id': `req_${requestCount}`,
    });
    response.end(reviewBody);
    return;
  }
  response.writeHead(404).end();
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** The 99th percentile of some numbers. */
function p99(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))] as number;
}

/** Runs `call` `count` times in sequence, adding each call's milliseconds to `samples`. */
async function runCalls(call: () => Promise<unknown>, count: number, samples: number[]) {
  for (let index = 0; index < count; index++) samples.push(await time(call));
}

/** Per-call times of the SDK and the bare request, taking turns in alternating rounds. */
async function measure(sdkCall: () => Promise<unknown>, bareCall: () => Promise<unknown>) {
  const sdk: number[] = [];
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const sides: [() => Promise<unknown>, number[]][] = [
      [sdkCall, sdk],
      [bareCall, bare],
    ];
    if (round % 2 === 1) sides.reverse();
    for (const [call, samples] of sides) await runCalls(call, CALLS_PER_ROUND, samples);
  }
  return { sdk, bare };
}

/** Undici's defaults, as the SDK's own pool: connections kept alive between calls. */
const pool = new Pool(baseUrl);
const bareCall = async () => {
  const { statusCode, body } = await pool.request({
    method: 'GET',
    path: `/v2/reviews/${REVIEW_ID}`,
    headers: { authorization: 'Bearer prism_sk_bench', accept: 'application/json' },
  });
  if (statusCode !== 200) throw new Error(`Bare request answered ${statusCode}.`);
  return body.json();
};

const format = (ms: number) => `${(ms * 1000).toFixed(0).padStart(5)} µs`;

console.log(
  `sdk overhead: ${ROUNDS} rounds x ${CALLS_PER_ROUND} sequential calls each side, ` +
    `after ${WARM_UP_CALLS} warm-up calls of each path (node ${process.version})`,
);
const clients = [true, false].map((validateResponses) => ({
  validateResponses,
  prism: new HttpPrism({ baseUrl, apiKey: 'prism_sk_bench', validateResponses }),
}));
// Every path is warmed up before anything is measured, so neither setting pays for the JIT.
for (const { prism } of clients)
  await runCalls(() => prism.reviews.get(REVIEW_ID), WARM_UP_CALLS, []);
await runCalls(bareCall, WARM_UP_CALLS, []);
for (const { validateResponses, prism } of clients) {
  const { sdk, bare } = await measure(() => prism.reviews.get(REVIEW_ID), bareCall);
  await prism.close();
  const ratio = median(sdk) / median(bare);
  console.log(
    `validateResponses ${String(validateResponses).padEnd(5)}: ` +
      `sdk median ${format(median(sdk))} p99 ${format(p99(sdk))} | ` +
      `bare median ${format(median(bare))} p99 ${format(p99(bare))} | ` +
      `ratio ${ratio.toFixed(2)} (target <= ${TARGET_RATIO}) ${ratio <= TARGET_RATIO ? 'ok' : 'OVER'}`,
  );
}

await pool.close();
await new Promise<void>((resolve, reject) =>
  server.close((error) => (error ? reject(error) : resolve())),
);
