import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor, Connection, PrismService } from '@prism/sdk';
import { vi } from 'vitest';
import { BOOTSTRAP_TENANT } from '../../../src/bootstrap.js';
import { ConfigSchema, type ServerConfig } from '../../../src/config.js';
import { configuredProviders } from '../../../src/connections/configured-providers.js';
import type { ConnectionSecrets } from '../../../src/connections/connection-secrets.js';
import type { ConnectionHub } from '../../../src/connections/hub.js';
import { TokenProvider } from '../../../src/connections/token-provider.js';
import type { OAuthProvider } from '../../../src/connections/types.js';
import { type RunningServer, startServer } from '../../../src/start.js';
import { SqlStore } from '../../../src/store/sql-store.js';
import { latestServerOptions } from './built-servers.js';
import type { Exposures } from './exposures.js';

/** The server's public URL: the providers' fixtures register `<it>/oauth/<provider>/callback`. */
export const PUBLIC_URL = 'https://prism.example.com';

/** The tenant of the bootstrap admin key, where the flows connect accounts. */
export const TENANT = BOOTSTRAP_TENANT;

/** Who marks a connection `needs_reauth` when its provider refuses a refresh. */
const TOKEN_REFRESH_ACTOR: Actor = { type: 'system', id: 'token-refresh', name: null };

/** A new `PRISM_ENCRYPTION_KEYS` entry: `<id>:<32 random bytes in base64>`. */
export function encryptionKey(id: string): string {
  return `${id}:${randomBytes(32).toString('base64')}`;
}

/** A new empty data directory for an embedded database. */
export function newDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'prism-flow-'));
}

/** A clock that runs with the system's, moved ahead at will. */
export class MovableClock {
  #aheadMs = 0;

  /** The time, moved ahead by every {@link advance} so far. */
  readonly now = (): Date => new Date(Date.now() + this.#aheadMs);

  /** Moves the clock `ms` further ahead. */
  advance(ms: number): void {
    this.#aheadMs += ms;
  }
}

/** What the process wrote to stdout (the server's JSON logs) while captured. */
export interface StdoutCapture {
  /** Each write, as written. */
  readonly writes: string[];
  /** The JSON log lines among the writes, parsed. */
  logLines(): Record<string, unknown>[];
  /** Stops capturing. */
  restore(): void;
}

/**
 * Captures every write to stdout, keeping it off the terminal. Install it before the server
 * starts: pino writes through `process.stdout.write` when it has been replaced (else straight
 * to file descriptor 1).
 */
export function captureStdout(): StdoutCapture {
  const writes: string[] = [];
  const spy = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk: string | Uint8Array, ...rest: unknown[]) => {
      writes.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const callback = rest.find((argument) => typeof argument === 'function');
      if (callback !== undefined) (callback as () => void)();
      return true;
    });
  return {
    writes,
    logLines: () =>
      writes
        .join('')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    restore: () => spy.mockRestore(),
  };
}

/** An answer of the server. */
export interface ApiAnswer {
  status: number;
  headers: Headers;
  body: string;
  /** The body, parsed as JSON. */
  json<T>(): T;
}

/** Calls the running server over HTTP as a client would, showing every answer to `exposures`. */
export class FlowApi {
  readonly #baseUrl: string;
  readonly #adminKey: string;
  readonly #exposures: Exposures;

  constructor(baseUrl: string, adminKey: string, exposures: Exposures) {
    this.#baseUrl = baseUrl;
    this.#adminKey = adminKey;
    this.#exposures = exposures;
  }

  /** `method path` with the admin key (unless `anonymous`, as a browser at a callback). */
  async request(
    method: string,
    path: string,
    options: { body?: unknown; anonymous?: boolean } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = {};
    if (!options.anonymous) headers.authorization = `Bearer ${this.#adminKey}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, this.#baseUrl), {
      method,
      headers,
      redirect: 'manual',
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
    });
    const body = await response.text();
    const where = `${method} ${path.split('?')[0]} (${response.status})`;
    this.#exposures.text(`${where} headers`, JSON.stringify([...response.headers]));
    this.#exposures.text(`${where} body`, body);
    return {
      status: response.status,
      headers: response.headers,
      body,
      json: <T>() => JSON.parse(body) as T,
    };
  }
}

/** How to start a server for a flow. */
export interface FlowServerSettings {
  /** `PRISM_DATA_DIR`. */
  dataDir: string;
  /** `PRISM_ENCRYPTION_KEYS`. */
  encryptionKeys: string;
  /** `PRISM_BOOTSTRAP_KEY`. */
  adminKey: string;
  /** The providers' settings, e.g. `MICROSOFT_CLIENT_ID` and `MICROSOFT_CLIENT_SECRET`. */
  providers: Record<string, string>;
}

/** A server started as `prism serve` starts it, and what it was assembled from. */
export interface FlowServer {
  readonly running: RunningServer;
  readonly config: ServerConfig;
  /** The service the server was built on. */
  readonly service: PrismService;
  /** Its connection hub. */
  readonly hub: ConnectionHub;
  /** Its store (the embedded database). */
  readonly store: SqlStore;
  /** Its connections' encrypted tokens. */
  readonly secrets: ConnectionSecrets;
  /** Its API, over HTTP. */
  readonly api: FlowApi;
  /**
   * A token provider over the server's store, as the server would make one: the configured
   * providers refresh, and a refused refresh token is recorded through the service's connection
   * lifecycle (audit entry and `connection.needs_reauth` webhook).
   */
  tokenProvider(now?: () => Date): TokenProvider;
}

/**
 * Starts a server with `startServer(ConfigSchema.parse(...))` on an embedded database: public
 * URL, encryption keys, trace-level JSON logs, metrics on, a bootstrap admin key, and the
 * providers' settings. Every answer of its API is shown to `exposures`.
 */
export async function startFlowServer(
  settings: FlowServerSettings,
  exposures: Exposures,
): Promise<FlowServer> {
  const config = ConfigSchema.parse({
    PORT: 0,
    PRISM_DATA_DIR: settings.dataDir,
    PRISM_PUBLIC_URL: PUBLIC_URL,
    PRISM_ENCRYPTION_KEYS: settings.encryptionKeys,
    PRISM_LOG_LEVEL: 'trace',
    PRISM_METRICS_ENABLED: true,
    PRISM_BOOTSTRAP_KEY: settings.adminKey,
    ...settings.providers,
  });
  const running = await startServer(config);
  const { service, connections: hub } = latestServerOptions();
  const store = service.core.store;
  const secrets = hub?.secrets;
  if (!(store instanceof SqlStore) || hub === undefined || secrets === undefined) {
    await running.close();
    throw new Error('startServer did not assemble a SQL store and a connection hub with a vault.');
  }
  return {
    running,
    config,
    service,
    hub,
    store,
    secrets,
    api: new FlowApi(running.url, settings.adminKey, exposures),
    tokenProvider(now) {
      const providers = configuredProviders(config);
      return new TokenProvider({
        store,
        secrets,
        providerFor: (connection) => providerOf(providers, connection),
        onNeedsReauth: (connection) =>
          service
            .connectionLifecycle(connection.tenantId, TOKEN_REFRESH_ACTOR)
            .needsReauth(connection),
        ...(now === undefined ? {} : { now }),
      });
    },
  };
}

function providerOf(
  providers: Partial<Record<Connection['provider'], OAuthProvider>>,
  connection: Connection,
): OAuthProvider {
  const provider = providers[connection.provider];
  if (provider === undefined) throw new Error(`${connection.provider} is not configured.`);
  return provider;
}
