import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Document } from '@prism/sdk';
import { describeStoreContract } from '@prism/sdk/contract';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { migrate } from '../../src/store/migrate.js';
import { openStore } from '../../src/store/open-store.js';
import { openPgliteClient } from '../../src/store/pglite-client.js';
import { SqlStore } from '../../src/store/sql-store.js';

// Creating an embedded database runs initdb, which takes seconds on a busy machine.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 30_000 });

describe('SqlStore on PGlite in a directory', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'prism-store-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  describeStoreContract('SqlStore on PGlite in a directory', () => openStore({ dataDir }));

  it('keeps records when reopened, without applying the migrations again', async () => {
    const document: Document = {
      id: 'doc_kept',
      tenantId: 't_kept',
      source: { kind: 'upload', ref: null, url: null, connectionId: null },
      filename: 'kept.md',
      mediaType: 'text/markdown',
      sizeBytes: 6,
      sha256: '0'.repeat(64),
      title: 'Kept',
      sections: [],
      metadata: { team: 'ops' },
      createdAt: '2026-11-01T00:00:00.000Z',
    };
    const first = await openStore({ dataDir });
    await first.documents.insert(document);
    await first.contents.put('t_kept', 'doc_kept', new Uint8Array([1, 2, 3]));
    await first.close();

    const client = await openPgliteClient(dataDir);
    expect(await migrate(client)).toEqual([]);
    const reopened = new SqlStore(client);
    try {
      expect(await reopened.documents.get('t_kept', 'doc_kept')).toEqual(document);
      expect(await reopened.contents.get('t_kept', 'doc_kept')).toEqual(new Uint8Array([1, 2, 3]));
    } finally {
      await reopened.close();
    }
  });
});
