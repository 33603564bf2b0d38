import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigSchema, loadConfig } from '../../src/config.js';
import { startServer } from '../../src/start.js';

describe('PRISM_WORKERS and PRISM_JOB_LEASE_SECONDS', () => {
  it('run two review jobs at once, each leased for 30 s, unless set', () => {
    expect(loadConfig({})).toMatchObject({ PRISM_WORKERS: 2, PRISM_JOB_LEASE_SECONDS: 30 });
    expect(loadConfig({ PRISM_WORKERS: '0', PRISM_JOB_LEASE_SECONDS: '5' })).toMatchObject({
      PRISM_WORKERS: 0,
      PRISM_JOB_LEASE_SECONDS: 5,
    });
  });

  it.each([
    [{ PRISM_WORKERS: '-1' }, /^Invalid setting PRISM_WORKERS: /],
    [{ PRISM_WORKERS: 'two' }, /^Invalid setting PRISM_WORKERS: /],
    [{ PRISM_JOB_LEASE_SECONDS: '0' }, /^Invalid setting PRISM_JOB_LEASE_SECONDS: /],
  ])('refuse %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(
      expect.objectContaining({ code: 'invalid_config', message: expect.stringMatching(message) }),
    );
  });

  it('a server with PRISM_WORKERS=0 and the embedded database does not start', async () => {
    const dataDir = join(tmpdir(), `prism-workers-${process.pid}-${Date.now()}`);
    await expect(
      startServer(ConfigSchema.parse({ PORT: 0, PRISM_DATA_DIR: dataDir, PRISM_WORKERS: 0 })),
    ).rejects.toMatchObject({
      code: 'invalid_config',
      message: expect.stringMatching(/^Invalid setting PRISM_WORKERS: 0 .+ need DATABASE_URL\.$/),
    });
    expect(existsSync(dataDir)).toBe(false);
  });
});
