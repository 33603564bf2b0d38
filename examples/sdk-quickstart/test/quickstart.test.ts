import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../..', import.meta.url));
const script = fileURLToPath(new URL('../src/quickstart.ts', import.meta.url));
const tsx = createRequire(import.meta.url).resolve('tsx/cli');

async function quickstart(...args: string[]) {
  const env = { ...process.env, PRISM_BASE_URL: '', NO_COLOR: '1' };
  const tsconfig = 'tsconfig.dev.json';
  return run(process.execPath, [tsx, '--tsconfig', tsconfig, script, ...args], { cwd: root, env });
}

describe('examples/sdk-quickstart', () => {
  it('reviews the bundled sample and prints its score and each finding', async () => {
    const { stdout } = await quickstart();
    const [scoreLine, ...findingLines] = stdout.trim().split('\n');
    expect(scoreLine).toMatch(/^score \d+\/100, risk (low|medium|high|critical)$/);
    expect(findingLines.length).toBeGreaterThan(0);
    expect(
      findingLines.every((line) => /^\[(critical|major|minor|info)\] #\d+ .+/.test(line)),
    ).toBe(true);
    // The sample's Timeline has dates but no times: Hawkeye #4 must be among the findings.
    expect(findingLines.some((line) => line.includes('#4 '))).toBe(true);
  });

  it('reviews a file given on the command line, and fails clearly on one it cannot read', async () => {
    const { stdout } = await quickstart('examples/documents/cold-chain-excursion.md');
    expect(stdout).toMatch(/^score \d+\/100/);
    await expect(quickstart('no-such-file.docx')).rejects.toMatchObject({
      stderr: expect.stringContaining('file_unreadable'),
    });
  });
});
