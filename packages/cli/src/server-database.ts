import { type PrismApi, PrismService, type Store } from '@prism/sdk';
import { BOOTSTRAP_TENANT, loadConfig, openStore, type ServerConfig } from '@prism/server';

/** The options by which a command finds the server's database, as `prism serve` takes them. */
export const DATABASE_OPTIONS = {
  'data-dir': { type: 'string', short: 'd' },
  config: { type: 'string' },
} as const;

/** The help lines of {@link DATABASE_OPTIONS}. */
export const DATABASE_OPTIONS_HELP = `  -d, --data-dir <dir>  Embedded database directory (PRISM_DATA_DIR, default ./.prism)
      --config <file>   A JSON file of settings by their environment names`;

/** The `--tenant` option of the commands that work on one tenant's records. */
export const TENANT_OPTION = {
  tenant: { type: 'string', short: 't', default: BOOTSTRAP_TENANT },
} as const;

/** The help line of {@link TENANT_OPTION}. */
export const TENANT_OPTION_HELP = `  -t, --tenant <id>     The tenant (default '${BOOTSTRAP_TENANT}')`;

/** The values of {@link DATABASE_OPTIONS} a command was given. */
export interface DatabaseOptionValues {
  /** `--data-dir`: overrides PRISM_DATA_DIR. */
  'data-dir'?: string | undefined;
  /** `--config`: the config file; else PRISM_CONFIG_FILE. */
  config?: string | undefined;
}

/**
 * The server's settings as `prism serve` reads them: the environment, a config file
 * (`--config`, else PRISM_CONFIG_FILE), and `--data-dir` over PRISM_DATA_DIR; `overrides` (other
 * options, by setting name) win over the environment.
 *
 * @throws {PrismError} `invalid_config` naming the first wrong setting.
 */
export function loadServerConfig(
  values: DatabaseOptionValues,
  overrides: Record<string, string | undefined> = {},
): ServerConfig {
  const env = {
    ...process.env,
    ...(values['data-dir'] === undefined ? {} : { PRISM_DATA_DIR: values['data-dir'] }),
    ...Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined)),
  };
  return loadConfig(env, values.config ?? process.env.PRISM_CONFIG_FILE);
}

/**
 * Runs `work` on the server's store (PostgreSQL with DATABASE_URL, else the embedded database
 * in the data directory, migrated on open) and closes the store afterwards.
 *
 * @throws {PrismError} `data_dir_in_use` while a server holds the data directory;
 *   `store_schema_newer` when a newer Prism migrated the database.
 */
export async function withServerStore<T>(
  config: ServerConfig,
  work: (store: Store) => Promise<T>,
): Promise<T> {
  const store = await openStore({
    ...(config.DATABASE_URL === undefined
      ? { dataDir: config.PRISM_DATA_DIR }
      : { databaseUrl: config.DATABASE_URL }),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

/**
 * Runs `work` with the API of `tenantId` on the server's store, acting as the command line (a
 * system actor named after `command`, e.g. `prism keys`, in the audit log).
 */
export function withTenantApi<T>(
  config: ServerConfig,
  tenantId: string,
  command: string,
  work: (api: PrismApi) => Promise<T>,
): Promise<T> {
  return withServerStore(config, async (store) => {
    const service = new PrismService({ store });
    try {
      return await work(service.forActor(tenantId, { type: 'system', id: 'cli', name: command }));
    } finally {
      await service.close();
    }
  });
}
