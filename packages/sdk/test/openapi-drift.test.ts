import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { specPath } from './spec.js';

const script = resolve(import.meta.dirname, '../../../scripts/openapi-types.ts');
const work = mkdtempSync(join(tmpdir(), 'prism-drift-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function check(spec: string) {
  return spawnSync(process.execPath, [script, '--check', '--spec', spec], { encoding: 'utf8' });
}

// Each case runs the generator in a child process.
describe('pnpm openapi:check', { timeout: 60_000 }, () => {
  it('passes when the committed types and server document match the spec', () => {
    const run = check(specPath);
    expect(run.stderr).not.toMatch(/out of date/);
    expect(run.status).toBe(0);
  });

  it('fails when the spec changed and the types were not regenerated', () => {
    const changed = join(work, 'prism.yaml');
    const text = readFileSync(specPath, 'utf8').replace(
      'enum: [critical, major, minor, info]',
      'enum: [critical, major, minor, info, trivial]',
    );
    writeFileSync(changed, text);
    const run = check(changed);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/openapi\.ts is out of date.*Run `pnpm openapi:generate`/s);
    expect(run.stderr).toMatch(/server\/src\/generated\/openapi\.json is out of date/);
  });
});
