import { PrismService } from '@prism/sdk';
import { openStore } from '@prism/server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AUDIT_USAGE } from '../src/commands/audit.js';
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

/** Creates a key in `tenant` through the CLI and returns its id. */
async function createKey(tenant: string, name: string): Promise<string> {
  const { code, stdout } = await runCli('keys', 'create', '-n', name, '-r', 'viewer', '-t', tenant);
  expect(code).toBe(0);
  return /key_\S+/.exec(stdout)?.[0] ?? '';
}

describe('prism audit verify', () => {
  it('finds the chain intact after key operations, each recorded as done by prism keys', async () => {
    const keyId = await createKey('default', 'one');
    await createKey('default', 'two');
    expect((await runCli('keys', 'revoke', keyId)).code).toBe(0);

    expect(await runCli('audit', 'verify')).toEqual({
      code: 0,
      stdout: 'Audit log of tenant default: 3 events, chain intact\n',
      stderr: '',
    });
    const { rows } = await database.sql.query<{ action: string; actor: unknown }>(
      "SELECT data->>'action' AS action, data->'actor' AS actor FROM audit_events WHERE tenant_id = 'default' ORDER BY sequence",
    );
    expect(rows.map((row) => row.action)).toEqual([
      'api_key.created',
      'api_key.created',
      'api_key.revoked',
    ]);
    for (const row of rows)
      expect(row.actor).toEqual({ type: 'system', id: 'cli', name: 'prism keys' });
  });

  it('reads a log of more than one page, and a tenant without events', async () => {
    const store = await openStore({ databaseUrl: database.url, poolSize: 2 });
    const service = new PrismService({ store });
    const api = service.forActor('busy', { type: 'system', id: 'test', name: null });
    for (let n = 0; n < 101; n += 1) await api.apiKeys.create({ name: `k${n}`, role: 'viewer' });
    await service.close();
    await store.close();

    expect((await runCli('audit', 'verify', '--tenant', 'busy')).stdout).toBe(
      'Audit log of tenant busy: 101 events, chain intact\n',
    );
    const listed = await runCli('keys', 'list', '-t', 'busy');
    expect(listed.stdout.trimEnd().split('\n')).toHaveLength(102);
    expect(await runCli('audit', 'verify', '-t', 'quiet')).toEqual({
      code: 0,
      stdout: 'Audit log of tenant quiet: 0 events, chain intact\n',
      stderr: '',
    });
  });

  it('finds the chain broken at an event changed in the database', async () => {
    await database.sql.query(
      `UPDATE audit_events SET data = jsonb_set(data, '{details,role}', '"admin"')
       WHERE tenant_id = 'default' AND sequence = 2`,
    );
    expect(await runCli('audit', 'verify')).toEqual({
      code: 1,
      stdout:
        'Audit log of tenant default: 3 events, chain broken at event #2: hash does not match the event (it was changed)\n',
      stderr: '',
    });
  });

  it('finds the chain broken where an event was deleted', async () => {
    await createKey('acme', 'first');
    await createKey('acme', 'second');
    await database.sql.query("DELETE FROM audit_events WHERE tenant_id = 'acme' AND sequence = 1");
    const { code, stdout } = await runCli('audit', 'verify', '--tenant', 'acme');
    expect(code).toBe(1);
    expect(stdout).toBe(
      'Audit log of tenant acme: 1 event, chain broken at event #2: expected sequence 1\n',
    );
  });

  it.each([
    ['audit', '--help'],
    ['help', 'audit'],
    ['audit', 'verify', '-h'],
  ])('prints its usage for %s %s %s', async (...argv) => {
    expect(await runCli(...argv)).toEqual({ code: 0, stdout: AUDIT_USAGE, stderr: '' });
  });

  it.each([
    [['audit'], 'missing audit command (verify)'],
    [['audit', 'repair'], "unknown audit command 'repair'"],
    [['audit', 'verify', 'now'], "unexpected argument 'now'"],
    [['audit', 'verify', '--tenant', ''], '--tenant must not be empty'],
    [['audit', 'verify', '--fix'], "Unknown option '--fix'"],
  ])('exits 2 with one error line and the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(/^prism: /);
    expect(stderr.split('\n')[0]).toContain(message);
    expect(stderr.endsWith(`\n\n${AUDIT_USAGE}`)).toBe(true);
  });
});
