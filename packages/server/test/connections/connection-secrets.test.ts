import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionSecrets } from '../../src/connections/connection-secrets.js';
import type { ConnectionTokens } from '../../src/connections/types.js';
import { Vault } from '../../src/connections/vault.js';
import { connectionContext } from '../../src/connections/vault-context.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import type { SqlClient } from '../../src/store/sql-client.js';
import { MIGRATED_DATABASES, type MigratedDatabase } from '../store/migrated-databases.js';

/** Tokens whose every secret is unique, so they can be searched for in raw rows. */
function tokens(): ConnectionTokens {
  return {
    accessToken: `access-${randomUUID()}`,
    refreshToken: `refresh-${randomUUID()}`,
    expiresAt: '2030-01-01T00:00:00.000Z',
    extra: { instanceUrl: 'https://example.my.salesforce.com', msalCache: `cache-${randomUUID()}` },
  };
}

describe.each(MIGRATED_DATABASES)('ConnectionSecrets on %s', (_, open) => {
  let database: MigratedDatabase;
  let sql: SqlClient;
  const vault = new Vault(generateEncryptionKey('k1'));
  let secrets: ConnectionSecrets;
  beforeAll(async () => {
    database = await open();
    sql = database.client;
    secrets = new ConnectionSecrets(sql, vault);
  });
  afterAll(async () => {
    await database?.close();
  });

  it('reads back the tokens it created, at version 1', async () => {
    const created = tokens();
    await secrets.create('t1', 'con_round', created);
    expect(await secrets.read('t1', 'con_round')).toEqual({ tokens: created, version: 1 });
    expect(await secrets.read('t1', 'con_none')).toBeUndefined();
  });

  it('refuses to create tokens for a connection that has some', async () => {
    const first = tokens();
    await secrets.create('t1', 'con_twice', first);
    await expect(secrets.create('t1', 'con_twice', tokens())).rejects.toMatchObject({
      code: 'store_conflict',
    });
    expect((await secrets.read('t1', 'con_twice'))?.tokens).toEqual(first);
  });

  it('replaces tokens only at the version read: a stale writer is refused', async () => {
    await secrets.create('t1', 'con_cas', tokens());
    const seenByA = await secrets.read('t1', 'con_cas');
    const seenByB = await secrets.read('t1', 'con_cas');
    const fromA = tokens();
    const fromB = tokens();
    expect(await secrets.replace('t1', 'con_cas', fromA, seenByA?.version ?? 0)).toBe(true);
    expect(await secrets.replace('t1', 'con_cas', fromB, seenByB?.version ?? 0)).toBe(false);
    expect(await secrets.read('t1', 'con_cas')).toEqual({ tokens: fromA, version: 2 });

    const again = tokens();
    expect(await secrets.replace('t1', 'con_cas', again, 2)).toBe(true);
    expect(await secrets.read('t1', 'con_cas')).toEqual({ tokens: again, version: 3 });
    expect(await secrets.replace('t1', 'con_missing', again, 1)).toBe(false);
  });

  it("never reads, replaces or deletes another tenant's tokens", async () => {
    const mine = tokens();
    await secrets.create('t1', 'con_tenant', mine);
    expect(await secrets.read('t2', 'con_tenant')).toBeUndefined();
    expect(await secrets.replace('t2', 'con_tenant', tokens(), 1)).toBe(false);
    expect(await secrets.delete('t2', 'con_tenant')).toBe(false);
    expect(await secrets.read('t1', 'con_tenant')).toEqual({ tokens: mine, version: 1 });
  });

  it('deletes tokens', async () => {
    await secrets.create('t1', 'con_delete', tokens());
    expect(await secrets.delete('t1', 'con_delete')).toBe(true);
    expect(await secrets.read('t1', 'con_delete')).toBeUndefined();
    expect(await secrets.delete('t1', 'con_delete')).toBe(false);
  });

  it('keeps no token in the table in the clear', async () => {
    const stored = tokens();
    await secrets.create('t1', 'con_raw', stored);
    await secrets.replace('t1', 'con_raw', stored, 1);
    const { rows } = await sql.query<{ ciphertext: Uint8Array; whole: string }>(
      `SELECT ciphertext, row_to_json(s)::text AS whole FROM connection_secrets s
       WHERE connection_id = 'con_raw'`,
    );
    const [row] = rows;
    expect(row).toBeDefined();
    const bytes = Buffer.from(row?.ciphertext ?? []);
    for (const secret of [stored.accessToken, stored.refreshToken ?? '', stored.extra.msalCache]) {
      const plain = Buffer.from(secret ?? '', 'utf8');
      expect(bytes.includes(plain)).toBe(false);
      expect(row?.whole).not.toContain(secret);
      expect(row?.whole).not.toContain(plain.toString('hex'));
    }
    expect(row?.whole).toContain('"key_id":"k1"');
  });

  it('refuses tokens copied into another connection, and tokens changed in the table', async () => {
    await secrets.create('t1', 'con_source', tokens());
    await secrets.create('t1', 'con_target', tokens());
    await sql.query(
      `UPDATE connection_secrets SET ciphertext = (SELECT ciphertext FROM connection_secrets
       WHERE connection_id = 'con_source') WHERE connection_id = 'con_target'`,
    );
    await expect(secrets.read('t1', 'con_target')).rejects.toMatchObject({
      code: 'vault_decrypt_failed',
    });

    await sql.query(
      `UPDATE connection_secrets SET ciphertext = set_byte(ciphertext, 40, get_byte(ciphertext, 40) # 1)
       WHERE connection_id = 'con_source'`,
    );
    await expect(secrets.read('t1', 'con_source')).rejects.toMatchObject({
      code: 'vault_decrypt_failed',
    });
  });

  it('refuses authentic bytes that are not connection tokens', async () => {
    const secret = vault.encrypt('{"accessToken":42}', connectionContext('con_foreign'));
    await sql.query(
      `INSERT INTO connection_secrets (connection_id, tenant_id, key_id, ciphertext)
       VALUES ('con_foreign', 't1', $1, $2)`,
      [secret.keyId, secret.ciphertext],
    );
    const failure = secrets.read('t1', 'con_foreign');
    await expect(failure).rejects.toMatchObject({ code: 'vault_decrypt_failed' });
    await expect(failure).rejects.not.toThrow(/42/);
  });

  it('says which key is missing when the tokens are under a key no longer listed', async () => {
    await secrets.create('t1', 'con_old_key', tokens());
    const without = new ConnectionSecrets(sql, new Vault(generateEncryptionKey('k2')));
    await expect(without.read('t1', 'con_old_key')).rejects.toMatchObject({
      code: 'vault_key_missing',
      message: expect.stringContaining('key k1'),
    });
  });
});
