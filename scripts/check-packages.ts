/**
 * Checks the published shape of every public workspace package: publint (package.json,
 * exports map, files) and @arethetypeswrong/cli (types resolve for ESM and CJS consumers).
 * Run after `pnpm build`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules/.bin', name);

const dirs = ['packages', 'packages/connectors']
  .flatMap((parent) => readdirSync(join(root, parent)).map((name) => join(root, parent, name)))
  .filter((dir) => existsSync(join(dir, 'package.json')))
  .filter((dir) => !JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).private);

let failed = 0;
for (const dir of dirs) {
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--format', 'table-flipped']],
  ] as const) {
    try {
      execFileSync(bin(tool), args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (error) {
      failed += 1;
      const { stdout, stderr } = error as { stdout: Buffer; stderr: Buffer };
      console.error(`✗ ${tool} ${relative(root, dir)}\n${stdout}${stderr}`);
    }
  }
}
console.log(
  `check:packages: ${dirs.length} packages, ${failed === 0 ? 'all pass' : `${failed} failures`}`,
);
process.exitCode = failed === 0 ? 0 : 1;
