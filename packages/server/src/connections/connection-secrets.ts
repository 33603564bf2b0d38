import { PrismError } from '@prism/sdk';
import { z } from 'zod';
import type { SqlExecutor } from '../store/sql-client.js';
import type { ConnectionTokens } from './types.js';
import type { EncryptedSecret, Vault } from './vault.js';
import { connectionContext } from './vault-context.js';
import { VaultError } from './vault-error.js';

/** A connection's tokens as stored, with the version a {@link ConnectionSecrets.replace} expects. */
export interface StoredConnectionTokens {
  /** The decrypted tokens. */
  tokens: ConnectionTokens;
  /** The row's version: 1 when created, one more on every replace. */
  version: number;
}

/** The shape decrypted tokens must have. */
const ConnectionTokensSchema = z.strictObject({
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  expiresAt: z.string().nullable(),
  extra: z.record(z.string(), z.string()),
}) satisfies z.ZodType<ConnectionTokens>;

/** A row of `connection_secrets`. */
interface SecretRow {
  key_id: string;
  ciphertext: Uint8Array;
  version: number;
}

/**
 * The tokens of each connection in the `connection_secrets` table, encrypted by a {@link Vault}
 * and bound to their connection (a ciphertext copied to another row does not decrypt). Every
 * statement is scoped by tenant. Writers race safely through versions: {@link replace} only
 * succeeds on the version it read.
 */
export class ConnectionSecrets {
  readonly #sql: SqlExecutor;
  readonly #vault: Vault;

  /** Keeps tokens through `sql` (the whole database, or one transaction), encrypted by `vault`. */
  constructor(sql: SqlExecutor, vault: Vault) {
    this.#sql = sql;
    this.#vault = vault;
  }

  /**
   * The tokens of `connectionId` in `tenantId` and their version, or `undefined` when there
   * are none.
   *
   * @throws {VaultError} `vault_key_missing` when they are under a key PRISM_ENCRYPTION_KEYS
   *   no longer lists; `vault_decrypt_failed` when the stored ciphertext was changed or moved.
   */
  async read(tenantId: string, connectionId: string): Promise<StoredConnectionTokens | undefined> {
    const { rows } = await this.#sql.query<SecretRow>(
      `SELECT key_id, ciphertext, version FROM connection_secrets
       WHERE tenant_id = $1 AND connection_id = $2`,
      [tenantId, connectionId],
    );
    const row = rows[0];
    if (row === undefined) return undefined;
    const json = this.#vault.decryptText(
      { keyId: row.key_id, ciphertext: new Uint8Array(row.ciphertext) },
      connectionContext(connectionId),
    );
    return { tokens: parseTokens(json, row.key_id), version: row.version };
  }

  /**
   * Stores the first tokens of `connectionId`, at version 1.
   *
   * @throws {PrismError} `store_conflict` when the connection has tokens already.
   */
  async create(tenantId: string, connectionId: string, tokens: ConnectionTokens): Promise<void> {
    const secret = this.#encrypt(connectionId, tokens);
    const { rowCount } = await this.#sql.query(
      `INSERT INTO connection_secrets (connection_id, tenant_id, key_id, ciphertext)
       VALUES ($1, $2, $3, $4) ON CONFLICT (connection_id) DO NOTHING`,
      [connectionId, tenantId, secret.keyId, secret.ciphertext],
    );
    if (rowCount === 0) {
      throw new PrismError('store_conflict', `Connection ${connectionId} has tokens already.`, {
        hint: 'Replace them at the version read instead.',
      });
    }
  }

  /**
   * Replaces the tokens of `connectionId` if their version is still `expectedVersion` (then
   * bumps it); `false`, changing nothing, when another writer replaced them meanwhile (read
   * again) or there are none.
   */
  async replace(
    tenantId: string,
    connectionId: string,
    tokens: ConnectionTokens,
    expectedVersion: number,
  ): Promise<boolean> {
    const secret = this.#encrypt(connectionId, tokens);
    const { rowCount } = await this.#sql.query(
      `UPDATE connection_secrets
       SET key_id = $3, ciphertext = $4, version = version + 1, updated_at = now()
       WHERE tenant_id = $1 AND connection_id = $2 AND version = $5`,
      [tenantId, connectionId, secret.keyId, secret.ciphertext, expectedVersion],
    );
    return rowCount === 1;
  }

  /**
   * Stores tokens of `connectionId` over any it has (bumping their version, so a refresh that
   * read the old ones does not write over these): a connection connected again.
   */
  async overwrite(tenantId: string, connectionId: string, tokens: ConnectionTokens): Promise<void> {
    const secret = this.#encrypt(connectionId, tokens);
    await this.#sql.query(
      `INSERT INTO connection_secrets (connection_id, tenant_id, key_id, ciphertext)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (connection_id) DO UPDATE
       SET key_id = EXCLUDED.key_id, ciphertext = EXCLUDED.ciphertext,
           version = connection_secrets.version + 1, updated_at = now()
       WHERE connection_secrets.tenant_id = EXCLUDED.tenant_id`,
      [connectionId, tenantId, secret.keyId, secret.ciphertext],
    );
  }

  /** Deletes the tokens of `connectionId`; `false` when there were none. */
  async delete(tenantId: string, connectionId: string): Promise<boolean> {
    const { rowCount } = await this.#sql.query(
      'DELETE FROM connection_secrets WHERE tenant_id = $1 AND connection_id = $2',
      [tenantId, connectionId],
    );
    return rowCount === 1;
  }

  #encrypt(connectionId: string, tokens: ConnectionTokens): EncryptedSecret {
    const { accessToken, refreshToken, expiresAt, extra } = tokens;
    const json = JSON.stringify({ accessToken, refreshToken, expiresAt, extra });
    return this.#vault.encrypt(json, connectionContext(connectionId));
  }
}

/** The tokens in decrypted `json`; it authenticated, so a wrong shape means a foreign writer. */
function parseTokens(json: string, keyId: string): ConnectionTokens {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    value = undefined;
  }
  const parsed = ConnectionTokensSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new VaultError(
    'vault_decrypt_failed',
    `A connection secret under key ${keyId} decrypts to something other than connection tokens.`,
    { hint: 'Connect the account again to store fresh tokens.' },
  );
}
