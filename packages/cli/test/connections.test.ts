import { type Connection, HttpPrism } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONNECTIONS_USAGE } from '../src/commands/connections.js';
import {
  type ConnectionsServer,
  SCRIPTED_ACCESS_TOKEN,
  startConnectionsServer,
} from './connections-server.js';
import { runCli } from './run-cli.js';

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

/** The line of a `prism connections` table that starts with `id`, split into its columns. */
function listedRow(table: string, id: string): string[] | undefined {
  return table
    .split('\n')
    .find((line) => line.startsWith(`${id} `))
    ?.split(/ {2,}/);
}

describe('prism connections', () => {
  let server: ConnectionsServer;
  let url: string;
  let apiKey: string;
  let emptyTenantKey: string;
  let prism: HttpPrism;

  beforeAll(async () => {
    server = await startConnectionsServer();
    ({ url, apiKey } = server);
    emptyTenantKey = await server.createApiKey('tenant-b');
    prism = new HttpPrism({ baseUrl: url, apiKey });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await prism?.close();
    await server?.close();
  });

  /** A Slack connection of tenant A: approved at the provider, or left pending. */
  async function connection(approved: boolean): Promise<Connection> {
    const started = await prism.connections.create({ provider: 'slack' });
    if (!approved) return started.connection;
    const state = new URL(started.authorizationUrl).searchParams.get('state') ?? '';
    const page = await fetch(
      `${url}/oauth/slack/callback?${new URLSearchParams({ state, code: 'c' })}`,
    );
    expect(page.status).toBe(200);
    return prism.connections.get(started.connection.id);
  }

  it('lists the connections as a table', async () => {
    const active = await connection(true);
    const pending = await connection(false);
    const { code, stdout, stderr } = await runCli('connections', '--url', url, '--api-key', apiKey);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.split('\n')[0]?.split(/ {2,}/)).toEqual([
      'ID',
      'PROVIDER',
      'STATUS',
      'ACCOUNT',
      'SCOPES',
      'TOKEN EXPIRES',
    ]);
    expect(listedRow(stdout, active.id)).toEqual([
      active.id,
      'slack',
      'active',
      'Acme Corp',
      'chat:write,commands',
      '2026-11-29T13:00:00.000Z',
    ]);
    expect(listedRow(stdout, pending.id)).toEqual([pending.id, 'slack', 'pending', '-', '-', '-']);
    expect(stdout).not.toContain(SCRIPTED_ACCESS_TOKEN);
  });

  it('lists them as JSON with --json, from PRISM_URL and PRISM_API_KEY', async () => {
    vi.stubEnv('PRISM_URL', url);
    vi.stubEnv('PRISM_API_KEY', apiKey);
    const { code, stdout, stderr } = await runCli('connections', 'list', '--json');
    vi.unstubAllEnvs();
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const listed = JSON.parse(stdout) as Connection[];
    const expected = await prism.connections.list({ limit: 100 }).toArray();
    expect(listed).toEqual(expected);
    expect(listed.length).toBeGreaterThan(0);
  });

  it('says when a tenant has no connections', async () => {
    const table = await runCli('connections', '--url', url, '--api-key', emptyTenantKey);
    expect(table).toEqual({
      code: 0,
      stdout: "No connections; 'prism connect' makes one\n",
      stderr: '',
    });
    const json = await runCli('connections', '--json', '--url', url, '--api-key', emptyTenantKey);
    expect(json).toEqual({ code: 0, stdout: '[]\n', stderr: '' });
  });

  it('disconnects: revokes at the provider and forgets the connection', async () => {
    const active = await connection(true);
    const revokedBefore = server.revoked('slack').length;
    const { code, stdout, stderr } = await runCli(
      'connections',
      'delete',
      active.id,
      '--url',
      url,
      '--api-key',
      apiKey,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(
      `Disconnected slack account Acme Corp (${active.id}): Prism's access was revoked at slack and its tokens deleted\n`,
    );
    expect(
      server
        .revoked('slack')
        .slice(revokedBefore)
        .map((tokens) => tokens.accessToken),
    ).toEqual([SCRIPTED_ACCESS_TOKEN]);
    const listed = await prism.connections.list({ limit: 100 }).toArray();
    expect(listed.map((item) => item.id)).not.toContain(active.id);
  });

  it('deletes a pending connection, saying no account had been connected', async () => {
    const pending = await connection(false);
    const { code, stdout } = await runCli(
      'connections',
      'delete',
      pending.id,
      '--url',
      url,
      '--api-key',
      apiKey,
    );
    expect(code).toBe(0);
    expect(stdout).toBe(
      `Deleted the pending slack connection ${pending.id}; no account had been connected\n`,
    );
  });

  it('fails in one line with a hint for a connection that does not exist', async () => {
    const { code, stdout, stderr } = await runCli(
      'connections',
      'delete',
      'con_missing',
      '--url',
      url,
      '--api-key',
      apiKey,
    );
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toMatch(
      /^prism: connections delete: .*con_missing.* \[not_found\]\n {2}hint: .+\n$/,
    );
  });

  it('says where to find a server it cannot reach', async () => {
    const closed = await runCli('connections', '--url', 'http://127.0.0.1:1', '--api-key', apiKey);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(
      /^prism: connections list: .+ \[connection_error\]\n {2}hint: Check that a Prism server runs at --url \(PRISM_URL\); 'prism serve' starts one\.\n$/,
    );
    expect(closed.stderr).not.toContain(apiKey);
  });

  it('prints its usage, and refuses a missing key, id or unknown command', async () => {
    expect(await runCli('connections', '--help')).toEqual({
      code: 0,
      stdout: CONNECTIONS_USAGE,
      stderr: '',
    });
    vi.stubEnv('PRISM_API_KEY', '');
    const noKey = await runCli('connections', '--url', url);
    vi.unstubAllEnvs();
    expect(noKey).toEqual({
      code: 2,
      stdout: '',
      stderr: `prism: missing API key: pass --api-key or set PRISM_API_KEY\n\n${CONNECTIONS_USAGE}`,
    });
    const noId = await runCli('connections', 'delete', '--api-key', apiKey);
    expect(noId.code).toBe(2);
    expect(noId.stderr).toMatch(/^prism: missing the id of the connection to delete\n\nUsage:/);
    const unknown = await runCli('connections', 'revoke', 'con_1', '--api-key', apiKey);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^prism: unknown connections command 'revoke'\n\nUsage:/);
    const badUrl = await runCli('connections', '--url', 'ftp://x', '--api-key', apiKey);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/^prism: --url \(or PRISM_URL\) must be an http\(s\) URL/);
  });
});
