import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ConnectionSecrets } from '../../src/connections/connection-secrets.js';
import { rotateVault } from '../../src/connections/rotate-vault.js';
import type { ConnectionTokens } from '../../src/connections/types.js';
import { Vault } from '../../src/connections/vault.js';
import { oauthStateContext } from '../../src/connections/vault-context.js';
import { generateEncryptionKey } from '../../src/connections/vault-keys.js';
import { sharePointWatchContext } from '../../src/sharepoint/watch-secret-context.js';
import type { SqlClient, SqlExecutor } from '../../src/store/sql-client.js';
import { MIGRATED_DATABASES, type MigratedDatabase } from '../store/migrated-databases.js';

const keyA = generateEncryptionKey('a');
const keyB = generateEncryptionKey('b');
const onlyA = new Vault(keyA);
const rotating = new Vault(`${keyB},${keyA}`);
const onlyB = new Vault(keyB);

function tokens(): ConnectionTokens {
  return {
    accessToken: `access-${randomUUID()}`,
    refreshToken: `refresh-${randomUUID()}`,
    expiresAt: null,
    extra: {},
  };
}

/** `sql`, except that `before` runs once just ahead of the first statement matching `pattern`. */
function interrupting(sql: SqlExecutor, pattern: RegExp, before: () => Promise<void>): SqlExecutor {
  let interrupted = false;
  return {
    async query<Row>(text: string, params?: readonly unknown[]) {
      if (!interrupted && pattern.test(text)) {
        interrupted = true;
        await before();
      }
      return sql.query<Row>(text, params);
    },
    execute: (script) => sql.execute(script),
  };
}

describe.each(MIGRATED_DATABASES)('rotateVault on %s', (_, open) => {
  let database: MigratedDatabase;
  let sql: SqlClient;
  beforeAll(async () => {
    database = await open();
    sql = database.client;
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(async () => {
    await sql.execute(
      'DELETE FROM connection_secrets; DELETE FROM oauth_states; DELETE FROM sharepoint_watches;',
    );
  });

  /** Stores tokens for `count` connections (over two tenants) with `vault`; what it stored. */
  async function connect(vault: Vault, count: number): Promise<Map<string, ConnectionTokens>> {
    const stored = new Map<string, ConnectionTokens>();
    const secrets = new ConnectionSecrets(sql, vault);
    for (let index = 0; index < count; index += 1) {
      const id = `con_${randomUUID()}`;
      const written = tokens();
      await secrets.create(index % 2 === 0 ? 't1' : 't2', id, written);
      stored.set(id, written);
    }
    return stored;
  }

  /** Starts `count` OAuth flows with verifiers encrypted by `vault`; their states and verifiers. */
  async function startFlows(vault: Vault, count: number): Promise<Map<string, string>> {
    const flows = new Map<string, string>();
    for (let index = 0; index < count; index += 1) {
      const state = randomUUID();
      const verifier = `verifier-${randomUUID()}`;
      const secret = vault.encrypt(verifier, oauthStateContext(state));
      await sql.query(
        `INSERT INTO oauth_states (state, tenant_id, actor_id, provider, connection_id,
         verifier_key_id, verifier_ciphertext, expires_at)
         VALUES ($1, 't1', 'key_1', 'slack', $2, $3, $4, now() + interval '10 minutes')`,
        [state, `con_${index}`, secret.keyId, secret.ciphertext],
      );
      flows.set(state, verifier);
    }
    return flows;
  }

  async function tenantOf(connectionId: string): Promise<string> {
    const { rows } = await sql.query<{ tenant_id: string }>(
      'SELECT tenant_id FROM connection_secrets WHERE connection_id = $1',
      [connectionId],
    );
    return rows[0]?.tenant_id ?? '';
  }

  async function verifierOf(vault: Vault, state: string): Promise<string> {
    const { rows } = await sql.query<{ key_id: string; ciphertext: Uint8Array }>(
      `SELECT verifier_key_id AS key_id, verifier_ciphertext AS ciphertext FROM oauth_states
       WHERE state = $1`,
      [state],
    );
    const row = rows[0];
    if (row === undefined) throw new Error(`no state ${state}`);
    const secret = { keyId: row.key_id, ciphertext: new Uint8Array(row.ciphertext) };
    return vault.decryptText(secret, oauthStateContext(state));
  }

  it('moves every record from key A to B, in batches, so a vault of B alone reads them', async () => {
    const connections = await connect(onlyA, 5);
    const flows = await startFlows(onlyA, 3);

    const rotation = await rotateVault(sql, rotating, { batchSize: 2 });
    expect(rotation).toEqual({
      keyId: 'b',
      connectionSecrets: 5,
      oauthStates: 3,
      sharePointWatches: 0,
      fromKeys: { a: 8 },
      remaining: 0,
    });

    const secrets = new ConnectionSecrets(sql, onlyB);
    for (const [id, written] of connections) {
      // The tokens did not change, so neither did their version.
      expect(await secrets.read(await tenantOf(id), id)).toEqual({ tokens: written, version: 1 });
    }
    for (const [state, verifier] of flows) expect(await verifierOf(onlyB, state)).toBe(verifier);

    expect(await rotateVault(sql, rotating)).toEqual({
      keyId: 'b',
      connectionSecrets: 0,
      oauthStates: 0,
      sharePointWatches: 0,
      fromKeys: {},
      remaining: 0,
    });
  });

  it("moves SharePoint watches' notification secrets too", async () => {
    const secret = onlyA.encrypt('client-state-secret', sharePointWatchContext('wat_1'));
    await sql.query(
      `INSERT INTO sharepoint_watches (watch_id, tenant_id, connection_id, drive_id,
         subscription_id, client_state_key_id, client_state_ciphertext, expiration, delta_link)
       VALUES ('wat_1', 't1', 'con_1', 'b!drive', 'sub_1', $1, $2, now(), 'https://graph.microsoft.com/v1.0/drives/b!drive/root/delta?token=x')`,
      [secret.keyId, secret.ciphertext],
    );
    expect(await rotateVault(sql, rotating)).toMatchObject({
      sharePointWatches: 1,
      fromKeys: { a: 1 },
      remaining: 0,
    });
    const { rows } = await sql.query<{ key_id: string; ciphertext: Uint8Array }>(
      `SELECT client_state_key_id AS key_id, client_state_ciphertext AS ciphertext
       FROM sharepoint_watches WHERE watch_id = 'wat_1'`,
    );
    const [row] = rows;
    expect(row?.key_id).toBe('b');
    expect(
      onlyB.decryptText(
        { keyId: 'b', ciphertext: new Uint8Array(row?.ciphertext ?? []) },
        sharePointWatchContext('wat_1'),
      ),
    ).toBe('client-state-secret');
  });

  it('leaves records already under the current key as they are', async () => {
    const [[id] = []] = await connect(onlyB, 1);
    await connect(onlyA, 2);
    const before = await sql.query('SELECT * FROM connection_secrets WHERE connection_id = $1', [
      id,
    ]);
    const rotation = await rotateVault(sql, rotating);
    expect(rotation).toMatchObject({ connectionSecrets: 2, fromKeys: { a: 2 }, remaining: 0 });
    const after = await sql.query('SELECT * FROM connection_secrets WHERE connection_id = $1', [
      id,
    ]);
    expect(after.rows).toEqual(before.rows);
  });

  it('keeps tokens a server replaced meanwhile, and counts them if still under an older key', async () => {
    const connections = await connect(onlyA, 3);
    const [first] = [...connections.keys()].sort();
    const fresh = tokens();
    const tenant = await tenantOf(first ?? '');
    // Just before rotation stores its first re-encrypted row, a server not yet given key B
    // refreshes that connection's tokens.
    const racing = interrupting(sql, /^\s*UPDATE connection_secrets/, async () => {
      const server = new ConnectionSecrets(sql, onlyA);
      expect(await server.replace(tenant, first ?? '', fresh, 1)).toBe(true);
    });

    const rotation = await rotateVault(racing, rotating);
    expect(rotation).toEqual({
      keyId: 'b',
      connectionSecrets: 2,
      oauthStates: 0,
      sharePointWatches: 0,
      fromKeys: { a: 2 },
      remaining: 1,
    });
    const secrets = new ConnectionSecrets(sql, rotating);
    expect(await secrets.read(tenant, first ?? '')).toEqual({ tokens: fresh, version: 2 });

    // Run again once every server has the new keys: nothing is left under key A.
    expect(await rotateVault(sql, rotating)).toMatchObject({ connectionSecrets: 1, remaining: 0 });
    expect(await new ConnectionSecrets(sql, onlyB).read(tenant, first ?? '')).toEqual({
      tokens: fresh,
      version: 2,
    });
  });

  it('lets a server replace tokens at the version it read before the rotation', async () => {
    const [[id, written] = []] = await connect(onlyA, 1);
    const tenant = await tenantOf(id ?? '');
    const server = new ConnectionSecrets(sql, rotating);
    const seen = await server.read(tenant, id ?? '');
    expect(seen?.tokens).toEqual(written);
    await rotateVault(sql, rotating);
    const fresh = tokens();
    expect(await server.replace(tenant, id ?? '', fresh, seen?.version ?? 0)).toBe(true);
    expect(await new ConnectionSecrets(sql, onlyB).read(tenant, id ?? '')).toEqual({
      tokens: fresh,
      version: 2,
    });
  });

  it('skips an OAuth state used up meanwhile', async () => {
    const flows = await startFlows(onlyA, 2);
    const [used, pending] = [...flows.keys()].sort();
    const racing = interrupting(sql, /^\s*UPDATE oauth_states/, async () => {
      await sql.query('DELETE FROM oauth_states WHERE state = $1', [used]);
    });
    expect(await rotateVault(racing, rotating)).toMatchObject({ oauthStates: 1, remaining: 0 });
    expect(await verifierOf(onlyB, pending ?? '')).toBe(flows.get(pending ?? ''));
  });

  it('stops on a record under a key it does not hold, naming the key and the connection', async () => {
    const [[id] = []] = await connect(onlyA, 1);
    const failure = rotateVault(sql, onlyB);
    await expect(failure).rejects.toMatchObject({
      code: 'vault_key_missing',
      message: expect.stringMatching(
        new RegExp(`^Cannot re-encrypt the tokens of connection ${id}: .*key a,`),
      ),
      hint: expect.stringContaining('Add key a back to PRISM_ENCRYPTION_KEYS'),
    });
  });

  it('stops on a verifier that does not decrypt, without naming its state', async () => {
    const [[state] = []] = await startFlows(onlyA, 1);
    await sql.query(
      `UPDATE oauth_states SET verifier_ciphertext = set_byte(verifier_ciphertext, 30, get_byte(verifier_ciphertext, 30) # 1)
       WHERE state = $1`,
      [state],
    );
    const failure = rotateVault(sql, rotating);
    await expect(failure).rejects.toMatchObject({
      code: 'vault_decrypt_failed',
      message: expect.stringMatching(/^Cannot re-encrypt the verifier of a pending OAuth state: /),
    });
    await expect(failure).rejects.not.toThrow(state);
  });
});
