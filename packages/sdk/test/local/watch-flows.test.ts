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

/**
 * Watch flows that record what they were asked, refusing targets that contain `refuse`; the
 * first preparation creates the one result field, later ones find it.
 */
function recordingFlows() {
  const started: Array<{ watch: Watch; connection: Connection }> = [];
  const stopped: Watch[] = [];
  const prepared: string[] = [];
  const flows: WatchFlows = {
    async start(watch, connection) {
      if (watch.target.includes('refuse')) throw new Error('The library could not be found.');
      started.push({ watch, connection });
    },
    async stop(watch) {
      stopped.push(watch);
    },
    async prepare(place, connection) {
      if (place.target.includes('refuse')) throw new Error('The library could not be found.');
      prepared.push(`${place.kind} ${place.target} via ${connection.id}`);
      return [{ name: 'PrismStatus', displayName: 'Prism status', created: prepared.length === 1 }];
    },
  };
  return { flows, started, stopped, prepared };
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
      resultsFolder: 'Prism reviews',
    });
    expect(watch).toMatchObject({
      connectionId: 'con_ms',
      kind: 'sharepoint',
      target: TARGET,
      fileTypes: ['docx', 'pdf'],
      framework: 'hawkeye-20',
      model: 'rules',
      resultsFolder: 'Prism reviews',
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
    const { flows, started, prepared } = recordingFlows();
    const { prism } = await prismWith(flows, [
      connection({ id: 'con_slack', provider: 'slack' }),
      connection({ id: 'con_stale', status: 'needs_reauth' }),
    ]);
    for (const call of [
      (connectionId: string) =>
        prism.watches.create({ connectionId, kind: 'sharepoint', target: TARGET }),
      (connectionId: string) =>
        prism.watches.prepare({ connectionId, kind: 'sharepoint', target: TARGET }),
    ]) {
      await expect(call('con_none')).rejects.toMatchObject({ status: 404 });
      await expect(call('con_slack')).rejects.toMatchObject({
        status: 409,
        code: 'connection_mismatch',
        message: expect.stringContaining('needs a microsoft connection'),
      });
      await expect(call('con_stale')).rejects.toMatchObject({
        status: 409,
        code: 'connection_not_active',
      });
    }
    expect(started).toEqual([]);
    expect(prepared).toEqual([]);
    expect((await prism.watches.list()).data).toEqual([]);
    await prism.close();
  });

  it('prepares a place without watching it, and records that in the audit log', async () => {
    const { flows, started, prepared } = recordingFlows();
    const { prism } = await prismWith(flows, [connection()]);
    const place = { connectionId: 'con_ms', kind: 'sharepoint', target: TARGET } as const;

    expect(await prism.watches.prepare(place)).toEqual({
      ...place,
      resultFields: [{ name: 'PrismStatus', displayName: 'Prism status', created: true }],
    });
    const again = await prism.watches.prepare(place);
    expect(again.resultFields.map((field) => field.created)).toEqual([false]);

    expect(prepared).toEqual([
      `sharepoint ${TARGET} via con_ms`,
      `sharepoint ${TARGET} via con_ms`,
    ]);
    expect(started).toEqual([]);
    expect((await prism.watches.list()).data).toEqual([]);
    const audit = await prism.audit.list({ action: 'watch.prepared' }).toArray();
    expect(audit.map((event) => event.details)).toEqual([
      { kind: 'sharepoint', target: TARGET, created: ['PrismStatus'] },
      { kind: 'sharepoint', target: TARGET, created: [] },
    ]);
    await expect(prism.watches.prepare({ ...place, target: `${TARGET}/refuse` })).rejects.toThrow(
      'The library could not be found.',
    );
    await prism.close();
  });

  it('keeps file types as extensions, and refuses types Prism does not read', async () => {
    const { flows, started } = recordingFlows();
    const { prism } = await prismWith(flows, [connection()]);
    const place = { connectionId: 'con_ms', kind: 'sharepoint', target: TARGET } as const;

    const watch = await prism.watches.create({ ...place, fileTypes: ['.DOCX', 'pdf', 'docx'] });
    expect(watch.fileTypes).toEqual(['docx', 'pdf']);

    await expect(
      prism.watches.create({ ...place, fileTypes: ['docx', 'doc', 'xlsx'] }),
    ).rejects.toMatchObject({
      status: 422,
      code: 'file_type_not_supported',
      message: expect.stringContaining("'doc', 'xlsx'"),
      hint: expect.stringContaining('.docx, .pdf'),
    });
    expect(started).toHaveLength(1);
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
    const place = { connectionId: 'con_ms', kind: 'sharepoint', target: TARGET } as const;
    await expect(prism.watches.create(place)).rejects.toBeInstanceOf(NotSupportedLocallyError);
    await expect(prism.watches.prepare(place)).rejects.toBeInstanceOf(NotSupportedLocallyError);
    await prism.close();
  });
});
