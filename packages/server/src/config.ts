import { readFileSync } from 'node:fs';
import { PrismError, RoleSchema } from '@prism/sdk';
import { z } from 'zod';

/** A setting that is a whole number of a range, given as text in the environment. */
const wholeNumber = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** A setting that is a number of seconds of a range, fractions allowed. */
const seconds = (min: number, max: number) => z.coerce.number().min(min).max(max);

/** A setting that is an `http://` or `https://` URL. */
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' });

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
  /**
   * What Prism's Redis keys start with (`<prefix>:reviews:...` for jobs, `<prefix>:rate-limit:...`
   * for rate limits); deployments sharing one Redis give each its own.
   */
  PRISM_REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'must be 1 to 64 letters, digits, dots, dashes or underscores')
    .default('prism'),
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
  /**
   * Who reviews: `rules` (offline), `bedrock` or `bedrock:<model-id>` (Claude on Amazon Bedrock;
   * AWS credentials and region from the environment), `openai-compatible:<model>`
   * (`OPENAI_BASE_URL`, `OPENAI_API_KEY`); several comma-separated are tried in order.
   */
  PRISM_MODEL: z
    .string()
    .regex(
      /^(rules|bedrock(:[^,\s]+)?|openai-compatible:[^,\s]+)(,(rules|bedrock(:[^,\s]+)?|openai-compatible:[^,\s]+))*$/,
      "must be 'rules', 'bedrock[:<model-id>]' or 'openai-compatible:<model>', several separated by commas",
    )
    .default('rules'),
  /** Most requests per minute to each model (shared by every instance through Redis, if set). */
  PRISM_MODEL_REQUESTS_PER_MINUTE: wholeNumber(1, 1_000_000).optional(),
  /** Most tokens per minute to each model (shared by every instance through Redis, if set). */
  PRISM_MODEL_TOKENS_PER_MINUTE: wholeNumber(1, 1_000_000_000).optional(),
  /**
   * Model prices in US dollars per million tokens, as JSON, over the built-in ones: e.g.
   * `{"*gpt-4o":{"inputPerMillion":2.5,"outputPerMillion":10}}` (`*` matches anything).
   */
  PRISM_MODEL_PRICES: z
    .union([z.string(), z.record(z.string(), z.unknown())])
    .transform((value, context) => {
      try {
        return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be a JSON object' });
        return z.NEVER;
      }
    })
    .pipe(
      z.record(
        z.string(),
        z.strictObject({
          inputPerMillion: z.number().min(0),
          outputPerMillion: z.number().min(0),
          cacheReadPerMillion: z.number().min(0).optional(),
          cacheWritePerMillion: z.number().min(0).optional(),
        }),
      ),
    )
    .optional(),
  /** Most model tokens (input + output) one review may use; it stops and fails past it. */
  PRISM_REVIEW_MAX_TOKENS: wholeNumber(1, 1_000_000_000).optional(),
  /** Most model tokens each tenant's reviews may use per calendar month (UTC). */
  PRISM_TENANT_MONTHLY_TOKENS: wholeNumber(1, 1_000_000_000_000).optional(),
  /**
   * The server's public base URL, e.g. `https://prism.example.com`: OAuth redirect URIs are
   * `<PRISM_PUBLIC_URL>/oauth/<provider>/callback`, registered exactly so with each provider.
   */
  PRISM_PUBLIC_URL: httpUrl.optional(),
  /**
   * The keys connection tokens are encrypted with (AES-256-GCM), comma-separated
   * `<key-id>:<32 bytes in base64>`; the first encrypts, every one decrypts (list a new key
   * first, run `prism vault rotate`, then drop the old one). Required to connect accounts.
   */
  PRISM_ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^\s*[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9+/]{43}=\s*(,\s*[A-Za-z0-9_.-]{1,64}:[A-Za-z0-9+/]{43}=\s*)*$/,
      'must be <key-id>:<32 bytes in base64>, comma-separated (e.g. k1:$(openssl rand -base64 32))',
    )
    .optional(),
  /** The Entra ID (Azure AD) app's client id, for Microsoft connections (SharePoint, Teams). */
  MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  /** The Entra ID app's client secret. */
  MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  /** The Entra ID tenant: `common` (multi-tenant apps), `organizations`, or a tenant id. */
  MICROSOFT_TENANT_ID: z.string().min(1).default('common'),
  /**
   * The delegated Microsoft Graph permissions connections ask for, separated by spaces or
   * commas; by default `User.Read Files.ReadWrite.All Sites.ReadWrite.All`. Add
   * `Sites.Manage.All` for Prism to create the review columns of a library itself.
   */
  MICROSOFT_SCOPES: z
    .string()
    .transform((value) => value.split(/[\s,]+/).filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'must name at least one permission'))
    .optional(),
  /** The Salesforce connected app's consumer key. */
  SALESFORCE_CLIENT_ID: z.string().min(1).optional(),
  /** The Salesforce connected app's consumer secret. */
  SALESFORCE_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where Salesforce users log in: production, `https://test.salesforce.com`, or a My Domain. */
  SALESFORCE_LOGIN_URL: httpUrl.default('https://login.salesforce.com'),
  /** The Slack app's client id. */
  SLACK_CLIENT_ID: z.string().min(1).optional(),
  /** The Slack app's client secret. */
  SLACK_CLIENT_SECRET: z.string().min(1).optional(),
  /** The Slack app's signing secret (verifies requests from Slack). */
  SLACK_SIGNING_SECRET: z.string().min(1).optional(),
  /** SharePoint watches: how often finished reviews are looked for and written back, in seconds. */
  PRISM_SHAREPOINT_WRITE_BACK_SECONDS: seconds(0.1, 3600).default(2),
  /** SharePoint watches: how often subscriptions nearing expiry are renewed, in seconds. */
  PRISM_SHAREPOINT_RENEWAL_SECONDS: seconds(1, 86_400).default(3600),
  /**
   * SharePoint watches: how often each watch's changes are read without a notification (one
   * Graph lost, or sent while the server was down), in seconds.
   */
  PRISM_SHAREPOINT_SWEEP_SECONDS: seconds(1, 86_400).default(900),
  /**
   * SharePoint watches: the lifetime asked for Graph subscriptions, in minutes (Graph allows up
   * to 42,300 for drives); by default the maximum less an hour.
   */
  PRISM_SHAREPOINT_SUBSCRIPTION_MINUTES: wholeNumber(60, 42_300).optional(),
  /** Microsoft Graph requests a second to each Microsoft tenant. */
  PRISM_SHAREPOINT_GRAPH_REQUESTS_PER_SECOND: wholeNumber(1, 10_000).default(10),
  /** Microsoft Graph requests in flight at once to each Microsoft tenant. */
  PRISM_SHAREPOINT_GRAPH_CONCURRENCY: wholeNumber(1, 1000).default(4),
  /** Requests per minute per API key. */
  PRISM_RATE_LIMIT_PER_MINUTE: wholeNumber(1, 1_000_000).default(600),
  /**
   * Review jobs the server runs at once; 0 to only serve the API and queue reviews for `prism
   * worker` processes (which need DATABASE_URL: they share the server's PostgreSQL database).
   */
  PRISM_WORKERS: wholeNumber(0, 1000).default(2),
  /**
   * Seconds a running review job stays its worker's without a heartbeat: after a worker dies,
   * its jobs are taken again by others this long after its last heartbeat.
   */
  PRISM_JOB_LEASE_SECONDS: wholeNumber(1, 3600).default(30),
  /**
   * The waits before each retry of a failed webhook delivery, in seconds, comma-separated; after
   * the last one fails the delivery is dead. Default Svix's: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h.
   */
  PRISM_WEBHOOK_RETRY_SECONDS: z
    .string()
    .regex(
      /^\s*\d+(\.\d+)?(\s*,\s*\d+(\.\d+)?)*\s*$/,
      'must be seconds separated by commas, e.g. 5,300,1800',
    )
    .transform((value) => value.split(',').map((seconds) => Number(seconds) * 1000))
    .optional(),
  /** Dead deliveries in a row after which a webhook endpoint is disabled. */
  PRISM_WEBHOOK_DISABLE_AFTER: wholeNumber(1, 1000).default(5),
  /**
   * An OpenID Connect issuer whose access tokens (JWTs) are accepted beside API keys, exactly as
   * its tokens' `iss` names it, e.g. `https://login.example.com/`. Off unless set.
   */
  PRISM_OIDC_ISSUER: httpUrl.optional(),
  /** The audience an access token must be for; required with `PRISM_OIDC_ISSUER`. */
  PRISM_OIDC_AUDIENCE: z.string().min(1).optional(),
  /** The issuer's key set; by default the `jwks_uri` of its `/.well-known/openid-configuration`. */
  PRISM_OIDC_JWKS_URL: httpUrl.optional(),
  /** The token claim naming the Prism tenant. */
  PRISM_OIDC_TENANT_CLAIM: z.string().min(1).default('tenant'),
  /** The token claim holding Prism roles (a string or an array); the highest role found wins. */
  PRISM_OIDC_ROLE_CLAIM: z.string().min(1).default('roles'),
  /** What each role value begins with, e.g. `prism:` for `prism:analyst`; none by default. */
  PRISM_OIDC_ROLE_PREFIX: z.string().default(''),
  /** The role of a token with no Prism role; without it such a token is refused (403). */
  PRISM_OIDC_DEFAULT_ROLE: RoleSchema.optional(),
});

/** The server's settings, validated. */
export type ServerConfig = z.output<typeof ConfigSchema>;

const NAMES = Object.keys(ConfigSchema.shape);

/** {@link ConfigSchema} with the settings that depend on each other checked together. */
const CheckedConfigSchema = ConfigSchema.superRefine((config, context) => {
  const needsIssuer = (['PRISM_OIDC_AUDIENCE', 'PRISM_OIDC_JWKS_URL'] as const).find(
    (name) => config[name] !== undefined,
  );
  if (config.PRISM_OIDC_ISSUER === undefined && needsIssuer !== undefined) {
    context.addIssue({
      code: 'custom',
      path: ['PRISM_OIDC_ISSUER'],
      message: `is required when ${needsIssuer} is set`,
    });
  }
  if (config.PRISM_OIDC_ISSUER !== undefined && config.PRISM_OIDC_AUDIENCE === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['PRISM_OIDC_AUDIENCE'],
      message: 'is required when PRISM_OIDC_ISSUER is set',
    });
  }
  // A provider is configured with both its client id and secret, or not at all.
  for (const [id, secret] of [
    ['MICROSOFT_CLIENT_ID', 'MICROSOFT_CLIENT_SECRET'],
    ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'],
    ['SLACK_CLIENT_ID', 'SLACK_CLIENT_SECRET'],
  ] as const) {
    if ((config[id] === undefined) === (config[secret] === undefined)) continue;
    const [missing, present] = config[id] === undefined ? [id, secret] : [secret, id];
    context.addIssue({
      code: 'custom',
      path: [missing],
      message: `is required when ${present} is set`,
    });
  }
});

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
  const parsed = CheckedConfigSchema.safeParse({ ...fromFile, ...fromEnv });
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

/** The webhook retry policy of the settings, as `PrismService` takes it. */
export function webhookRetriesOf(config: ServerConfig): {
  scheduleMs?: number[];
  disableAfterDead: number;
} {
  return {
    ...(config.PRISM_WEBHOOK_RETRY_SECONDS === undefined
      ? {}
      : { scheduleMs: config.PRISM_WEBHOOK_RETRY_SECONDS }),
    disableAfterDead: config.PRISM_WEBHOOK_DISABLE_AFTER,
  };
}
