export { BOOTSTRAP_TENANT, ensureBootstrapKey } from './bootstrap.js';
export { ConfigSchema, loadConfig, type ServerConfig } from './config.js';
export {
  ConnectionSecrets,
  type StoredConnectionTokens,
} from './connections/connection-secrets.js';
export {
  type RotateVaultOptions,
  rotateVault,
  type VaultRotation,
} from './connections/rotate-vault.js';
export { type EncryptedSecret, Vault } from './connections/vault.js';
export { VaultError, type VaultErrorCode } from './connections/vault-error.js';
export { generateEncryptionKey } from './connections/vault-keys.js';
export * from './idempotency/index.js';
export * from './jobs/index.js';
export { type OpsOptions, opsPlugin } from './ops/index.js';
export { type RateLimitPluginOptions, rateLimitPlugin } from './rate-limit/plugin.js';
export { buildServer, type ServerOptions } from './server.js';
export { type RunningServer, startServer } from './start.js';
export { migrate } from './store/migrate.js';
export { MIGRATIONS, type Migration } from './store/migrations.js';
export { type OpenStoreOptions, openStore } from './store/open-store.js';
export { openPgliteClient } from './store/pglite-client.js';
export { openPostgresClient, type PostgresClientOptions } from './store/postgres-client.js';
export type { SqlClient, SqlExecutor, SqlResult } from './store/sql-client.js';
export { SqlStore } from './store/sql-store.js';
