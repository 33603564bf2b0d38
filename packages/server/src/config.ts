import { readFileSync } from 'node:fs';
import { PrismError } from '@prism/sdk';
import { z } from 'zod';

/** A setting that is a whole number of a range, given as text in the environment. */
const wholeNumber = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/**
 * Every setting of the server, by its environment variable name. A config file (JSON, given by
 * `PRISM_CONFIG_FILE` or `--config`) may hold the same names; the environment wins.
 */
export const ConfigSchema = z.strictObject({
  /** The port to listen on. */
  PORT: wholeNumber(0, 65_535).default(8080),
  /** The address to listen on; `0.0.0.0` to accept connections from other machines. */
  HOST: z.string().min(1).default('127.0.0.1'),
  /** Where the embedded database lives when there is no `DATABASE_URL`. */
  PRISM_DATA_DIR: z.string().min(1).default('./.prism'),
  /** PostgreSQL instead of the embedded database, e.g. `postgres://user@host:5432/prism`. */
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  /** Connections in the PostgreSQL pool. */
  DATABASE_POOL_SIZE: wholeNumber(1, 1000).default(10),
  /** Redis for the shared rate limits and job queue, e.g. `redis://127.0.0.1:6379`. */
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL')
    .optional(),
  /** An admin API key to create on first start (else one is generated and printed once). */
  PRISM_BOOTSTRAP_KEY: z
    .string()
    .regex(
      /^prism_sk_[A-Za-z0-9]{20,}$/,
      'must be prism_sk_ followed by 20 or more letters and digits',
    )
    .optional(),
  /** Log level of the JSON logs. */
  PRISM_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  /** Origins allowed to call the API from a browser, comma-separated; none by default. */
  PRISM_CORS_ORIGINS: z
    .string()
    .transform((value) =>
      value
        .split(',')
        .map((origin) => origin.trim())
        .filter(Boolean),
    )
    .default([]),
  /**
   * Serve Prometheus metrics at `GET /metrics` (`true`/`false`, also `1`/`0`, `yes`/`no`, `on`/
   * `off`); off by default. Not authenticated: keep `/metrics` off the public network.
   */
  PRISM_METRICS_ENABLED: z
    .union([z.boolean(), z.stringbool()], { error: 'must be true or false' })
    .default(false),
  /** Requests per minute per API key. */
  PRISM_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000).default(600),
});

/** The server's settings, validated. */
export type ServerConfig = z.output<typeof ConfigSchema>;

const NAMES = Object.keys(ConfigSchema.shape);

/**
 * The settings from `env` (and a JSON config file, when `file` is given): only the names the
 * server knows are read from the environment; a config file may not hold others.
 *
 * @throws {PrismError} `invalid_config` naming the first wrong setting and what is wrong with
 *   it, in one line.
 */
export function loadConfig(env: NodeJS.ProcessEnv, file?: string): ServerConfig {
  const fromFile = file === undefined ? {} : readConfigFile(file);
  const fromEnv = Object.fromEntries(
    NAMES.filter((name) => env[name] !== undefined && env[name] !== '').map((name) => [
      name,
      env[name],
    ]),
  );
  const parsed = ConfigSchema.safeParse({ ...fromFile, ...fromEnv });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = issue?.path.join('.') || 'config';
  const message =
    issue?.code === 'unrecognized_keys'
      ? `unknown setting ${issue.keys.join(', ')}`
      : `${name}: ${issue?.message ?? 'invalid'}`;
  throw new PrismError('invalid_config', `Invalid setting ${message}.`, {
    hint: `Fix it in the environment${file === undefined ? '' : ` or in ${file}`}; see the server README for every setting.`,
  });
}

function readConfigFile(file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new PrismError(
      'invalid_config',
      `Cannot read the config file ${file}: ${(cause as Error).message}.`,
      {
        hint: 'Give a readable JSON file with settings by their environment names, e.g. {"PORT": 8080}.',
        cause,
      },
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PrismError('invalid_config', `The config file ${file} is not a JSON object.`, {
      hint: 'Write settings as {"NAME": value}, e.g. {"PORT": 8080}.',
    });
  }
  return value as Record<string, unknown>;
}
