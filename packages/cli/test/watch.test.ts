import { type Connection, HttpPrism, type Watch, type WatchFlows } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SHAREPOINT_USAGE } from '../src/commands/sharepoint.js';
import { WATCH_USAGE } from '../src/commands/watch.js';
import { type ConnectionsServer, startConnectionsServer } from './connections-server.js';
import { runCli } from './run-cli.js';

// Creating an embedded database takes several seconds.
vi.setConfig({ hookTimeout: 60_000 });

const LIBRARY = 'https://contoso.sharepoint.com/sites/qa/Shared%20Documents';

/**
 * Watch flows standing in for SharePoint: they record what they start, stop and prepare; a
 * library's two columns are created by its first preparation only.
 */
function scriptedFlows() {
  const started: Watch[] = [];
  const stopped: string[] = [];
  const prepared = new Set<string>();
  const flows: WatchFlows = {
    async start(watch) {
      started.push(watch);
    },
    async stop(watch) {
      stopped.push(watch.id);
    },
    async prepare(place) {
      const created = !prepared.has(place.target);
      prepared.add(place.target);
      return [
        { name: 'PrismStatus', displayName: 'Prism status', created },
        { name: 'PrismScore', displayName: 'Prism score', created },
      ];
    },
  };
  return { flows, started, stopped };
}

describe('prism watch and prism sharepoint setup', () => {
  const scripted = scriptedFlows();
  let server: ConnectionsServer;
  let prism: HttpPrism;
  let api: string[];

  beforeAll(async () => {
    server = await startConnectionsServer({
      providers: ['microsoft'],
      account: { id: '84bd8158-6d4d-4958-8b9f-9d6445542f95', name: 'contoso.onmicrosoft.com' },
      watchFlows: scripted.flows,
    });
    prism = new HttpPrism({ baseUrl: server.url, apiKey: server.apiKey });
    api = ['--url', server.url, '--api-key', server.apiKey];
  });
  afterAll(async () => {
    await prism?.close();
    await server?.close();
  });

  /** A Microsoft connection of the tenant, approved at the provider. */
  async function connectMicrosoft(): Promise<Connection> {
    const started = await prism.connections.create({ provider: 'microsoft' });
    const state = new URL(started.authorizationUrl).searchParams.get('state') ?? '';
    const page = await fetch(
      `${server.url}/oauth/microsoft/callback?${new URLSearchParams({ state, code: 'c' })}`,
    );
    expect(page.status).toBe(200);
    return prism.connections.get(started.connection.id);
  }

  it('says to connect Microsoft first when the tenant has no connection', async () => {
    for (const argv of [
      ['watch', 'sharepoint', LIBRARY],
      ['sharepoint', 'setup', LIBRARY],
    ]) {
      const { code, stdout, stderr } = await runCli(...argv, ...api);
      expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
      expect(stderr).toContain('no active microsoft connection. [connection_missing]');
      expect(stderr).toContain("hint: Run 'prism connect microsoft' first");
    }
    expect(scripted.started).toEqual([]);
  });

  it('sets a library up through the one Microsoft connection, creating columns only once', async () => {
    const connection = await connectMicrosoft();

    const first = await runCli('sharepoint', 'setup', LIBRARY, ...api);
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(first.stdout).toBe(
      [
        `Prepared ${LIBRARY} through connection ${connection.id}`,
        'COLUMN       SHOWN AS      STATE',
        'PrismStatus  Prism status  created',
        'PrismScore   Prism score   created',
        'Created 2 of the 2 Prism columns.',
        '',
      ].join('\n'),
    );

    const again = await runCli('sharepoint', 'setup', LIBRARY, '--json', ...api);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toEqual({
      connectionId: connection.id,
      kind: 'sharepoint',
      target: LIBRARY,
      resultFields: [
        { name: 'PrismStatus', displayName: 'Prism status', created: false },
        { name: 'PrismScore', displayName: 'Prism score', created: false },
      ],
    });
    const plain = await runCli('sharepoint', 'setup', LIBRARY, ...api);
    expect(plain.stdout).toContain('nothing was changed');
    expect(scripted.started).toEqual([]);
  });

  it('watches a library with the file types and results folder given', async () => {
    const { code, stdout, stderr } = await runCli(
      'watch',
      'sharepoint',
      LIBRARY,
      '--types',
      'docx, .PDF',
      '--results-folder',
      'Prism reviews',
      ...api,
    );
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const [watch] = scripted.started.splice(0);
    expect(watch).toMatchObject({
      kind: 'sharepoint',
      target: LIBRARY,
      fileTypes: ['docx', 'pdf'],
      resultsFolder: 'Prism reviews',
    });
    expect(stdout).toContain(`Watching ${LIBRARY} (${watch?.id}) through connection`);
    expect(stdout).toContain('reviews:         docx, pdf, with hawkeye-20 and rules');
    expect(stdout).toContain("reviewed .docx copies into the folder 'Prism reviews'");

    const listed = await runCli('watch', 'list', ...api);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]?.split(/ {2,}/)).toEqual([
      'ID',
      'KIND',
      'STATUS',
      'TYPES',
      'LAST RUN',
      'TARGET',
    ]);
    expect(listed.stdout).toMatch(
      new RegExp(`^${watch?.id} +sharepoint +active +docx,pdf +- +${LIBRARY}$`, 'm'),
    );

    // What the server's background work records when the watch's runs fail.
    await server.store.watches.update('tenant-a', watch?.id ?? '', (current) => ({
      ...current,
      status: 'error',
      lastRunAt: '2026-11-29T10:00:00.000Z',
      lastError: {
        code: 'connection_not_active',
        message: 'Connection con_1 is needs_reauth, not active.',
        hint: "Run 'prism connect microsoft --connection con_1'.",
        at: '2026-11-29T11:00:00.000Z',
      },
    }));
    const failing = await runCli('watch', 'list', ...api);
    expect(failing.stdout).toMatch(
      new RegExp(`^${watch?.id} +sharepoint +error +docx,pdf +2026-11-29T10:00:00.000Z +`, 'm'),
    );
    expect(failing.stdout).toContain(
      `\n${watch?.id} failed at 2026-11-29T11:00:00.000Z: Connection con_1 is needs_reauth, not active. [connection_not_active]\n  hint: Run 'prism connect microsoft --connection con_1'.\n`,
    );
    const json = await runCli('watch', '--json', ...api);
    expect((JSON.parse(json.stdout) as Watch[]).map((row) => row.id)).toEqual([watch?.id]);

    const deleted = await runCli('watch', 'delete', watch?.id ?? '', ...api);
    expect(deleted).toEqual({
      code: 0,
      stdout: `Stopped watch ${watch?.id}; its past reviews are kept\n`,
      stderr: '',
    });
    expect(scripted.stopped).toEqual([watch?.id]);
    expect((await runCli('watch', 'list', ...api)).stdout).toBe(
      "No watches; 'prism watch sharepoint <url>' makes one\n",
    );
  });

  it("refuses file types Prism does not read, and a watch that doesn't exist", async () => {
    const types = await runCli('watch', 'sharepoint', LIBRARY, '--types', 'docx,doc', ...api);
    expect(types.code).toBe(1);
    expect(types.stderr).toContain("Prism does not read 'doc' files. [file_type_not_supported]");
    expect(types.stderr).toContain('hint: Give extensions of the formats Prism reads');

    const missing = await runCli('watch', 'delete', 'wat_missing', ...api);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('[not_found]');
    expect(scripted.started).toEqual([]);
  });

  it('asks which connection to use when the tenant has several', async () => {
    const second = await connectMicrosoft();
    const { code, stderr } = await runCli('watch', 'sharepoint', LIBRARY, ...api);
    expect(code).toBe(1);
    expect(stderr).toMatch(/has 2 active microsoft connections: con_\w+ \(contoso/);
    expect(stderr).toContain('[connection_ambiguous]');
    expect(stderr).toContain('hint: Pass --connection <id> to choose one.');

    const chosen = await runCli('watch', 'sharepoint', LIBRARY, '--connection', second.id, ...api);
    expect(chosen.code).toBe(0);
    expect(scripted.started.splice(0).map((watch) => watch.connectionId)).toEqual([second.id]);
  });

  it('reports usage mistakes with the usage, exit code 2', async () => {
    const mistakes: Array<[string[], string, string]> = [
      [['watch', 'sharepoint'], 'missing the address of the library or folder', WATCH_USAGE],
      [['watch', 'delete'], 'missing the id of the watch to delete', WATCH_USAGE],
      [['watch', 'list', '--types', 'docx'], "--types is only for 'watch sharepoint'", WATCH_USAGE],
      [
        ['watch', 'sharepoint', LIBRARY, '--types', ' , '],
        '--types must name at least one',
        WATCH_USAGE,
      ],
      [['watch', 'pause'], "unknown watch command 'pause'", WATCH_USAGE],
      [['sharepoint'], 'missing sharepoint command (setup)', SHAREPOINT_USAGE],
      [['sharepoint', 'setup'], 'missing the address of the library or folder', SHAREPOINT_USAGE],
      [['sharepoint', 'setup', LIBRARY, 'extra'], "unexpected argument 'extra'", SHAREPOINT_USAGE],
    ];
    for (const [argv, message, usage] of mistakes) {
      const { code, stdout, stderr } = await runCli(...argv, ...api);
      expect({ argv, code, stdout }).toEqual({ argv, code: 2, stdout: '' });
      expect(stderr).toContain(`prism: ${message}`);
      expect(stderr.endsWith(usage)).toBe(true);
    }
    expect((await runCli('watch', '--help')).stdout).toBe(WATCH_USAGE);
    expect((await runCli('help', 'sharepoint')).stdout).toBe(SHAREPOINT_USAGE);
  });
});
