/**
 * Generates what the code takes from the OpenAPI contract, or checks that the committed copies
 * are current: the SDK's TypeScript types and the server's JSON copy of the document (which it
 * routes and validates requests by).
 *
 *   node scripts/openapi-types.ts           regenerate both
 *   node scripts/openapi-types.ts --check   fail when a committed file differs from a fresh one
 *
 * `--spec FILE`, `--out FILE` (the types) and `--document-out FILE` override the paths (the
 * drift test uses them).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse } from 'yaml';

const root = resolve(import.meta.dirname, '..');
const { values } = parseArgs({
  options: {
    check: { type: 'boolean', default: false },
    spec: { type: 'string', default: join(root, 'openapi/prism.yaml') },
    out: { type: 'string', default: join(root, 'packages/sdk/src/generated/openapi.ts') },
    'document-out': {
      type: 'string',
      default: join(root, 'packages/server/src/generated/openapi.json'),
    },
  },
});

function generateTypes(spec: string, out: string): void {
  const bin = join(root, 'node_modules/.bin/openapi-typescript');
  execFileSync(bin, [spec, '--output', out, '--default-non-nullable', 'false'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function generateDocument(spec: string, out: string): void {
  writeFileSync(out, `${JSON.stringify(parse(readFileSync(spec, 'utf8')), null, 2)}\n`);
}

const outputs = [
  { committed: values.out, name: 'openapi.ts', generate: generateTypes },
  { committed: values['document-out'], name: 'openapi.json', generate: generateDocument },
];

if (!values.check) {
  for (const { committed, generate } of outputs) {
    generate(values.spec, committed);
    console.log(`openapi: wrote ${committed}`);
  }
} else {
  const dir = mkdtempSync(join(tmpdir(), 'prism-openapi-'));
  try {
    for (const { committed, name, generate } of outputs) {
      const fresh = join(dir, name);
      generate(values.spec, fresh);
      if (readFileSync(fresh, 'utf8') !== readFileSync(committed, 'utf8')) {
        console.error(
          `openapi: ${committed} is out of date with ${values.spec}.\n` +
            '  Run `pnpm openapi:generate` and commit the result.',
        );
        process.exitCode = 1;
      }
    }
    if (!process.exitCode) console.log('openapi: generated files are up to date');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
