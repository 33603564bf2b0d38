import { defineConfig } from 'tsup';

/**
 * The server's build: its bundle, and beside it the embedded database's worker thread script
 * (`pglite-worker.js` / `.cjs`), which `openPgliteClient` starts from the bundle's directory.
 * `shims` gives the CommonJS bundle the `import.meta.url` it finds that directory with.
 */
export default defineConfig({
  entry: { index: 'src/index.ts', 'pglite-worker': 'src/store/pglite-worker.ts' },
  format: ['esm', 'cjs'],
  dts: { entry: 'src/index.ts' },
  clean: true,
  sourcemap: true,
  target: 'node22',
  shims: true,
});
