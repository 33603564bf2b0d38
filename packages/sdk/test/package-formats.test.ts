import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const sample = fileURLToPath(
  new URL('../../../examples/documents/cold-chain-excursion.md', import.meta.url),
);

/** Reviews the sample with the built package, loaded the way `loader` says. */
const script = (loader: string) => `
  ${loader}
  const prism = Prism.local();
  prism.reviewFile(${JSON.stringify(sample)}).then(async ({ review }) => {
    await prism.close();
    console.log(review.status, review.summary.score);
  });
`;

describe('the built @prism/sdk', () => {
  beforeAll(() => {
    if (!existsSync(`${packageDir}/dist/index.cjs`)) {
      throw new Error('packages/sdk is not built: run `pnpm build` (pnpm test does) first.');
    }
  });

  it('works from CommonJS (require)', async () => {
    const { stdout } = await run(
      process.execPath,
      ['-e', script("const { Prism } = require('@prism/sdk');")],
      {
        cwd: packageDir,
      },
    );
    expect(stdout.trim()).toMatch(/^succeeded \d+$/);
  });

  it('works from an ES module (import)', async () => {
    const { stdout } = await run(
      process.execPath,
      ['--input-type=module', '-e', script("import { Prism } from '@prism/sdk';")],
      { cwd: packageDir },
    );
    expect(stdout.trim()).toMatch(/^succeeded \d+$/);
  });
});
