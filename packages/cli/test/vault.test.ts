import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionSecrets, generateEncryptionKey, Vault } from '@prism/server';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { VAULT_USAGE } from '../src/commands/vault.js';
import { runCli } from './run-cli.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

const keyA = generateEncryptionKey('a');
const keyB = generateEncryptionKey('b');
const material = (line: string) => line.slice(line.indexOf(':') + 1);

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
  vi.stubEnv('DATABASE_URL', database.url);
  expect((await runCli('migrate')).code).toBe(0);
});
beforeEach(async () => {
  vi.stubEnv('PRISM_ENCRYPTION_KEYS', `${keyB},${keyA}`);
  await database.sql.execute('DELETE FROM connection_secrets');
});
afterAll(async () => {
  vi.unstubAllEnvs();
  await database?.drop();
});

/** Stores tokens for `count` connections under `keys`; their ids and access tokens. */
async function connect(keys: string, count: number): Promise<Map<string, string>> {
  const secrets = new ConnectionSecrets(database.sql, new Vault(keys));
  const stored = new Map<string, string>();
  for (let index = 0; index < count; index += 1) {
    const id = `con_${randomUUID()}`;
    const accessToken = `access-${randomUUID()}`;
    await secrets.create('default', id, {
      accessToken,
      refreshToken: null,
      expiresAt: null,
      extra: {},
    });
    stored.set(id, accessToken);
  }
  return stored;
}

describe('prism vault rotate', () => {
  it('re-encrypts secrets under the first key, saying how many moved from which key', async () => {
    const underA = await connect(keyA, 3);
    const { code, stdout, stderr } = await runCli('vault', 'rotate');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      'Re-encrypted 3 connection secrets, 0 OAuth states, 0 SharePoint watches under key b (from a: 3)\n',
    );
    const onlyB = new ConnectionSecrets(database.sql, new Vault(keyB));
    for (const [id, accessToken] of underA) {
      expect((await onlyB.read('default', id))?.tokens.accessToken).toBe(accessToken);
    }
    expect(await runCli('vault', 'rotate')).toEqual({
      code: 0,
      stdout: 'Nothing to re-encrypt: every secret is under key b\n',
      stderr: '',
    });
  });

  it('counts each older key', async () => {
    const keyC = generateEncryptionKey('c');
    await connect(keyA, 1);
    await connect(keyC, 2);
    vi.stubEnv('PRISM_ENCRYPTION_KEYS', `${keyB},${keyA},${keyC}`);
    expect(await runCli('vault', 'rotate')).toEqual({
      code: 0,
      stdout:
        'Re-encrypted 3 connection secrets, 0 OAuth states, 0 SharePoint watches under key b (from a: 1, c: 2)\n',
      stderr: '',
    });
  });

  it('stops with one line and a hint when a secret is under a key no longer listed', async () => {
    const [[id] = []] = await connect(keyA, 1);
    vi.stubEnv('PRISM_ENCRYPTION_KEYS', keyB);
    const { code, stdout, stderr } = await runCli('vault', 'rotate');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      new RegExp(
        `^prism: vault rotate: Cannot re-encrypt the tokens of connection ${id}: .+ \\[vault_key_missing\\]\\n {2}hint: Add key a back to PRISM_ENCRYPTION_KEYS .+\\n$`,
      ),
    );
  });

  it('says PRISM_ENCRYPTION_KEYS is missing, in one line and a hint', async () => {
    vi.stubEnv('PRISM_ENCRYPTION_KEYS', '');
    expect(await runCli('vault', 'rotate')).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'prism: vault rotate: PRISM_ENCRYPTION_KEYS is not set: connection tokens cannot be encrypted or decrypted. [vault_not_configured]\n' +
        '  hint: Make a key with `prism vault key` and set PRISM_ENCRYPTION_KEYS to it.\n',
    });
  });

  it.each([
    ['a key of 16 bytes', () => `a:${Buffer.alloc(16, 7).toString('base64')}`],
    ['a duplicate key id', () => `${keyB},b:${material(keyA)}`],
  ])('refuses %s in PRISM_ENCRYPTION_KEYS without showing key bytes', async (_, keys) => {
    vi.stubEnv('PRISM_ENCRYPTION_KEYS', keys());
    const { code, stdout, stderr } = await runCli('vault', 'rotate');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(
      /^prism: vault rotate: Invalid setting PRISM_ENCRYPTION_KEYS: .+ \[invalid_config\]\n {2}hint: .+\n$/,
    );
    for (const bytes of [material(keyA), material(keyB), Buffer.alloc(16, 7).toString('base64')]) {
      expect(stderr).not.toContain(bytes);
    }
  });

  it('refuses an embedded data directory a running server holds', async () => {
    vi.stubEnv('DATABASE_URL', '');
    const dataDir = mkdtempSync(join(tmpdir(), 'prism-vault-'));
    try {
      writeFileSync(join(dataDir, 'prism.pid'), String(process.ppid));
      const { code, stdout, stderr } = await runCli('vault', 'rotate', '--data-dir', dataDir);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        new RegExp(
          `^prism: vault rotate: .+ in use by process ${process.ppid}\\. \\[data_dir_in_use\\]`,
        ),
      );
    } finally {
      vi.stubEnv('DATABASE_URL', database.url);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe('prism vault key', () => {
  it('prints a new key line PRISM_ENCRYPTION_KEYS takes, and what to do with it', async () => {
    const first = await runCli('vault', 'key');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^key-\d{8}-[0-9a-f]{4}:[A-Za-z0-9+/]{43}=\n$/);
    expect(first.stderr).toBe(
      "Put it first in PRISM_ENCRYPTION_KEYS, keep the current keys after it, then run 'prism vault rotate'.\n",
    );
    const line = first.stdout.trim();
    expect(Buffer.from(material(line), 'base64')).toHaveLength(32);
    expect(new Vault(`${line},${keyA}`).currentKeyId).toBe(line.slice(0, line.indexOf(':')));
    const second = await runCli('vault', 'key');
    expect(material(second.stdout.trim())).not.toBe(material(line));
  });

  it('takes the id to give the key', async () => {
    const { code, stdout } = await runCli('vault', 'key', '--id', '2025-q3');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^2025-q3:[A-Za-z0-9+/]{43}=\n$/);
  });

  it('refuses an id PRISM_ENCRYPTION_KEYS could not hold', async () => {
    const { code, stdout, stderr } = await runCli('vault', 'key', '--id', 'no,commas');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^prism: vault key: A key id must be .+ \[invalid_argument\]\n/);
  });
});

describe('prism vault usage', () => {
  it.each([
    ['vault', '--help'],
    ['help', 'vault'],
    ['vault', 'rotate', '-h'],
  ])('prints its usage for %s %s', async (...argv) => {
    expect(await runCli(...argv)).toEqual({ code: 0, stdout: VAULT_USAGE, stderr: '' });
  });

  it.each([
    [['vault'], 'missing vault command (key or rotate)'],
    [['vault', 'open'], "unknown vault command 'open'"],
    [['vault', 'rotate', 'now'], "unexpected argument 'now'"],
    [['vault', 'rotate', '--id', 'x'], "--id is only for 'vault key'"],
    [['vault', 'key', '--data-dir', '/tmp'], "--data-dir and --config are only for 'vault rotate'"],
    [['vault', 'rotate', '--force'], "Unknown option '--force'"],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const { code, stdout, stderr } = await runCli(...argv);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^prism: /);
    expect(stderr).toContain(message);
    expect(stderr.endsWith(`\n\n${VAULT_USAGE}`)).toBe(true);
  });
});
