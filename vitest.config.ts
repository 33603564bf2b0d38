import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

const root = import.meta.dirname;

/** Every workspace package folder: packages/*, packages/connectors/* and examples/*. */
function packageDirs(): string[] {
  const parents = ['packages', 'packages/connectors', 'examples'];
  return parents.flatMap((parent) =>
    readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => join(root, parent, entry.name))
      .filter((dir) => existsSync(join(dir, 'package.json'))),
  );
}

const packages = packageDirs().map((dir) => ({
  dir,
  name: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name as string,
}));

export default defineConfig({
  resolve: {
    // Tests run against the workspace packages' sources, so no build is needed to test.
    // A subpath entry (`@prism/sdk/http`) maps to its folder's index.
    alias: packages
      .filter(({ dir }) => existsSync(join(dir, 'src/index.ts')))
      .flatMap(({ dir, name }) => [
        { find: new RegExp(`^${name}$`), replacement: resolve(dir, 'src/index.ts') },
        { find: new RegExp(`^${name}/(\\w+)$`), replacement: resolve(dir, 'src/$1/index.ts') },
      ]),
  },
  test: {
    reporters: ['default', './scripts/summary-reporter.ts'],
    projects: packages.map(({ dir, name }) => ({
      extends: true,
      test: {
        name,
        root: dir,
        include: ['test/**/*.test.ts'],
        typecheck: {
          // Only where there are type tests (`*.test-d.ts`): vitest runs tsc per enabled project.
          enabled: readdirSync(join(dir, 'test')).some((file) => file.endsWith('.test-d.ts')),
          include: ['test/**/*.test-d.ts'],
          tsconfig: join(dir, 'tsconfig.json'),
        },
      },
    })),
  },
});
