/**
 * Orchestrator scheduling overhead: a fake provider that takes a fixed time per section,
 * N sections at concurrency C, against the ideal ceil(N / C) x latency, and the speed-up over
 * concurrency 1 measured in the same run. The document-level call answers at once, so the
 * ideal counts sections only.
 *
 *   pnpm bench bench/orchestrator.ts
 */
import { type Framework, type ReviewProvider, type Section, startReview } from '@prism/sdk';
import { median } from './measure.js';

const SECTIONS = 40;
const CONCURRENCY = 8;
const LATENCY_MS = 200;
const RUNS = 5;

const framework: Framework = {
  id: 'hawkeye',
  version: '1.0.0',
  name: 'Hawkeye',
  description: 'Benchmark framework.',
  items: [
    { number: 20, key: 'clarity', title: 'Clarity', checks: 'wording', defaultSeverity: 'minor' },
  ],
  builtIn: true,
  createdAt: '2025-01-01T00:00:00Z',
};

const sections: Section[] = Array.from({ length: SECTIONS }, (_, index) => ({
  index,
  heading: `Section ${index + 1}`,
  level: 1,
  text: `Paragraph ${index + 1}: several services failed soon after the deploy.`,
  anchors: [{ block: index, page: null }],
}));

const provider: ReviewProvider = {
  id: 'fake:fixed-latency',
  async reviewSection(section) {
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
    return {
      findings: [
        {
          sectionIndex: section.index,
          frameworkItems: [{ number: 20, key: 'clarity' }],
          severity: 'minor',
          category: 'vague-quantifier',
          title: 'Vague quantifier',
          description: '"several" does not say how many.',
          suggestion: 'Give the number.',
          quote: 'several',
          confidence: 0.8,
          origin: 'rule',
        },
      ],
    };
  },
  async reviewDocument() {
    return { findings: [] };
  },
};

async function timeReview(concurrency: number): Promise<number> {
  const started = performance.now();
  const result = await startReview({
    document: { title: 'Benchmark', sections },
    framework,
    provider,
    concurrency,
  }).done();
  const elapsed = performance.now() - started;
  if (result.findings.length !== SECTIONS) throw new Error('a section was not reviewed');
  return elapsed;
}

/** What `ceil(N / C)` back-to-back fake calls take on this machine's timers, with no scheduler. */
async function timerFloor(): Promise<number> {
  const started = performance.now();
  for (let wave = 0; wave < Math.ceil(SECTIONS / CONCURRENCY); wave += 1) {
    await new Promise((resolve) => setTimeout(resolve, LATENCY_MS));
  }
  return performance.now() - started;
}

await timeReview(CONCURRENCY); // warm-up
const floor = await timerFloor();

const concurrentRuns: number[] = [];
for (let run = 0; run < RUNS; run += 1) concurrentRuns.push(await timeReview(CONCURRENCY));
const serial = await timeReview(1);

const concurrent = median(concurrentRuns);
const ideal = Math.ceil(SECTIONS / CONCURRENCY) * LATENCY_MS;
const efficiency = ideal / concurrent;
const serialIdeal = SECTIONS * LATENCY_MS;

console.log(`orchestrator: N=${SECTIONS} sections, latency ${LATENCY_MS} ms per section`);
console.log(
  `  concurrency ${CONCURRENCY}: median ${concurrent.toFixed(1)} ms of ${RUNS} runs ` +
    `(${concurrentRuns.map((ms) => ms.toFixed(1)).join(', ')}); ideal ${ideal} ms`,
);
console.log(`  efficiency ideal/actual: ${efficiency.toFixed(3)} (target >= 0.9)`);
console.log(
  `  the same waves as bare timers take ${floor.toFixed(1)} ms: ` +
    `scheduling overhead ${(concurrent - floor).toFixed(1)} ms`,
);
console.log(
  `  concurrency 1: ${serial.toFixed(1)} ms (ideal ${serialIdeal} ms, ` +
    `efficiency ${(serialIdeal / serial).toFixed(3)})`,
);
console.log(
  `  speed-up of concurrency ${CONCURRENCY} over 1: ${(serial / concurrent).toFixed(2)}x ` +
    `(ideal ${(serialIdeal / ideal).toFixed(2)}x)`,
);
if (efficiency < 0.9) process.exitCode = 1;
