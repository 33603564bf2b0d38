import type { CachedReview, ResultCache } from '@prism/sdk';
import type { SqlClient } from './sql-client.js';

/**
 * A {@link ResultCache} in the `review_cache` table: every review kept by its key, shared by
 * every tenant and every server on the database (the key is a hash of what was reviewed).
 */
export class SqlResultCache implements ResultCache {
  readonly #client: SqlClient;

  /** Keeps reviews through `client`, whose database has the store's migrations applied. */
  constructor(client: SqlClient) {
    this.#client = client;
  }

  async get(key: string): Promise<CachedReview | undefined> {
    const { rows } = await this.#client.query<{ review: CachedReview }>(
      'SELECT review FROM review_cache WHERE key = $1',
      [key],
    );
    return rows[0]?.review;
  }

  async set(key: string, review: CachedReview): Promise<void> {
    await this.#client.query(
      `INSERT INTO review_cache (key, review) VALUES ($1, $2::jsonb)
       ON CONFLICT (key) DO UPDATE SET review = excluded.review`,
      [key, JSON.stringify(review)],
    );
  }
}
