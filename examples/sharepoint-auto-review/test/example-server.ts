import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '@prism/cli';
import { HttpPrism } from '@prism/sdk';
import {
  generateEncryptionKey,
  loadConfig,
  type RunningServer,
  type ServerConfig,
  startServer,
} from '@prism/server';

/** The example's settings file, as `prism serve --config` reads it. */
export const CONFIG_FILE = fileURLToPath(new URL('../prism.config.json', import.meta.url));

/** What a `prism` command printed, and its exit code. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The example's Prism server, started in this process. */
export interface ExampleServer {
  /** Its settings: the example's file under the test's environment. */
  config: ServerConfig;
  running: RunningServer;
  /** The API as an org admin sees it, with the server's admin key. */
  prism: HttpPrism;
  /** Runs a `prism` command against the server with the admin key, as the walkthrough does. */
  cli(...argv: string[]): Promise<CliRun>;
  /**
   * Where a request to the server's public address arrives: the reverse proxy (or tunnel) in
   * front of the server, forwarding `PRISM_PUBLIC_URL` to where it listens.
   */
  tunnel(url: string | URL): string;
  /** Stops the server and removes its data. */
  close(): Promise<void>;
}

/**
 * Starts a server from `prism.config.json` with `secrets` and the test's own settings in the
 * environment (a free port, a new data directory, an admin key, an encryption key, no logs),
 * as an admin would start it with `prism serve --config`.
 */
export async function startExampleServer(
  secrets: Record<'MICROSOFT_CLIENT_ID' | 'MICROSOFT_CLIENT_SECRET', string>,
): Promise<ExampleServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'prism-sharepoint-auto-review-'));
  const adminKey = `prism_sk_${randomBytes(16).toString('hex')}`;
  const env = {
    ...secrets,
    PORT: '0',
    PRISM_DATA_DIR: dataDir,
    PRISM_BOOTSTRAP_KEY: adminKey,
    PRISM_ENCRYPTION_KEYS: generateEncryptionKey(),
    PRISM_LOG_LEVEL: 'silent',
  };
  const config = loadConfig(env, CONFIG_FILE);
  const running = await startServer(config);
  const prism = new HttpPrism({ baseUrl: running.url, apiKey: adminKey });
  const publicOrigin = new URL(config.PRISM_PUBLIC_URL ?? running.url).origin;
  return {
    config,
    running,
    prism,
    async cli(...argv) {
      const run: CliRun = { code: 0, stdout: '', stderr: '' };
      run.code = await main([...argv, '--url', running.url, '--api-key', adminKey], {
        stdout: { write: (text: string) => (run.stdout += text) },
        stderr: { write: (text: string) => (run.stderr += text) },
      });
      return run;
    },
    tunnel(url) {
      const target = new URL(url);
      if (target.origin !== publicOrigin) throw new Error(`${url} is not this server's address`);
      return new URL(`${target.pathname}${target.search}`, running.url).toString();
    },
    async close() {
      await prism.close();
      await running.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
