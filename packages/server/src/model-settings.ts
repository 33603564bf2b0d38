import {
  DEFAULT_PRICES,
  type ModelClientLimits,
  MonthlyTokenAllowance,
  type PrismServiceOptions,
  type Store,
} from '@prism/sdk';
import Bottleneck from 'bottleneck';
import { Redis } from 'ioredis';
import type { ServerConfig } from './config.js';

/** How a server or worker reviews with models, by its configuration. */
export interface ModelSettings {
  /** The options to pass to `new PrismService(...)`. */
  service: Pick<PrismServiceOptions, 'model' | 'modelOptions' | 'prices' | 'tokenLimits'>;
  /** Closes the Redis connection of the shared model limits, if any; after the service closes. */
  close(): Promise<void>;
}

/**
 * The model settings of `config`: the model spec (`PRISM_MODEL`), limits per model
 * (`PRISM_MODEL_REQUESTS_PER_MINUTE`, `PRISM_MODEL_TOKENS_PER_MINUTE`; shared by every instance
 * through Redis when `REDIS_URL` is set), prices over the built-in ones (`PRISM_MODEL_PRICES`),
 * and token budgets (`PRISM_REVIEW_MAX_TOKENS`, `PRISM_TENANT_MONTHLY_TOKENS`, counted in the
 * store so every instance draws from one allowance).
 */
export async function modelSettingsOf(config: ServerConfig, store: Store): Promise<ModelSettings> {
  const rates = {
    ...(config.PRISM_MODEL_REQUESTS_PER_MINUTE === undefined
      ? {}
      : { requestsPerMinute: config.PRISM_MODEL_REQUESTS_PER_MINUTE }),
    ...(config.PRISM_MODEL_TOKENS_PER_MINUTE === undefined
      ? {}
      : { tokensPerMinute: config.PRISM_MODEL_TOKENS_PER_MINUTE }),
  };
  const limited = Object.keys(rates).length > 0;
  const connection =
    limited && config.REDIS_URL !== undefined ? await sharedLimits(config.REDIS_URL) : undefined;
  const limits: Omit<ModelClientLimits, 'id'> | undefined = limited
    ? { ...rates, ...(connection === undefined ? {} : { connection }) }
    : undefined;
  return {
    service: {
      model: config.PRISM_MODEL,
      ...(limits === undefined ? {} : { modelOptions: { limits } }),
      prices: { ...DEFAULT_PRICES, ...config.PRISM_MODEL_PRICES },
      tokenLimits: {
        ...(config.PRISM_REVIEW_MAX_TOKENS === undefined
          ? {}
          : { perReview: config.PRISM_REVIEW_MAX_TOKENS }),
        ...(config.PRISM_TENANT_MONTHLY_TOKENS === undefined
          ? {}
          : {
              tenantAllowance: new MonthlyTokenAllowance(store, config.PRISM_TENANT_MONTHLY_TOKENS),
            }),
      },
    },
    close: async () => {
      await connection?.disconnect();
    },
  };
}

/** A Redis connection for model limits shared across instances, once it is ready. */
async function sharedLimits(redisUrl: string): Promise<Bottleneck.IORedisConnection> {
  // Bottleneck waits for its client and a duplicate of it to be ready, so it is not lazy.
  const connection = new Bottleneck.IORedisConnection({
    client: new Redis(redisUrl, { maxRetriesPerRequest: 1 }),
    Redis,
  });
  await (connection as unknown as { ready: Promise<unknown> }).ready;
  return connection;
}
