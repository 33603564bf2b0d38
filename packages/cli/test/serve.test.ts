import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpPrism } from '@prism/sdk';
import { afterAll, describe, expect, it } from 'vitest';
import { killSpawned, type SpawnedPrism, spawnPrism } from './spawn-prism.js';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const sample = join(root, 'examples/documents/phishing-account-takeover.md');
const dataDir = mkdtempSync(join(tmpdir(), 'prism-serve-'));
afterAll(() => {
  killSpawned();
  rmSync(dataDir, { recursive: true, force: true });
});

function startServe(...args: string[]): SpawnedPrism {
  return spawnPrism(['serve', '--port', '0', '--data-dir', dataDir, ...args], {});
}

/** Waits until the server printed its URL (and, on a first start, its key). */
async function listening(served: SpawnedPrism): Promise<{ url: string; key: string | undefined }> {
  for (let waited = 0; waited < 60_000; waited += 100) {
    const url = /listening on (http:\/\/\S+)/.exec(served.stdout())?.[1];
    if (url) return { url, key: /(prism_sk_[A-Za-z0-9]+)/.exec(served.stdout())?.[1] };
    if (served.process.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`prism serve did not start:\n${served.stdout()}\n${served.stderr()}`);
}

// Each start opens the embedded database (a few seconds) in a new process.
describe('prism serve', { timeout: 90_000 }, () => {
  let key = '';
  let documentId = '';

  it('starts on an empty data directory, prints an admin key once, serves the API and stops on SIGTERM', async () => {
    const served = startServe();
    const started = await listening(served);
    expect(served.stdout()).toMatch(/storage: embedded/);
    expect(started.key).toMatch(/^prism_sk_/);
    key = started.key ?? '';

    const prism = new HttpPrism({ baseUrl: started.url, apiKey: key });
    const { document, review, findings } = await prism.reviewFile(sample);
    expect(review.status).toBe('succeeded');
    expect(findings.length).toBeGreaterThan(0);
    documentId = document.id;
    await prism.close();

    served.process.kill('SIGTERM');
    expect(await served.exited).toBe(0);
    expect(served.stdout()).toMatch(/stopping \(SIGTERM\)\nPrism server stopped\n$/);
  });

  it('refuses a second server on the same data directory', async () => {
    const first = startServe();
    await listening(first);
    const second = startServe();
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toMatch(/in use by process \d+\. \[data_dir_in_use\]/);
    first.process.kill('SIGTERM');
    expect(await first.exited).toBe(0);
  });

  it('keeps the records and the key across a restart, and prints no new key', async () => {
    const served = startServe();
    const started = await listening(served);
    expect(started.key).toBeUndefined();
    const prism = new HttpPrism({ baseUrl: started.url, apiKey: key });
    expect((await prism.documents.get(documentId)).id).toBe(documentId);
    await prism.close();
    served.process.kill('SIGTERM');
    expect(await served.exited).toBe(0);
  });
});
