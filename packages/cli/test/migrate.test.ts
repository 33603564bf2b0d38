import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MIGRATIONS } from '@prism/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MIGRATE_USAGE } from '../src/commands/migrate.js';
import { runCli } from './run-cli.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  vi.stubEnv('DATABASE_URL', database.url);
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database?.drop();
});

const latest = Math.max(...MIGRATIONS.map((migration) => migration.version));

describe('prism migrate', () => {
  it('applies every migration to an empty database, then finds it up to date', async () => {
    const first = await runCli('migrate');
    expect(first).toEqual({
      code: 0,
      stdout: MIGRATIONS.map((m) => `Applied migration ${m.version}: ${m.name}\n`).join(''),
      stderr: '',
    });
    const { rows } = await database.sql.query<{ version: number }>(
      'SELECT version FROM schema_migrations ORDER BY version',
    );
    expect(rows.map((row) => row.version)).toEqual(MIGRATIONS.map((m) => m.version));

    expect(await runCli('migrate')).toEqual({
      code: 0,
      stdout: `Database is up to date (version ${latest})\n`,
      stderr: '',
    });
  });

  it('refuses a database a newer Prism migrated, with the error line and its hint', async () => {
    await database.sql.query(
      "INSERT INTO schema_migrations (version, name) VALUES ($1, 'future')",
      [latest + 1],
    );
    try {
      const { code, stdout, stderr } = await runCli('migrate');
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        new RegExp(
          `^prism: migrate: The database's schema is at version ${latest + 1}, .+ \\[store_schema_newer\\]\\n {2}hint: `,
        ),
      );
    } finally {
      await database.sql.query('DELETE FROM schema_migrations WHERE version = $1', [latest + 1]);
    }
  });

  it('refuses an embedded data directory another live process holds', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const dataDir = mkdtempSync(join(tmpdir(), 'prism-migrate-'));
    try {
      writeFileSync(join(dataDir, 'prism.pid'), String(process.ppid));
      const { code, stdout, stderr } = await runCli('migrate', '--data-dir', dataDir);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        new RegExp(
          `^prism: migrate: .+ in use by process ${process.ppid}\\. \\[data_dir_in_use\\]`,
        ),
      );
    } finally {
      vi.stubEnv('DATABASE_URL', database.url);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('stops on a config file it cannot read, naming it', async () => {
    const { code, stderr } = await runCli('migrate', '--config', '/nonexistent/prism.json');
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^prism: migrate: Cannot read the config file \/nonexistent\/prism\.json: .+ \[invalid_config\]/,
    );
  });

  it.each([
    ['migrate', '--help'],
    ['help', 'migrate'],
    ['migrate', '-h'],
  ])('prints its usage for %s %s', async (...argv) => {
    expect(await runCli(...argv)).toEqual({ code: 0, stdout: MIGRATE_USAGE, stderr: '' });
  });

  it.each([
    [['migrate', 'now'], "Unexpected argument 'now'"],
    [['migrate', '--force'], "Unknown option '--force'"],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^prism: /);
    expect(stderr).toContain(message);
    expect(stderr.endsWith(`\n\n${MIGRATE_USAGE}`)).toBe(true);
  });
});
