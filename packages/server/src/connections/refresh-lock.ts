import type { Redis } from 'ioredis';
import type { SqlClient } from '../store/sql-client.js';
import { PostgresRefreshLock } from './refresh-lock-postgres.js';
import { RedisRefreshLock, type RedisRefreshLockOptions } from './refresh-lock-redis.js';

/**
 * A lock shared by every Prism instance, so that only one of them refreshes a connection's
 * tokens at a time: the others wait, then find the tokens it stored.
 */
export interface RefreshLock {
  /**
   * Runs `work` holding the lock named `key` (waiting while another holder has it) and releases
   * it when `work` settles; resolves or rejects as `work` did.
   */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** Where {@link chooseRefreshLock} can keep the lock. */
export interface RefreshLockChoice {
  /** The store's database connection. */
  client: SqlClient;
  /** Whether this process is the only one using the database (the embedded one). */
  singleWriter: boolean;
  /** A Redis client: when given, the lock is kept in Redis. */
  redis?: Redis;
  /** Settings of the Redis lock (key prefix, expiry, waiting). */
  redisLock?: RedisRefreshLockOptions;
}

/**
 * The refresh lock for a deployment: in Redis when a client is given, else a PostgreSQL
 * advisory lock in the store's database (held for the whole refresh unless the process is the
 * database's only user).
 */
export function chooseRefreshLock(choice: RefreshLockChoice): RefreshLock {
  if (choice.redis !== undefined) return new RedisRefreshLock(choice.redis, choice.redisLock);
  return new PostgresRefreshLock(choice.client, { holdDuringWork: !choice.singleWriter });
}
