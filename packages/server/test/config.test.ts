import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';

const dir = mkdtempSync(join(tmpdir(), 'prism-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('has a default for every setting a first start needs', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      PRISM_DATA_DIR: './.prism',
      DATABASE_POOL_SIZE: 10,
      PRISM_LOG_LEVEL: 'info',
      PRISM_CORS_ORIGINS: [],
      PRISM_RATE_LIMIT_PER_MINUTE: 600,
      PRISM_WEBHOOK_DISABLE_AFTER: 5,
      PRISM_REDIS_PREFIX: 'prism',
    });
    expect(loadConfig({}).PRISM_WEBHOOK_RETRY_SECONDS).toBeUndefined();
    expect(
      loadConfig({ PRISM_WEBHOOK_RETRY_SECONDS: '1, 2.5,60' }).PRISM_WEBHOOK_RETRY_SECONDS,
    ).toEqual([1000, 2500, 60_000]);
    expect(loadConfig({}).DATABASE_URL).toBeUndefined();
    expect(loadConfig({}).PRISM_MODEL).toBe('rules');
    expect(
      loadConfig({
        PRISM_MODEL:
          'bedrock:anthropic.claude-3-5-haiku-20241022-v1:0,openai-compatible:gpt-4o,rules',
        PRISM_MODEL_PRICES: '{"*gpt-4o":{"inputPerMillion":2,"outputPerMillion":8}}',
      }),
    ).toMatchObject({
      PRISM_MODEL:
        'bedrock:anthropic.claude-3-5-haiku-20241022-v1:0,openai-compatible:gpt-4o,rules',
      PRISM_MODEL_PRICES: { '*gpt-4o': { inputPerMillion: 2, outputPerMillion: 8 } },
    });
  });

  it('reads the environment by the settings names, ignoring other variables and empty ones', () => {
    const config = loadConfig({
      PORT: '9000',
      DATABASE_URL: 'postgres://prism@db:5432/prism',
      PRISM_CORS_ORIGINS: 'https://a.example, https://b.example',
      HOME: '/root',
      REDIS_URL: '',
    });
    expect(config).toMatchObject({
      PORT: 9000,
      DATABASE_URL: 'postgres://prism@db:5432/prism',
      PRISM_CORS_ORIGINS: ['https://a.example', 'https://b.example'],
    });
    expect(config.REDIS_URL).toBeUndefined();
  });

  it('takes a JSON file of settings, the environment winning', () => {
    const path = file('prism.json', JSON.stringify({ PORT: 7000, PRISM_LOG_LEVEL: 'debug' }));
    expect(loadConfig({ PORT: '7001' }, path)).toMatchObject({
      PORT: 7001,
      PRISM_LOG_LEVEL: 'debug',
    });
  });

  it.each([
    [{ PORT: 'eighty' }, undefined, /^Invalid setting PORT: /],
    [{ PORT: '70000' }, undefined, /^Invalid setting PORT: /],
    [
      { PRISM_WEBHOOK_RETRY_SECONDS: '5s,1m' },
      undefined,
      /^Invalid setting PRISM_WEBHOOK_RETRY_SECONDS: /,
    ],
    [{ DATABASE_URL: 'mysql://x' }, undefined, /^Invalid setting DATABASE_URL: must be a postgres/],
    [
      { PRISM_BOOTSTRAP_KEY: 'secret' },
      undefined,
      /^Invalid setting PRISM_BOOTSTRAP_KEY: must be prism_sk_/,
    ],
    [{ PRISM_REDIS_PREFIX: 'prism:{x}' }, undefined, /^Invalid setting PRISM_REDIS_PREFIX: /],
    [{ PRISM_MODEL: 'gpt-4o' }, undefined, /^Invalid setting PRISM_MODEL: must be 'rules', /],
    [{ PRISM_MODEL: 'bedrock,openai-compatible' }, undefined, /^Invalid setting PRISM_MODEL: /],
    [{ PRISM_MODEL_PRICES: '{"*x": 1}' }, undefined, /^Invalid setting PRISM_MODEL_PRICES/],
    [
      { PRISM_MODEL_PRICES: '{nope' },
      undefined,
      /^Invalid setting PRISM_MODEL_PRICES: must be a JSON object/,
    ],
    [
      { SLACK_CLIENT_ID: '123.456' },
      undefined,
      /^Invalid setting SLACK_CLIENT_SECRET: is required when SLACK_CLIENT_ID is set/,
    ],
    [{ PRISM_ENCRYPTION_KEYS: 'k1:short' }, undefined, /^Invalid setting PRISM_ENCRYPTION_KEYS: /],
    [{}, 'unknown', /^Invalid setting unknown setting PROT\./],
    [{}, 'broken', /^Cannot read the config file .+broken\.json/],
  ])('stops on a wrong setting with one line naming it (%j %s)', (env, fileKind, message) => {
    const path =
      fileKind === 'unknown'
        ? file('unknown.json', JSON.stringify({ PROT: 8080 }))
        : fileKind === 'broken'
          ? file('broken.json', '{ nope')
          : undefined;
    const error = (() => {
      try {
        loadConfig(env, path);
      } catch (caught) {
        return caught as Error & { code: string; hint: string };
      }
      throw new Error('loadConfig accepted it');
    })();
    expect(error.code).toBe('invalid_config');
    expect(error.message).toMatch(message);
    expect(error.message).not.toContain('\n');
    expect(error.hint).toEqual(expect.any(String));
  });
});
