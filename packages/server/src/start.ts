import { PrismService, SYSTEM_ACTOR } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { oidcOptionsOf } from './auth/index.js';
import { ensureBootstrapKey } from './bootstrap.js';
import type { ServerConfig } from './config.js';
import { webhookRetriesOf } from './config.js';
import { configuredProviders } from './connections/configured-providers.js';
import { ConnectionHub, providerNotConfigured } from './connections/hub.js';
import { TokenProvider } from './connections/token-provider.js';
import { Vault } from './connections/vault.js';
import { SqlIdempotencyStore } from './idempotency/index.js';
import { checkWorkersSetting, serverJobs } from './jobs/server-jobs.js';
import { type ModelSettings, modelSettingsOf } from './model-settings.js';
import { buildServer } from './server.js';
import {
  SHAREPOINT_ACTOR,
  type SharePointAutoReview,
  sharePointAutoReviewOf,
} from './sharepoint/sharepoint-auto-review.js';
import { sharePointSettingsOf } from './sharepoint/sharepoint-settings.js';
import { openStore } from './store/open-store.js';

/** A started server. */
export interface RunningServer {
  /** The Fastify app. */
  app: FastifyInstance;
  /** The URL it listens on, e.g. `http://127.0.0.1:8080`. */
  url: string;
  /** Where it keeps records: `embedded (<dir>)` or `postgresql`. */
  storage: string;
  /** The admin key generated on this first start, to show once; else `undefined`. */
  bootstrapKey: string | undefined;
  /**
   * Access tokens of connected accounts, for connectors: refreshed ahead of expiry, one refresh
   * at a time across instances. Undefined without `PRISM_ENCRYPTION_KEYS`.
   */
  tokens: TokenProvider | undefined;
  /**
   * SharePoint auto-review (watches, Graph's notifications at `/hooks/graph`, write-backs,
   * renewals, sweeps), when Microsoft connections, PRISM_ENCRYPTION_KEYS and PRISM_PUBLIC_URL
   * are all configured; else undefined, and creating a watch answers 501.
   */
  sharePoint: SharePointAutoReview | undefined;
  /**
   * Stops gracefully: no new connections, requests in flight answered, running reviews and
   * webhook deliveries finished, then the database closed.
   */
  close(): Promise<void>;
}

/**
 * Opens the store of `config` (migrating it), makes sure an admin key exists, starts running
 * queued reviews (`PRISM_WORKERS` at once), and listens.
 *
 * @throws {PrismError} `invalid_config` for `PRISM_WORKERS=0` without `DATABASE_URL`.
 */
export async function startServer(config: ServerConfig): Promise<RunningServer> {
  checkWorkersSetting(config);
  const store = await openStore({
    ...(config.DATABASE_URL === undefined
      ? { dataDir: config.PRISM_DATA_DIR }
      : { databaseUrl: config.DATABASE_URL }),
    poolSize: config.DATABASE_POOL_SIZE,
  });
  let redis: Redis | undefined;
  let sharePoint: SharePointAutoReview | undefined;
  let models: ModelSettings | undefined;
  // Reviews queued in the database (or Redis), run here by PRISM_WORKERS workers.
  let logJobError = (_error: unknown): void => {};
  const jobs = serverJobs(config, store, {
    concurrency: config.PRISM_WORKERS,
    onError: (error) => logJobError(error),
  });
  try {
    const bootstrapKey = await ensureBootstrapKey(store, { secret: config.PRISM_BOOTSTRAP_KEY });
    models = await modelSettingsOf(config, store);
    const providers = configuredProviders(config);
    const vault =
      config.PRISM_ENCRYPTION_KEYS === undefined
        ? undefined
        : new Vault(config.PRISM_ENCRYPTION_KEYS);
    const connections = new ConnectionHub({
      client: store.client,
      vault,
      publicUrl: config.PRISM_PUBLIC_URL,
      providers,
      onConnected: (connection) => sharePoint?.catchUp(connection),
    });
    redis =
      config.REDIS_URL === undefined
        ? undefined
        : new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    await redis?.connect();
    const secrets = connections.secrets;
    const tokens =
      secrets === undefined
        ? undefined
        : new TokenProvider({
            store,
            secrets,
            providerFor: (connection) => {
              const provider = providers[connection.provider];
              if (provider === undefined) throw providerNotConfigured(connection.provider);
              return provider;
            },
            onNeedsReauth: (connection) =>
              service
                .connectionLifecycle(connection.tenantId, SYSTEM_ACTOR)
                .needsReauth(connection),
            ...(redis === undefined ? {} : { redis }),
          });
    sharePoint = sharePointAutoReviewOf({
      microsoftConfigured: providers.microsoft !== undefined,
      vault,
      tokens,
      publicUrl: config.PRISM_PUBLIC_URL,
      client: store.client,
      connections: store.connections,
      watches: store.watches,
      prismFor: (tenantId) => service.forActor(tenantId, SHAREPOINT_ACTOR),
      settings: sharePointSettingsOf(config),
    });
    const service = new PrismService({
      ...models.service,
      connectionFlows: connections,
      ...(sharePoint === undefined ? {} : { watchFlows: sharePoint.watchFlows }),
      store,
      jobs: jobs.factory,
      webhookRetries: webhookRetriesOf(config),
    });
    const reviewer = sharePoint?.reviewer;
    const app = await buildServer({
      service,
      logger: { level: config.PRISM_LOG_LEVEL },
      ops: {
        metrics: config.PRISM_METRICS_ENABLED,
        corsOrigins: config.PRISM_CORS_ORIGINS,
        ...(reviewer === undefined ? {} : { sharePointStats: () => reviewer.stats() }),
      },
      idempotency: new SqlIdempotencyStore(store.client),
      connections,
      ...(sharePoint === undefined ? {} : { graphNotifications: sharePoint.reviewer }),
      oidc: oidcOptionsOf(config),
      rateLimit: {
        max: config.PRISM_RATE_LIMIT_PER_MINUTE,
        windowMs: 60_000,
        keyPrefix: `${config.PRISM_REDIS_PREFIX}:rate-limit:`,
        ...(redis === undefined ? {} : { redis }),
      },
    });
    logJobError = (error) => app.log.error({ err: error }, 'review job queue failed');
    const url = await app.listen({ port: config.PORT, host: config.HOST });
    sharePoint?.start(app.log);
    return {
      app,
      url,
      storage:
        config.DATABASE_URL === undefined ? `embedded (${config.PRISM_DATA_DIR})` : 'postgresql',
      bootstrapKey,
      tokens,
      sharePoint,
      async close() {
        await app.close();
        await sharePoint?.close();
        await jobs.close();
        await service.close();
        await models?.close();
        await store.close();
        redis?.disconnect();
      },
    };
  } catch (error) {
    await sharePoint?.close();
    await jobs.close();
    await models?.close();
    await store.close();
    redis?.disconnect();
    throw error;
  }
}
