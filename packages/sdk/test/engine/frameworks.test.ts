import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FrameworkError, UnknownFrameworkError } from '../../src/engine/errors.js';
import {
  builtInFrameworks,
  getBuiltInFramework,
  loadFramework,
} from '../../src/engine/frameworks/load.js';
import { FrameworkSchema } from '../../src/schema/index.js';

import { SHARED } from './shared-files.js';

const HAWKEYE_MD = join(SHARED, 'frameworks/hawkeye-20.md');

function tempFile(name: string, content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'prism-framework-')), name);
  writeFileSync(path, content);
  return path;
}

const custom = {
  id: 'vendor-review',
  version: '2.1.0',
  name: 'Vendor review',
  items: [
    { number: 1, key: 'owner', title: 'Owner', checks: 'names an owner', defaultSeverity: 'major' },
    { number: 2, key: 'risk', title: 'Risk', checks: 'rates the risk', defaultSeverity: 'minor' },
  ],
};

function problems(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(FrameworkError);
    return (error as FrameworkError).message;
  }
  throw new Error('expected a FrameworkError');
}

describe('the built-in Hawkeye framework', () => {
  const hawkeye = getBuiltInFramework('hawkeye-20');

  it('is valid against the Framework schema, built in, at version 1.0.0', () => {
    expect(FrameworkSchema.parse(hawkeye)).toEqual(hawkeye);
    expect(hawkeye).toMatchObject({ id: 'hawkeye-20', version: '1.0.0', builtIn: true });
  });

  it('has the 20 items of the shared definition, with their numbers, keys, titles and checks', () => {
    const rows = readFileSync(HAWKEYE_MD, 'utf8')
      .split('\n')
      .map((line) => /^\| (\d+) \| ([a-z-]+) \| (.+?) \| (.+?) \|$/.exec(line))
      .filter((match) => match !== null)
      .map(([, number, key, title, checks]) => ({ number: Number(number), key, title, checks }));
    expect(rows).toHaveLength(20);
    expect(
      hawkeye.items.map(({ number, key, title, checks }) => ({ number, key, title, checks })),
    ).toEqual(rows);
  });

  it('makes missing root cause, actions and impact critical and every other item major', () => {
    const critical = hawkeye.items.filter((item) => item.defaultSeverity === 'critical');
    expect(critical.map((item) => item.key).sort()).toEqual(['actions', 'impact', 'root-cause']);
    expect(
      hawkeye.items.every((item) => ['critical', 'major'].includes(item.defaultSeverity)),
    ).toBe(true);
  });

  it('is found by id or by id@version', () => {
    expect(getBuiltInFramework('hawkeye-20@1.0.0')).toBe(hawkeye);
    expect(builtInFrameworks).toContain(hawkeye);
  });

  it('refuses an unknown id or version with a typed error listing the known ids', () => {
    for (const id of ['hawkeye-21', 'hawkeye-20@9.9.9']) {
      const error = (() => {
        try {
          getBuiltInFramework(id);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error).toBeInstanceOf(UnknownFrameworkError);
      expect(error).toMatchObject({ code: 'unknown_framework', knownIds: ['hawkeye-20@1.0.0'] });
      expect((error as Error).message).toContain('hawkeye-20@1.0.0');
    }
  });
});

describe('loading a framework', () => {
  it('reads a JSON file, filling in builtIn, description and createdAt', () => {
    const framework = loadFramework(tempFile('vendor.json', JSON.stringify(custom)));
    expect(framework).toMatchObject({ ...custom, builtIn: false, description: '' });
    expect(FrameworkSchema.safeParse(framework).success).toBe(true);
  });

  it('reads a YAML file', () => {
    const yaml = [
      'id: vendor-review',
      'version: 2.1.0',
      'name: Vendor review',
      'description: Checks a vendor file',
      'items:',
      '  - { number: 1, key: owner, title: Owner, checks: names an owner, defaultSeverity: major }',
    ].join('\n');
    const framework = loadFramework(tempFile('vendor.yaml', yaml));
    expect(framework.items).toEqual([
      {
        number: 1,
        key: 'owner',
        title: 'Owner',
        checks: 'names an owner',
        defaultSeverity: 'major',
      },
    ]);
    expect(framework.description).toBe('Checks a vendor file');
  });

  it('accepts an already parsed object', () => {
    expect(loadFramework(custom).id).toBe('vendor-review');
  });

  it('names every bad field by its path, with a hint', () => {
    const bad = {
      ...custom,
      version: 'two',
      items: [
        { ...custom.items[0], defaultSeverity: 'high' },
        { number: 2, key: 'Risk Level', checks: 'x', defaultSeverity: 'minor', colour: 'red' },
      ],
    };
    const path = tempFile('bad.json', JSON.stringify(bad));
    let error: unknown;
    try {
      loadFramework(path);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(FrameworkError);
    const { message, hint, code } = error as FrameworkError;
    expect(code).toBe('invalid_framework');
    expect(message).toContain(path);
    expect(message).toContain('version: must be a version like 1.0.0');
    expect(message).toContain(
      'items[0].defaultSeverity: expected one of critical|major|minor|info',
    );
    expect(message).toContain('items[1].key: must be kebab-case');
    expect(message).toContain('items[1].title: required');
    expect(message).toContain('items[1].colour: unknown field');
    expect(hint).toMatch(/defaultSeverity/);
  });

  it('refuses duplicate item numbers and keys', () => {
    const message = problems(() =>
      loadFramework({
        ...custom,
        items: [
          custom.items[0],
          { ...custom.items[1], number: 1 },
          { ...custom.items[1], key: 'owner', number: 3 },
        ],
      }),
    );
    expect(message).toContain('items[1].number: duplicates items[0].number (1)');
    expect(message).toContain('items[2].key: duplicates items[0].key (owner)');
  });

  it('refuses a framework without items', () => {
    expect(problems(() => loadFramework({ ...custom, items: [] }))).toContain('items:');
    expect(problems(() => loadFramework('not an object at all'))).toContain('Cannot read');
  });

  it('reports a file that is not valid JSON or YAML, or cannot be read', () => {
    expect(problems(() => loadFramework(tempFile('broken.json', '{ "id": ')))).toMatch(
      /not valid JSON/,
    );
    expect(problems(() => loadFramework(tempFile('broken.yaml', 'id: [unclosed')))).toMatch(
      /not valid YAML/,
    );
    expect(problems(() => loadFramework(join(tmpdir(), 'prism-no-such-framework.json')))).toMatch(
      /Cannot read/,
    );
  });
});
