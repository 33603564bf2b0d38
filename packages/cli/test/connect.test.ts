import { generateApiKeySecret, HttpPrism } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONNECT_USAGE, type ConnectWaiting, connect } from '../src/commands/connect.js';
import type { CliIo } from '../src/io.js';
import { type ConnectionsServer, startConnectionsServer } from './connections-server.js';
import { runCli } from './run-cli.js';

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

/** What a `prism connect` run printed, its exit code and the waits it made. */
interface ConnectRun {
  code: number;
  stdout: string;
  stderr: string;
  waits: number[];
}

/**
 * Runs `prism connect` on a clock that only its waits move; `approve` is called with the
 * authorization link as soon as it is printed, and every later wait lets it finish first.
 */
async function runConnect(
  argv: string[],
  approve?: (link: URL) => Promise<unknown>,
): Promise<ConnectRun> {
  let stdout = '';
  let stderr = '';
  let clock = 0;
  let approval: Promise<unknown> | undefined;
  const waits: number[] = [];
  const io: CliIo = {
    stdout: {
      write(text: string) {
        stdout += text;
        if (approve !== undefined && approval === undefined && text.startsWith('https://')) {
          approval = approve(new URL(text.trim()));
        }
      },
    },
    stderr: { write: (text: string) => (stderr += text) },
  };
  const waiting: ConnectWaiting = {
    intervalMs: 1000,
    now: () => clock,
    async sleep(ms) {
      waits.push(ms);
      clock += ms;
      await approval;
    },
  };
  const code = await connect(argv, io, '0.0.0', waiting);
  return { code, stdout, stderr, waits };
}

describe('prism connect', () => {
  let server: ConnectionsServer;
  let url: string;
  let apiKey: string;

  beforeAll(async () => {
    server = await startConnectionsServer({
      providers: ['slack', 'salesforce'],
      account: { id: 'T0001', name: 'Acme' },
    });
    ({ url, apiKey } = server);
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await server?.close();
  });

  /** Sends the browser back to the server's callback, as the provider would. */
  const callback = (provider: string, query: Record<string, string>) =>
    fetch(`${url}/oauth/${provider}/callback?${new URLSearchParams(query)}`, {
      redirect: 'manual',
    });

  /** The connections of tenant A. */
  const listed = async () => {
    const prism = new HttpPrism({ baseUrl: url, apiKey });
    try {
      return await prism.connections.list({ limit: 100 }).toArray();
    } finally {
      await prism.close();
    }
  };

  it('prints the link, waits for the approval and reports the connected account', async () => {
    let page: Response | undefined;
    const run = await runConnect(['slack', '--url', url, '--api-key', apiKey], async (link) => {
      const state = link.searchParams.get('state') ?? '';
      page = await callback('slack', { state, code: 'good' });
    });
    expect(run.code).toBe(0);
    expect(page?.status).toBe(200);
    const [link, connected, ...rest] = run.stdout.split('\n');
    expect(link).toMatch(/^https:\/\/slack\.example\/authorize\?state=[^&]+&code_challenge=/);
    expect(connected).toMatch(/^Connected slack account Acme \(con_\w+\)$/);
    expect(rest).toEqual(['']);
    expect(run.stderr).toMatch(/^Open this link in a browser .+ until \d{4}-\d\d-\d\dT.+\):\n/);
    expect(run.waits).toEqual([1000]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(apiKey);
    const id = /\((con_\w+)\)/.exec(connected ?? '')?.[1];
    expect((await listed()).find((connection) => connection.id === id)).toMatchObject({
      provider: 'slack',
      status: 'active',
      account: { id: 'T0001', name: 'Acme' },
    });
  });

  it('takes the server and key from PRISM_URL and PRISM_API_KEY, and sends the browser to --return-url', async () => {
    vi.stubEnv('PRISM_URL', url);
    vi.stubEnv('PRISM_API_KEY', apiKey);
    let page: Response | undefined;
    const run = await runConnect(
      ['salesforce', '--return-url', 'https://app.example.com/done'],
      async (link) => {
        page = await callback('salesforce', {
          state: link.searchParams.get('state') ?? '',
          code: 'x',
        });
      },
    );
    vi.unstubAllEnvs();
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\nConnected salesforce account Acme \(con_\w+\)\n$/);
    expect(page?.status).toBe(302);
    expect(page?.headers.get('location')).toMatch(
      /^https:\/\/app\.example\.com\/done\?connection=con_\w+$/,
    );
  });

  it('fails with a hint to run it again when access is declined at the provider', async () => {
    const run = await runConnect(['slack', '--url', url, '--api-key', apiKey], async (link) => {
      const state = link.searchParams.get('state') ?? '';
      await callback('slack', { state, error: 'access_denied' });
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^https:\/\/slack\.example\/authorize\?\S+\n$/);
    expect(run.stderr).toMatch(
      /\nprism: connect: The slack connection con_\w+ was not completed: access was declined, .+ \[connection_not_completed\]\n {2}hint: Run 'prism connect slack' again, .+\n$/,
    );
  });

  it('gives up after --timeout seconds and removes the pending connection', async () => {
    const run = await runConnect(['slack', '--timeout', '3', '--url', url, '--api-key', apiKey]);
    expect(run.code).toBe(1);
    expect(run.waits).toEqual([1000, 1000, 1000]);
    const [, id] =
      /\nprism: connect: The slack connection (con_\w+) was not completed within 3 s; it has been removed\. \[connect_timeout\]\n {2}hint: Run 'prism connect slack' again, .+\n$/.exec(
        run.stderr,
      ) ?? [];
    expect(id).toBeDefined();
    expect((await listed()).map((connection) => connection.id)).not.toContain(id);
  });

  it('says in one line with a hint when the server has no settings for the provider', async () => {
    const run = await runCli('connect', 'microsoft', '--url', url, '--api-key', apiKey);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: expect.stringMatching(
        /^prism: connect: Connecting Microsoft accounts is not configured on this server\. \[provider_not_configured\]\n {2}hint: Set MICROSOFT_CLIENT_ID .+\n$/,
      ),
    });
  });

  it('connects an existing connection again with --connection, keeping its id', async () => {
    const approveWith = (code: string) => async (link: URL) => {
      await callback('slack', { state: link.searchParams.get('state') ?? '', code });
    };
    const first = await runConnect(
      ['slack', '--url', url, '--api-key', apiKey],
      approveWith('good'),
    );
    const id = /\((con_\w+)\)/.exec(first.stdout)?.[1] ?? '';
    const before = (await listed()).length;

    const again = await runConnect(
      ['slack', '--connection', id, '--url', url, '--api-key', apiKey],
      approveWith('good'),
    );
    expect(again.code).toBe(0);
    expect(again.stdout.split('\n')[1]).toBe(`Connected again slack account Acme (${id})`);
    expect(await listed()).toHaveLength(before);

    const unapproved = await runConnect([
      'slack',
      '--connection',
      id,
      '--timeout',
      '2',
      '--url',
      url,
      '--api-key',
      apiKey,
    ]);
    expect(unapproved.code).toBe(1);
    expect(unapproved.stderr).toContain(
      `The slack connection ${id} was not connected again within 2 s; it is still active. [connect_timeout]`,
    );
    expect(unapproved.stderr).toContain(`'prism connect slack --connection ${id}' again`);
    expect((await listed()).find((connection) => connection.id === id)?.status).toBe('active');

    const mismatch = await runConnect([
      'salesforce',
      '--connection',
      id,
      '--url',
      url,
      '--api-key',
      apiKey,
    ]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toContain(
      'is a slack connection, not salesforce. [connection_mismatch]',
    );
  });

  it('refuses to run without an API key, and names where to give one', async () => {
    vi.stubEnv('PRISM_API_KEY', '');
    const run = await runCli('connect', 'slack', '--url', url);
    vi.unstubAllEnvs();
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      `prism: missing API key: pass --api-key or set PRISM_API_KEY\n\n${CONNECT_USAGE}`,
    );
  });

  it('reports a key the server refuses without printing it', async () => {
    const wrongKey = generateApiKeySecret();
    const run = await runCli('connect', 'slack', '--url', url, '--api-key', wrongKey);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^prism: connect: .+ \[\w+\]\n {2}hint: Pass a current API key of this server with --api-key or PRISM_API_KEY; .+\n$/,
    );
    expect(run.stderr).not.toContain(wrongKey);
  });

  it('prints its usage, and refuses an unknown provider or a bad timeout', async () => {
    expect(await runCli('connect', '--help')).toEqual({
      code: 0,
      stdout: CONNECT_USAGE,
      stderr: '',
    });
    const unknown = await runCli('connect', 'dropbox', '--api-key', apiKey);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^prism: unknown provider 'dropbox': use microsoft, salesforce, slack\n\nUsage: prism connect/,
    );
    const timeout = await runCli('connect', 'slack', '--timeout', '0', '--api-key', apiKey);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toMatch(/^prism: --timeout must be a whole number of seconds >= 1\n/);
  });
});
