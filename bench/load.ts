/**
 * Load generators for the server benchmarks: autocannon (closed loop: each connection sends its
 * next request when the last is answered) and a paced open loop (requests start on a schedule,
 * answered or not). Both record every answer's latency, so percentiles are exact.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { Pool } from 'undici';

/** What one load run saw. */
export interface LoadResult {
  /** Answers with a 2xx status per second of the run. */
  requestsPerSecond: number;
  /** Milliseconds of each 2xx answer. */
  latencies: number[];
  /** Answers with another status, and connection errors or timeouts. */
  failures: number;
}

/** A GET the load repeats. */
export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
}

interface AutocannonOptions {
  url: string;
  headers: Record<string, string>;
  connections: number;
  duration: number;
  overallRate?: number;
}
interface AutocannonRun extends EventEmitter, PromiseLike<{ errors: number; timeouts: number }> {}
/** autocannon ships no types: the part of its API used here. */
const autocannon = createRequire(import.meta.url)('autocannon') as (
  options: AutocannonOptions,
) => AutocannonRun;

/**
 * Autocannon against `target` for `seconds` with `connections`, as fast as answers come or, with
 * `overallRate`, at most that many requests per second. Its rate limit lets each connection send
 * its share back to back at the start of every second and then wait, so a rated run is bursts of
 * closed-loop load, not an even stream.
 */
export async function autocannonLoad(
  target: LoadTarget,
  options: { connections: number; seconds: number; overallRate?: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  const run = autocannon({
    url: target.url,
    headers: target.headers,
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate === undefined ? {} : { overallRate: options.overallRate }),
  });
  run.on('response', (_client: unknown, status: number, _bytes: number, milliseconds: number) => {
    if (status >= 200 && status < 300) latencies.push(milliseconds);
    else failures++;
  });
  const result = await run;
  const seconds = (performance.now() - started) / 1000;
  return {
    requestsPerSecond: latencies.length / seconds,
    latencies,
    failures: failures + result.errors + result.timeouts,
  };
}

/**
 * An open loop: request `i` is due `i / rate` seconds after the start and is sent then, however
 * many are still unanswered (up to `connections` at once; the rest wait their turn, and the wait
 * counts). Each latency runs from the request's due time to its answer, so a server that falls
 * behind shows it instead of slowing the load down (no coordinated omission).
 */
export async function pacedLoad(
  target: LoadTarget,
  options: { rate: number; seconds: number; connections: number },
): Promise<LoadResult> {
  const { origin, pathname, search } = new URL(target.url);
  const pool = new Pool(origin, { connections: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let failures = 0;
  const send = async (dueAt: number) => {
    try {
      const { statusCode, body } = await pool.request({
        method: 'GET',
        path: pathname + search,
        headers: target.headers,
      });
      await body.dump();
      if (statusCode >= 200 && statusCode < 300) latencies.push(performance.now() - dueAt);
      else failures++;
    } catch {
      failures++;
    }
  };
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.min(
        total,
        Math.floor(((performance.now() - started) * options.rate) / 1000),
      );
      for (let index = inFlight.length; index < due; index++) {
        inFlight.push(send(started + (index * 1000) / options.rate));
      }
      if (inFlight.length === total) {
        clearInterval(timer);
        resolve();
      }
    }, 1);
  });
  await Promise.all(inFlight);
  const seconds = (performance.now() - started) / 1000;
  await pool.close();
  return { requestsPerSecond: latencies.length / seconds, latencies, failures };
}

/** The `fraction` percentile (0.95 for p95) of some numbers, nearest rank. */
export function percentile(values: number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * fraction) - 1)] as number;
}

/**
 * The machine's 1-minute load average over its cores, e.g. `load 1.95 on 2 cores`: other work on
 * the machine takes cores from the server and the load generator alike, so a run under a load
 * above the core count measures the machine as much as the server.
 */
export function machineLoad(): string {
  return `load ${(loadavg()[0] ?? 0).toFixed(2)} on ${availableParallelism()} cores`;
}
