import { hashApiKeySecret } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { KEYS_USAGE } from '../src/commands/keys.js';
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

/** The line of `prism keys list` output that starts with `keyId`, split into its columns. */
function listedRow(listing: string, keyId: string): string[] | undefined {
  return listing
    .split('\n')
    .find((line) => line.startsWith(`${keyId} `))
    ?.split(/ {2,}/);
}

describe('prism keys', () => {
  it('creates a key, lists it without its secret, and revokes it', async () => {
    const created = await runCli('keys', 'create', '--name', 'ci deploy', '--role', 'analyst');
    expect(created.code).toBe(0);
    expect(created.stderr).toBe('');
    const [, keyId, prefix] =
      /^Created API key (key_\S+) in tenant default: role analyst, prefix (prism_sk_\w{4})\n/.exec(
        created.stdout,
      ) ?? [];
    expect(keyId).toBeDefined();
    expect(created.stdout).toMatch(
      /\nIts secret, shown only now and never again .+\n {2}prism_sk_/,
    );
    const secrets = created.stdout.match(/prism_sk_[A-Za-z0-9]{32}/g) ?? [];
    expect(secrets).toHaveLength(1);
    const secret = secrets[0] ?? '';
    expect(secret.startsWith(prefix ?? '-')).toBe(true);
    // The database keeps only the secret's hash: the printed secret is the key's.
    const { rows } = await database.sql.query<{ hash: string }>(
      "SELECT data->>'secretHash' AS hash FROM api_keys WHERE id = $1",
      [keyId],
    );
    expect(rows).toEqual([{ hash: hashApiKeySecret(secret) }]);

    const listed = await runCli('keys', 'list');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/^ID +NAME +PREFIX +ROLE +CREATED +LAST USED +REVOKED\n/);
    expect(listed.stdout).not.toContain(secret);
    expect(listed.stdout).not.toContain(hashApiKeySecret(secret));
    const row = listedRow(listed.stdout, keyId ?? '');
    expect(row).toEqual([keyId, 'ci deploy', prefix, 'analyst', expect.any(String), '-', '-']);

    const revoked = await runCli('keys', 'revoke', keyId ?? '');
    expect(revoked.code).toBe(0);
    const revokedAt = /revoked at (\S+)\n$/.exec(revoked.stdout)?.[1];
    expect(revoked.stdout).toBe(`API key ${keyId} of tenant default revoked at ${revokedAt}\n`);
    expect(Number.isNaN(Date.parse(revokedAt ?? ''))).toBe(false);

    const after = await runCli('keys', 'list');
    expect(listedRow(after.stdout, keyId ?? '')?.[6]).toBe(revokedAt);
  });

  it('keeps each tenant to its own keys', async () => {
    const created = await runCli('keys', 'create', '-n', 'acme admin', '-r', 'admin', '-t', 'acme');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/ in tenant acme: role admin, /);
    const keyId = /key_\S+/.exec(created.stdout)?.[0] ?? '';

    expect((await runCli('keys', 'list', '--tenant', 'empty')).stdout).toBe(
      'No API keys in tenant empty\n',
    );
    const acme = await runCli('keys', 'list', '--tenant', 'acme');
    expect(acme.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(listedRow(acme.stdout, keyId)?.[1]).toBe('acme admin');
    expect(listedRow((await runCli('keys', 'list')).stdout, keyId)).toBeUndefined();

    const wrongTenant = await runCli('keys', 'revoke', keyId);
    expect(wrongTenant.code).toBe(1);
    expect(wrongTenant.stderr).toMatch(/\[not_found\]/);
  });

  it('exits 1 with the not_found line for an unknown key', async () => {
    const { code, stdout, stderr } = await runCli('keys', 'revoke', 'key_missing');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^prism: keys revoke: There is no API key key_missing\. \[not_found\]\n {2}hint: /,
    );
  });

  it('exits 1 with the API line for a name the API refuses', async () => {
    const { code, stderr } = await runCli(
      'keys',
      'create',
      '--name',
      'x'.repeat(101),
      '-r',
      'lead',
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^prism: keys create: .+\[validation_failed\]/);
  });

  it.each([
    ['keys', '--help'],
    ['help', 'keys'],
    ['keys', 'create', '-h'],
  ])('prints its usage for %s %s %s', async (...argv) => {
    expect(await runCli(...argv)).toEqual({ code: 0, stdout: KEYS_USAGE, stderr: '' });
  });

  it.each([
    [['keys'], 'missing keys command (create, list or revoke)'],
    [['keys', 'rotate'], "unknown keys command 'rotate'"],
    [
      ['keys', 'create', '--name', 'ci', '--role', 'owner'],
      '--role must be one of viewer, analyst, lead, org_admin, admin',
    ],
    [['keys', 'create', '--role', 'viewer'], 'keys create needs --name'],
    [['keys', 'create', '--name', 'ci'], 'keys create needs --role'],
    [['keys', 'create', 'ci', '--name', 'ci', '--role', 'viewer'], "unexpected argument 'ci'"],
    [['keys', 'list', '--role', 'admin'], "--role is only for 'keys create'"],
    [['keys', 'list', '--tenant', ''], '--tenant must not be empty'],
    [['keys', 'revoke'], 'missing the id of the key to revoke'],
    [['keys', 'revoke', 'key_a', 'key_b'], "unexpected argument 'key_b'"],
    [['keys', 'list', '--secret'], "Unknown option '--secret'"],
  ])('exits 2 with one error line and the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.split('\n')[0]).toMatch(/^prism: /);
    expect(stderr.split('\n')[0]).toContain(message);
    expect(stderr.endsWith(`\n\n${KEYS_USAGE}`)).toBe(true);
  });
});
