import type { SqlClient } from '../store/sql-client.js';
import type {
  ClaimOutcome,
  IdempotencyClaim,
  IdempotencyRecord,
  IdempotencyStore,
  StoredResponse,
} from './idempotency-store.js';

interface IdempotencyRow {
  fingerprint: string;
  status: 'in_progress' | 'completed';
  response_status: number | null;
  response_headers: Record<string, string> | null;
  response_body: Uint8Array | null;
  created_at: Date | string;
  expires_at: Date | string;
}

/**
 * An {@link IdempotencyStore} in the `idempotency_keys` table (PostgreSQL or PGlite), shared by
 * every server on the database. A claim is one `INSERT ... ON CONFLICT` that takes the key when
 * it is free or expired, so of concurrent claims, on any number of servers, exactly one wins.
 */
export class SqlIdempotencyStore implements IdempotencyStore {
  readonly #client: SqlClient;

  /** Keeps keys through `client`, whose database has the store's migrations applied. */
  constructor(client: SqlClient) {
    this.#client = client;
  }

  async claim(claim: IdempotencyClaim): Promise<ClaimOutcome> {
    for (;;) {
      const taken = await this.#client.query(
        `INSERT INTO idempotency_keys
           (tenant_id, idempotency_key, fingerprint, status, created_at, expires_at)
         VALUES ($1, $2, $3, 'in_progress', $4, $5)
         ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET
           fingerprint = excluded.fingerprint, status = 'in_progress', response_status = NULL,
           response_headers = NULL, response_body = NULL, created_at = excluded.created_at,
           expires_at = excluded.expires_at
         WHERE idempotency_keys.expires_at <= excluded.created_at
           OR (idempotency_keys.status = 'in_progress' AND idempotency_keys.created_at < $6)
         RETURNING 1`,
        [
          claim.tenantId,
          claim.key,
          claim.fingerprint,
          claim.createdAt.toISOString(),
          claim.expiresAt.toISOString(),
          claim.staleBefore.toISOString(),
        ],
      );
      if (taken.rowCount === 1) return { claimed: true };
      const { rows } = await this.#client.query<IdempotencyRow>(
        `SELECT fingerprint, status, response_status, response_headers, response_body,
                created_at, expires_at
         FROM idempotency_keys WHERE tenant_id = $1 AND idempotency_key = $2`,
        [claim.tenantId, claim.key],
      );
      const row = rows[0];
      // No row: its holder released the key between the two statements; claim it again.
      if (row) return { claimed: false, record: recordOf(row) };
    }
  }

  async complete(claim: IdempotencyClaim, response: StoredResponse): Promise<void> {
    await this.#client.query(
      `UPDATE idempotency_keys SET status = 'completed', response_status = $4,
         response_headers = $5::jsonb, response_body = $6
       WHERE tenant_id = $1 AND idempotency_key = $2 AND created_at = $3
         AND status = 'in_progress'`,
      [
        claim.tenantId,
        claim.key,
        claim.createdAt.toISOString(),
        response.statusCode,
        JSON.stringify(response.headers),
        response.body,
      ],
    );
  }

  async release(claim: IdempotencyClaim): Promise<void> {
    await this.#client.query(
      `DELETE FROM idempotency_keys
       WHERE tenant_id = $1 AND idempotency_key = $2 AND created_at = $3
         AND status = 'in_progress'`,
      [claim.tenantId, claim.key, claim.createdAt.toISOString()],
    );
  }

  async purgeExpired(now: Date): Promise<number> {
    const { rowCount } = await this.#client.query(
      'DELETE FROM idempotency_keys WHERE expires_at <= $1',
      [now.toISOString()],
    );
    return rowCount;
  }
}

function recordOf(row: IdempotencyRow): IdempotencyRecord {
  return {
    fingerprint: row.fingerprint,
    createdAt: new Date(row.created_at),
    expiresAt: new Date(row.expires_at),
    response:
      row.status === 'completed'
        ? {
            // A completed row has all three (the table's check says so).
            statusCode: row.response_status as number,
            headers: row.response_headers as Record<string, string>,
            body: new Uint8Array(row.response_body as Uint8Array),
          }
        : undefined,
  };
}
