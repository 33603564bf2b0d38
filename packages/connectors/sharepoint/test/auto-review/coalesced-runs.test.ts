import { describe, expect, it } from 'vitest';
import { CoalescedRuns } from '../../src/auto-review/coalesced-runs.js';

/** A run that waits until released, counting how many were started per key. */
function gatedRuns() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  const runs = new CoalescedRuns(async (key) => {
    started.push(key);
    const number = started.length;
    await new Promise<void>((resolve) => releases.push(resolve));
    if (key === 'failing') throw new Error(`run ${number} failed`);
    return number;
  });
  const releaseNext = async (): Promise<void> => {
    while (releases.length === 0) await new Promise((resolve) => setImmediate(resolve));
    releases.shift()?.();
  };
  return { runs, started, releaseNext };
}

describe('CoalescedRuns', () => {
  it('turns requests made during a run into one more run, which they all share', async () => {
    const { runs, started, releaseNext } = gatedRuns();
    const first = runs.request('a');
    const during = [runs.request('a'), runs.request('a'), runs.request('a')];
    expect(runs.hasQueued('a')).toBe(true);

    await releaseNext();
    await releaseNext();

    expect(await first).toBe(1);
    expect(await Promise.all(during)).toEqual([2, 2, 2]);
    expect(started).toEqual(['a', 'a']);
    expect(runs.hasQueued('a')).toBe(false);
  });

  it('runs different keys side by side', async () => {
    const { runs, started, releaseNext } = gatedRuns();
    const a = runs.request('a');
    const b = runs.request('b');
    await releaseNext();
    await releaseNext();
    expect(await Promise.all([a, b])).toEqual([1, 2]);
    expect(started).toEqual(['a', 'b']);
  });

  it('gives a failure to every request the run answers, and runs again afterwards', async () => {
    const { runs, releaseNext } = gatedRuns();
    const first = runs.request('failing');
    const shared = [runs.request('failing'), runs.request('failing')];
    await releaseNext();
    await expect(first).rejects.toThrow('run 1 failed');
    await releaseNext();
    for (const request of shared) await expect(request).rejects.toThrow('run 2 failed');

    const again = runs.request('failing');
    await releaseNext();
    await expect(again).rejects.toThrow('run 3 failed');
  });
});
