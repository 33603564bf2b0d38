import { sharePointWatchContext } from '../sharepoint/watch-secret-context.js';
import type { SqlExecutor } from '../store/sql-client.js';
import type { EncryptedSecret, Vault } from './vault.js';
import { connectionContext, oauthStateContext } from './vault-context.js';
import { VaultError } from './vault-error.js';

/** What {@link rotateVault} did. */
export interface VaultRotation {
  /** The key every record was re-encrypted under (the vault's current key). */
  keyId: string;
  /** Connection secrets re-encrypted. */
  connectionSecrets: number;
  /** OAuth state verifiers re-encrypted. */
  oauthStates: number;
  /** SharePoint watches' notification secrets (`clientState`) re-encrypted. */
  sharePointWatches: number;
  /** Records re-encrypted, by the key they were under before. */
  fromKeys: Record<string, number>;
  /**
   * Records still under other keys afterwards: written meanwhile by a server whose first key is
   * not the current one. Zero once every older key can be removed.
   */
  remaining: number;
}

/** How {@link rotateVault} works through the tables. */
export interface RotateVaultOptions {
  /** Rows read per query; 100 unless set. */
  batchSize?: number;
}

/** A row to re-encrypt: its id, the key it is under, and what the update must still find. */
interface StaleRow {
  id: string;
  key_id: string;
  ciphertext: Uint8Array;
  version?: number;
}

/** One table of encrypted records, as rotation reads and updates it. */
interface EncryptedTable {
  /** Reads up to `$3` rows with ids after `$2` not under key `$1`, as {@link StaleRow}s, by id. */
  select: string;
  /**
   * The statement (and its parameters) storing `secret` in `row` only if the row still holds
   * what was read.
   */
  update(row: StaleRow, secret: EncryptedSecret): [string, unknown[]];
  /** The context its records are encrypted with. */
  context(id: string): string;
  /** What a record is, in an error message (never naming an OAuth state). */
  describe(id: string): string;
}

const CONNECTION_SECRETS: EncryptedTable = {
  select: `SELECT connection_id AS id, key_id, ciphertext, version FROM connection_secrets
           WHERE key_id <> $1 AND connection_id > $2 ORDER BY connection_id LIMIT $3`,
  update: (row, secret) => [
    `UPDATE connection_secrets SET key_id = $2, ciphertext = $3
     WHERE connection_id = $1 AND key_id = $4 AND version = $5`,
    [row.id, secret.keyId, secret.ciphertext, row.key_id, row.version],
  ],
  context: connectionContext,
  describe: (id) => `the tokens of connection ${id}`,
};

const OAUTH_STATES: EncryptedTable = {
  select: `SELECT state AS id, verifier_key_id AS key_id, verifier_ciphertext AS ciphertext
           FROM oauth_states WHERE verifier_key_id <> $1 AND state > $2 ORDER BY state LIMIT $3`,
  update: (row, secret) => [
    `UPDATE oauth_states SET verifier_key_id = $2, verifier_ciphertext = $3
     WHERE state = $1 AND verifier_key_id = $4 AND verifier_ciphertext = $5`,
    [row.id, secret.keyId, secret.ciphertext, row.key_id, row.ciphertext],
  ],
  context: oauthStateContext,
  describe: () => 'the verifier of a pending OAuth state',
};

const SHAREPOINT_WATCHES: EncryptedTable = {
  select: `SELECT watch_id AS id, client_state_key_id AS key_id,
             client_state_ciphertext AS ciphertext
           FROM sharepoint_watches WHERE client_state_key_id <> $1 AND watch_id > $2
           ORDER BY watch_id LIMIT $3`,
  update: (row, secret) => [
    `UPDATE sharepoint_watches SET client_state_key_id = $2, client_state_ciphertext = $3
     WHERE watch_id = $1 AND client_state_key_id = $4 AND client_state_ciphertext = $5`,
    [row.id, secret.keyId, secret.ciphertext, row.key_id, row.ciphertext],
  ],
  context: sharePointWatchContext,
  describe: (id) => `the notification secret of SharePoint watch ${id}`,
};

/**
 * Re-encrypts under the vault's current key every connection secret, OAuth state verifier and
 * SharePoint watch notification secret
 * that is under another key, a batch at a time, so older keys can then be removed from
 * PRISM_ENCRYPTION_KEYS. Safe while servers run: each row is updated only if it is still what
 * was read (a row replaced meanwhile is left to its writer), and a re-encrypted secret keeps its
 * version, since its tokens are unchanged.
 *
 * @throws {VaultError} `vault_key_missing` when a record is under a key the vault does not hold
 *   (add it back and run again); `vault_decrypt_failed` for a record that does not decrypt.
 *   Records re-encrypted before stay so.
 */
export async function rotateVault(
  sql: SqlExecutor,
  vault: Vault,
  options: RotateVaultOptions = {},
): Promise<VaultRotation> {
  const batchSize = options.batchSize ?? 100;
  const fromKeys = new Map<string, number>();
  const rotate = (table: EncryptedTable) => rotateTable(sql, vault, table, batchSize, fromKeys);
  const connectionSecrets = await rotate(CONNECTION_SECRETS);
  const oauthStates = await rotate(OAUTH_STATES);
  const sharePointWatches = await rotate(SHAREPOINT_WATCHES);
  const { rows } = await sql.query<{ remaining: number }>(
    `SELECT ((SELECT count(*) FROM connection_secrets WHERE key_id <> $1)
           + (SELECT count(*) FROM oauth_states WHERE verifier_key_id <> $1)
           + (SELECT count(*) FROM sharepoint_watches WHERE client_state_key_id <> $1)
           )::integer AS remaining`,
    [vault.currentKeyId],
  );
  return {
    keyId: vault.currentKeyId,
    connectionSecrets,
    oauthStates,
    sharePointWatches,
    fromKeys: Object.fromEntries(fromKeys),
    remaining: rows[0]?.remaining ?? 0,
  };
}

/** Re-encrypts `table`'s rows not under the current key; how many it updated. */
async function rotateTable(
  sql: SqlExecutor,
  vault: Vault,
  table: EncryptedTable,
  batchSize: number,
  fromKeys: Map<string, number>,
): Promise<number> {
  let rotated = 0;
  let after = '';
  for (;;) {
    const { rows } = await sql.query<StaleRow>(table.select, [
      vault.currentKeyId,
      after,
      batchSize,
    ]);
    for (const row of rows) {
      const context = table.context(row.id);
      const secret = vault.encrypt(decryptForRotation(vault, table, row, context), context);
      const { rowCount } = await sql.query(...table.update(row, secret));
      if (rowCount === 1) {
        rotated += 1;
        fromKeys.set(row.key_id, (fromKeys.get(row.key_id) ?? 0) + 1);
      }
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batchSize) return rotated;
    after = last.id;
  }
}

function decryptForRotation(
  vault: Vault,
  table: EncryptedTable,
  row: StaleRow,
  context: string,
): Uint8Array {
  try {
    return vault.decrypt(
      { keyId: row.key_id, ciphertext: new Uint8Array(row.ciphertext) },
      context,
    );
  } catch (error) {
    if (!(error instanceof VaultError)) throw error;
    throw new VaultError(
      error.code,
      `Cannot re-encrypt ${table.describe(row.id)}: ${error.message}`,
      { ...(error.hint === undefined ? {} : { hint: error.hint }), cause: error },
    );
  }
}
