import type { SharePointWatch, WatchStore, WatchSubscription } from '@prism/connector-sharepoint';
import { PrismError } from '@prism/sdk';
import type { Vault } from '../connections/vault.js';
import type { SqlClient } from '../store/sql-client.js';
import { sharePointWatchContext } from './watch-secret-context.js';

/** A row of `sharepoint_watches`, as read. */
interface WatchRow {
  watch_id: string;
  tenant_id: string;
  connection_id: string;
  drive_id: string;
  folder_path: string | null;
  file_types: string[];
  results_folder: string | null;
  framework: string | null;
  model: string | null;
  subscription_id: string;
  client_state_key_id: string;
  client_state_ciphertext: Uint8Array;
  expiration: string;
  delta_link: string;
}

/** The columns of a watch, its expiry as ISO 8601 in UTC with milliseconds. */
const COLUMNS = `watch_id, tenant_id, connection_id, drive_id, folder_path, file_types,
  results_folder, framework, model, subscription_id, client_state_key_id,
  client_state_ciphertext,
  to_char(expiration AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expiration,
  delta_link`;

/**
 * The SharePoint watches of every tenant in the `sharepoint_watches` table: what the
 * auto-reviewer reads and updates ({@link WatchStore}), plus what starting, stopping and sweeping
 * watches needs. Each subscription's secret is encrypted by the {@link Vault}, bound to its
 * watch (a ciphertext copied to another row does not decrypt).
 */
export class SqlWatchStore implements WatchStore {
  readonly #client: SqlClient;
  readonly #vault: Vault;

  /** Keeps watches in `client`'s database, their secrets encrypted by `vault`. */
  constructor(client: SqlClient, vault: Vault) {
    this.#client = client;
    this.#vault = vault;
  }

  /**
   * Stores a new watch.
   *
   * @throws {PrismError} `store_conflict` when a watch with its id, or its subscription id,
   *   exists already.
   */
  async insert(watch: SharePointWatch): Promise<void> {
    const secret = this.#vault.encrypt(watch.clientState, sharePointWatchContext(watch.id));
    const { rowCount } = await this.#client.query(
      `INSERT INTO sharepoint_watches (watch_id, tenant_id, connection_id, drive_id, folder_path,
         file_types, results_folder, framework, model, subscription_id, client_state_key_id,
         client_state_ciphertext, expiration, delta_link)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7, $8, $9, $10, $11, $12, $13, $14)
       ON CONFLICT DO NOTHING`,
      [
        watch.id,
        watch.tenantId,
        watch.connectionId,
        watch.driveId,
        watch.folderPath ?? null,
        JSON.stringify(watch.fileTypes),
        watch.resultsFolder ?? null,
        watch.framework ?? null,
        watch.model ?? null,
        watch.subscriptionId,
        secret.keyId,
        secret.ciphertext,
        new Date(watch.expirationDateTime),
        watch.deltaLink,
      ],
    );
    if (rowCount === 0) {
      throw new PrismError(
        'store_conflict',
        `SharePoint watch ${watch.id} or its subscription ${watch.subscriptionId} is stored already.`,
        { hint: 'Use a new watch id and a new subscription.' },
      );
    }
  }

  /** The watch with this id, or `undefined`. */
  async get(watchId: string): Promise<SharePointWatch | undefined> {
    const { rows } = await this.#client.query<WatchRow>(
      `SELECT ${COLUMNS} FROM sharepoint_watches WHERE watch_id = $1`,
      [watchId],
    );
    return rows[0] === undefined ? undefined : this.#watchOf(rows[0]);
  }

  /** The watch whose current subscription has this id, or `undefined`. */
  async bySubscriptionId(subscriptionId: string): Promise<SharePointWatch | undefined> {
    const { rows } = await this.#client.query<WatchRow>(
      `SELECT ${COLUMNS} FROM sharepoint_watches WHERE subscription_id = $1`,
      [subscriptionId],
    );
    return rows[0] === undefined ? undefined : this.#watchOf(rows[0]);
  }

  /** The ids of the watches that act through the connection `connectionId` of `tenantId`. */
  async idsByConnection(tenantId: string, connectionId: string): Promise<string[]> {
    const { rows } = await this.#client.query<{ watch_id: string }>(
      `SELECT watch_id FROM sharepoint_watches WHERE tenant_id = $1 AND connection_id = $2
       ORDER BY watch_id`,
      [tenantId, connectionId],
    );
    return rows.map((row) => row.watch_id);
  }

  /** The watches whose subscription expires before `time`, soonest first. */
  async expiringBefore(time: Date): Promise<SharePointWatch[]> {
    const { rows } = await this.#client.query<WatchRow>(
      `SELECT ${COLUMNS} FROM sharepoint_watches WHERE expiration < $1
       ORDER BY expiration, watch_id`,
      [time],
    );
    return rows.map((row) => this.#watchOf(row));
  }

  /** Records where the watch's next run reads changes from. */
  async saveDeltaLink(watchId: string, deltaLink: string): Promise<void> {
    await this.#client.query(
      'UPDATE sharepoint_watches SET delta_link = $2, updated_at = now() WHERE watch_id = $1',
      [watchId, deltaLink],
    );
  }

  /** Records the watch's renewed or recreated subscription, its secret encrypted anew. */
  async saveSubscription(watchId: string, subscription: WatchSubscription): Promise<void> {
    const secret = this.#vault.encrypt(subscription.clientState, sharePointWatchContext(watchId));
    await this.#client.query(
      `UPDATE sharepoint_watches
       SET subscription_id = $2, client_state_key_id = $3, client_state_ciphertext = $4,
           expiration = $5, updated_at = now()
       WHERE watch_id = $1`,
      [
        watchId,
        subscription.subscriptionId,
        secret.keyId,
        secret.ciphertext,
        new Date(subscription.expirationDateTime),
      ],
    );
  }

  /**
   * Claims up to `limit` watches last swept before `before`, marking them swept at `now`: each
   * is claimed by one instance however many sweep at once (the others skip the rows it holds).
   * Returns their ids, the longest unswept first.
   */
  async claimSweep(before: Date, now: Date, limit: number): Promise<string[]> {
    const { rows } = await this.#client.query<{ watch_id: string }>(
      `UPDATE sharepoint_watches SET swept_at = $2
       WHERE watch_id IN (
         SELECT watch_id FROM sharepoint_watches WHERE swept_at < $1
         ORDER BY swept_at, watch_id LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING watch_id`,
      [before, now, limit],
    );
    return rows.map((row) => row.watch_id);
  }

  /**
   * Forgets a watch with the versions it has seen and its write-backs; `false` when there was
   * no such watch.
   */
  async delete(watchId: string): Promise<boolean> {
    return this.#client.transaction(async (sql) => {
      await sql.query('DELETE FROM sharepoint_seen_versions WHERE watch_id = $1', [watchId]);
      await sql.query('DELETE FROM sharepoint_write_backs WHERE watch_id = $1', [watchId]);
      const { rowCount } = await sql.query('DELETE FROM sharepoint_watches WHERE watch_id = $1', [
        watchId,
      ]);
      return rowCount === 1;
    });
  }

  #watchOf(row: WatchRow): SharePointWatch {
    const clientState = this.#vault.decryptText(
      { keyId: row.client_state_key_id, ciphertext: new Uint8Array(row.client_state_ciphertext) },
      sharePointWatchContext(row.watch_id),
    );
    const watch: SharePointWatch = {
      id: row.watch_id,
      tenantId: row.tenant_id,
      connectionId: row.connection_id,
      driveId: row.drive_id,
      fileTypes: row.file_types,
      subscriptionId: row.subscription_id,
      clientState,
      expirationDateTime: row.expiration,
      deltaLink: row.delta_link,
    };
    if (row.folder_path !== null) watch.folderPath = row.folder_path;
    if (row.results_folder !== null) watch.resultsFolder = row.results_folder;
    if (row.framework !== null) watch.framework = row.framework;
    if (row.model !== null) watch.model = row.model;
    return watch;
  }
}
