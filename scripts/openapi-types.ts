/**
 * Generates the SDK's TypeScript types from the OpenAPI contract, or checks that the
 * committed ones are current.
 *
 *   node scripts/openapi-types.ts           regenerate packages/sdk/src/generated/openapi.ts
 *   node scripts/openapi-types.ts --check   fail when the committed file differs from a fresh one
 *
 * `--spec FILE` and `--out FILE` override the two paths (the drift test uses them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string', default: join(root, 'openapi/prism.yaml') },
    out: { type: 'string', default: join(root, 'packages/sdk/src/generated/openapi.ts') },
  },
});

function generate(spec: string, out: string): void {
  const bin = join(root, 'node_modules/.bin/openapi-typescript');
  execFileSync(bin, [spec, '--output', out, '--default-non-nullable', 'false'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

if (!values.check) {
  generate(values.spec, values.out);
  console.log(`openapi: wrote ${values.out}`);
} else {
  const dir = mkdtempSync(join(tmpdir(), 'prism-openapi-'));
  try {
    const fresh = join(dir, 'openapi.ts');
    generate(values.spec, fresh);
    const committed = readFileSync(values.out, 'utf8');
    if (readFileSync(fresh, 'utf8') !== committed) {
      console.error(
        `openapi: ${values.out} is out of date with ${values.spec}.\n` +
          '  Run `pnpm openapi:generate` and commit the result.',
      );
      process.exitCode = 1;
    } else {
      console.log('openapi: generated types are up to date');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
