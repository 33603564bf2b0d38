import { describe, expect, it } from 'vitest';
import {
  type Connection,
  MemoryStore,
  NotSupportedLocallyError,
  Prism,
  type Watch,
  type WatchFlows,
} from '../../src/index.js';

const AT = '2026-11-29T12:00:00.000Z';

function connection(overrides: Partial<Connection> = {}): Connection {
  return {
    id: 'con_ms',
    tenantId: 'local',
    provider: 'microsoft',
    status: 'active',
    account: { id: 'tid-1', name: 'contoso.com' },
    scopes: ['Files.ReadWrite.All'],
    expiresAt: null,
    createdAt: AT,
    updatedAt: AT,
    ...overrides,
  };
}

/** Watch flows that record what they were asked, refusing targets that contain `refuse`. */
function recordingFlows() {
  const started: Array<{ watch: Watch; connection: Connection }> = [];
  const stopped: Watch[] = [];
  const flows: WatchFlows = {
    async start(watch, connection) {
      if (watch.target.includes('refuse')) throw new Error('The library could not be found.');
      started.push({ watch, connection });
    },
    async stop(watch) {
      stopped.push(watch);
    },
  };
  return { flows, started, stopped };
}

async function prismWith(flows: WatchFlows | undefined, connections: Connection[] = []) {
  const store = new MemoryStore();
  for (const row of connections) await store.connections.insert(row);
  return { prism: Prism.local({ store, ...(flows ? { watchFlows: flows } : {}) }), store };
}

const TARGET = 'https://contoso.sharepoint.com/sites/qa/Shared%20Documents/Investigations';

describe('prism.watches with the server side of watches', () => {
  it('creates a watch, started through its connection, and stops it on delete', async () => {
    const { flows, started, stopped } = recordingFlows();
    const { prism } = await prismWith(flows, [connection()]);
    const watch = await prism.watches.create({
      connectionId: 'con_ms',
      kind: 'sharepoint',
      target: TARGET,
      fileTypes: ['docx', 'pdf'],
    });
    expect(watch).toMatchObject({
      connectionId: 'con_ms',
      kind: 'sharepoint',
      target: TARGET,
      fileTypes: ['docx', 'pdf'],
      framework: 'hawkeye-20',
      model: 'rules',
      status: 'active',
    });
    expect(started.map((call) => [call.watch.id, call.connection.id])).toEqual([
      [watch.id, 'con_ms'],
    ]);
    expect((await prism.watches.list()).data.map((row) => row.id)).toEqual([watch.id]);

    await prism.watches.delete(watch.id);
    expect(stopped.map((row) => row.id)).toEqual([watch.id]);
    await expect(prism.watches.get(watch.id)).rejects.toMatchObject({ status: 404 });
    await prism.close();
  });

  it('refuses a connection that is unknown, of another platform, or not active', async () => {
    const { flows, started } = recordingFlows();
    const { prism } = await prismWith(flows, [
      connection({ id: 'con_slack', provider: 'slack' }),
      connection({ id: 'con_stale', status: 'needs_reauth' }),
    ]);
    const create = (connectionId: string) =>
      prism.watches.create({ connectionId, kind: 'sharepoint', target: TARGET });
    await expect(create('con_none')).rejects.toMatchObject({ status: 404 });
    await expect(create('con_slack')).rejects.toMatchObject({
      status: 409,
      code: 'connection_mismatch',
      message: expect.stringContaining('needs a microsoft connection'),
    });
    await expect(create('con_stale')).rejects.toMatchObject({
      status: 409,
      code: 'connection_not_active',
    });
    expect(started).toEqual([]);
    expect((await prism.watches.list()).data).toEqual([]);
    await prism.close();
  });

  it('keeps nothing when the server cannot start watching', async () => {
    const { flows } = recordingFlows();
    const { prism } = await prismWith(flows, [connection()]);
    await expect(
      prism.watches.create({
        connectionId: 'con_ms',
        kind: 'sharepoint',
        target: `${TARGET}/refuse`,
      }),
    ).rejects.toThrow('The library could not be found.');
    expect((await prism.watches.list()).data).toEqual([]);
    await prism.close();
  });

  it('is not supported in-process without it', async () => {
    const { prism } = await prismWith(undefined, [connection()]);
    await expect(
      prism.watches.create({ connectionId: 'con_ms', kind: 'sharepoint', target: TARGET }),
    ).rejects.toBeInstanceOf(NotSupportedLocallyError);
    await prism.close();
  });
});
