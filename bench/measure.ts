/** Timing helpers shared by the benchmarks. */

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Milliseconds one call of `run` takes. */
export async function time(run: () => unknown): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/**
 * Median milliseconds of each task over `runs` rounds after `warmUp` rounds; the tasks take
 * turns within each round, so machine noise hits them alike.
 */
export async function compare(
  tasks: (() => unknown)[],
  { runs, warmUp }: { runs: number; warmUp: number },
): Promise<number[]> {
  for (let round = 0; round < warmUp; round++) for (const task of tasks) await time(task);
  const samples = tasks.map((): number[] => []);
  for (let round = 0; round < runs; round++) {
    for (const [index, task] of tasks.entries()) samples[index]?.push(await time(task));
  }
  return samples.map(median);
}
