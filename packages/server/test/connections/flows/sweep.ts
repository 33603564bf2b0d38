import { expect } from 'vitest';
import { type Exposures, exposeDatabase, exposeFiles } from './exposures.js';
import type { FlowServer, StdoutCapture } from './flow-server.js';
import type { ProviderNetwork } from './provider-network.js';

/** What a flow leaves to be searched for secrets at its end. */
export interface FlowRemains {
  server: FlowServer;
  stdout: StdoutCapture;
  exposures: Exposures;
  network: ProviderNetwork;
  /** The embedded database's directory. */
  dataDir: string;
  /** Secrets of the flow the network did not see (PKCE verifiers of flows never completed...). */
  secrets: Iterable<string>;
}

/**
 * Gathers the last of what a flow exposed (`GET /metrics`, every log line written so far, every
 * row of every table, every file of the database) and checks that no credential of the flow
 * shows anywhere: none that crossed the wire with a provider, no client secret, no PKCE
 * verifier. Returns the secrets searched for.
 */
export async function expectNoSecretShows(remains: FlowRemains): Promise<string[]> {
  const { server, stdout, exposures, network } = remains;
  const metrics = await server.api.request('GET', '/metrics', { anonymous: true });
  expect(metrics.status).toBe(200);
  expect(metrics.body).toContain('prism_http_request_duration_seconds');
  stdout.writes.forEach((write, index) => {
    exposures.text(`stdout write ${index}`, write);
  });
  const tables = await exposeDatabase(exposures, server.store.client);
  expect(tables).toEqual(
    expect.arrayContaining([
      'audit_events',
      'connection_secrets',
      'connections',
      'oauth_states',
      'webhook_deliveries',
    ]),
  );
  expect(await exposeFiles(exposures, remains.dataDir)).toBeGreaterThan(0);
  await network.settled();
  const secrets = [
    ...new Set([...network.credentials, ...remains.secrets].filter((secret) => secret !== '')),
  ];
  expect(exposures.leaks(secrets)).toEqual([]);
  return secrets;
}
