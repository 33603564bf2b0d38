/**
 * The AI review path under a model's real latency: a simulated model that takes 2 s a call
 * (`--latency-ms` to shorten it) and answers a valid `record_findings` call, wrapped by
 * `limitModelClient` (requests and tokens per sliding window), behind `createModelProvider`
 * inside `createRouter`. A 30-section document made from the example investigations is
 * reviewed with `startReview` at concurrency 8 and, as the baseline in the same run, at
 * concurrency 1. Prints both wall times and the speed-up (target >= 5x), then checks the limits
 * against every call's recorded start: no window as long as the limiter's may hold more calls
 * or tokens than the limits, and no more calls may be in flight than the concurrency. The
 * window is 2.5 x the latency (5 s by default) and the limits lie between
 * what concurrency 1 and concurrency 8 would use, so the concurrent run waits for them.
 * Exits with 1 when the speed-up or a check fails.
 *
 *   pnpm bench bench/model-router.ts [--latency-ms N]
 */
import { readFile } from 'node:fs/promises';
import {
  createModelProvider,
  createRouter,
  createRulesProvider,
  getBuiltInFramework,
  limitModelClient,
  type ReviewableDocument,
  readDocument,
  startReview,
} from '@prism/sdk';
import { type Call, CallTrace, simulatedModel } from './model-router-model.js';

const latencyArgument = process.argv.indexOf('--latency-ms');
const LATENCY_MS = latencyArgument > 0 ? Number(process.argv[latencyArgument + 1]) : 2000;
const SECTIONS = 30;
const CONCURRENCY = 8;
const WINDOW_MS = Math.round(LATENCY_MS * 2.5);
const REQUESTS_PER_WINDOW = 16;
const TOKENS_PER_WINDOW = 52_000;
const MAX_OUTPUT_TOKENS = 1024;
/** A call that waited longer than this between asking the limiter and starting was held back. */
const HELD_BACK_MS = Math.max(20, LATENCY_MS / 20);

const framework = getBuiltInFramework('hawkeye-20');
const document = await benchmarkDocument();

/** The first 30 sections of the example investigations' markdown, read as one document. */
async function benchmarkDocument(): Promise<ReviewableDocument> {
  const names = ['cold-chain-excursion', 'injection-moulding-defect', 'phishing-account-takeover'];
  const texts = await Promise.all(
    names.map((name) => readFile(new URL(`../examples/documents/${name}.md`, import.meta.url))),
  );
  const markdown = texts.map((text) => text.toString('utf8')).join('\n\n');
  const read = await readDocument({ bytes: Buffer.from(markdown), filename: 'investigations.md' });
  if (read.sections.length < SECTIONS) throw new Error(`only ${read.sections.length} sections`);
  return { title: read.title, sections: read.sections.slice(0, SECTIONS) };
}

/** Reviews the document at `concurrency` through a fresh limited client; the wall time. */
async function timeReview(concurrency: number): Promise<{ elapsed: number; trace: CallTrace }> {
  const trace = new CallTrace();
  const limited = limitModelClient(simulatedModel(framework, LATENCY_MS, trace), {
    requestsPerMinute: REQUESTS_PER_WINDOW,
    tokensPerMinute: TOKENS_PER_WINDOW,
    windowMs: WINDOW_MS,
  });
  const model = createModelProvider(trace.recordRequests(limited), {
    maxOutputTokens: MAX_OUTPUT_TOKENS,
  });
  try {
    const started = performance.now();
    const result = await startReview({
      document,
      framework,
      provider: createRouter([model]),
      concurrency,
    }).done();
    const elapsed = performance.now() - started;
    if (result.degraded !== undefined) throw new Error(`degraded review: ${result.degraded}`);
    if (trace.calls.length !== SECTIONS + 1) throw new Error(`${trace.calls.length} model calls`);
    return { elapsed, trace };
  } finally {
    await limited.stop();
  }
}

// Warm-up: the rules checks the model provider merges with compile on their first document.
await startReview({ document, framework, provider: createRulesProvider() }).done();
const concurrent = await timeReview(CONCURRENCY);
const serial = await timeReview(1);
const speedUp = serial.elapsed / concurrent.elapsed;

const ms = (value: number) => `${Math.round(value).toLocaleString('en-GB')} ms`;
const count = (value: number) => value.toLocaleString('en-GB');
const perMinute = (perWindow: number) => count(Math.round((perWindow * 60_000) / WINDOW_MS));
const heldBack = ({ calls }: CallTrace) => {
  const waits = calls.map((call) => call.started - call.requested).filter((w) => w > HELD_BACK_MS);
  return waits.length === 0 ? 'none' : `${waits.length} (longest ${ms(Math.max(...waits))})`;
};
const excess = (high: number, limit: number) => (high <= limit ? ' -- ok' : ' -- EXCEEDED');
const checks = [
  { what: 'requests', limit: REQUESTS_PER_WINDOW, weight: () => 1 },
  { what: 'tokens', limit: TOKENS_PER_WINDOW, weight: (call: Call) => call.tokens },
].map(({ what, limit, weight }) => ({
  what,
  limit,
  high: concurrent.trace.maxPerWindow(WINDOW_MS, weight),
  low: serial.trace.maxPerWindow(WINDOW_MS, weight),
}));
const tokens = concurrent.trace.calls.map((call) => call.tokens);

console.log(
  `model router: ${SECTIONS} sections + 1 document-level call, simulated model ${ms(LATENCY_MS)} ` +
    `a call (requests estimated at ${count(Math.min(...tokens))}-${count(Math.max(...tokens))} tokens)`,
);
console.log(
  `  limits per ${ms(WINDOW_MS)} window: ${REQUESTS_PER_WINDOW} requests ` +
    `(${perMinute(REQUESTS_PER_WINDOW)}/min), ${count(TOKENS_PER_WINDOW)} tokens ` +
    `(${perMinute(TOKENS_PER_WINDOW)}/min)`,
);
for (const [concurrency, run] of [
  [1, serial],
  [CONCURRENCY, concurrent],
] as const) {
  console.log(
    `  concurrency ${concurrency}: ${ms(run.elapsed)}; calls held back by the limiter: ` +
      `${heldBack(run.trace)}; most in flight at once: ${run.trace.maxInFlight}`,
  );
}
console.log(
  `  speed-up of concurrency ${CONCURRENCY} over 1: ${speedUp.toFixed(2)}x (target >= 5x; ` +
    `concurrency 1 ideal ${ms((SECTIONS + 1) * LATENCY_MS)})`,
);
for (const { what, limit, high, low } of checks) {
  console.log(
    `  most ${what} started in any ${ms(WINDOW_MS)} window: ${count(high)} at concurrency ` +
      `${CONCURRENCY}, ${count(low)} at 1; limit ${count(limit)}${excess(high, limit)}`,
  );
}
const inFlightOk = concurrent.trace.maxInFlight <= CONCURRENCY && serial.trace.maxInFlight <= 1;
const limitsOk = checks.every(({ limit, high, low }) => high <= limit && low <= limit);
if (speedUp < 5 || !inFlightOk || !limitsOk) process.exitCode = 1;
