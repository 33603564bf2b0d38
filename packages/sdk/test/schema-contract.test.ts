import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { componentSchemas } from '../src/index.js';
import { spec, validateWithSpec } from './spec.js';

type ComponentName = keyof typeof componentSchemas;
const specNames = Object.keys(spec.components.schemas).sort();

function zodErrors(name: ComponentName, value: unknown): string {
  const result = componentSchemas[name].safeParse(value);
  return result.success ? '' : z.prettifyError(result.error);
}

function examplesOf(name: string): unknown[] {
  return spec.components.schemas[name]?.examples ?? [];
}

describe('zod schemas and the OpenAPI contract', () => {
  it('define exactly the same components', () => {
    expect(Object.keys(componentSchemas).sort()).toEqual(specNames);
  });

  it.each(specNames)('%s has at least one example in the spec', (name) => {
    expect(examplesOf(name).length).toBeGreaterThan(0);
  });

  it.each(specNames)('%s examples pass both the spec and zod', (name) => {
    for (const example of examplesOf(name)) {
      expect(validateWithSpec(name, example)).toEqual([]);
      expect(zodErrors(name as ComponentName, example)).toBe('');
    }
  });
});

describe('a broken example fails both validators with a readable message', () => {
  const [finding] = examplesOf('Finding') as Record<string, unknown>[];

  it('rejects a severity outside the enum', () => {
    const broken = { ...finding, severity: 'catastrophic' };
    expect(validateWithSpec('Finding', broken)).toContain(
      '/severity must be equal to one of the allowed values (critical, major, minor, info)',
    );
    expect(zodErrors('Finding', broken)).toMatch(
      /expected one of "critical"\|"major"\|"minor"\|"info"\s+→ at severity/,
    );
  });

  it('rejects a missing required field', () => {
    const { quote: _quote, ...broken } = finding ?? {};
    expect(validateWithSpec('Finding', broken)).toContain(
      "(root) must have required property 'quote'",
    );
    expect(zodErrors('Finding', broken)).toMatch(/quote/);
  });

  it('rejects a nested mistake, naming the path', () => {
    const broken = { ...finding, frameworkItems: [{ number: 0, key: 'actions' }] };
    expect(validateWithSpec('Finding', broken)).toContain('/frameworkItems/0/number must be >= 1');
    expect(zodErrors('Finding', broken)).toMatch(/frameworkItems\[0\]\.number/);
  });

  it('rejects unknown fields in request bodies', () => {
    const body = { documentId: 'doc_1', colour: 'blue' };
    expect(validateWithSpec('ReviewCreate', body)).toContain(
      '(root) must NOT have additional properties',
    );
    expect(zodErrors('ReviewCreate', body)).toMatch(/colour/);
  });

  it('rejects a chat request naming both a document and a review', () => {
    const body = { documentId: 'doc_1', reviewId: 'rev_1', question: 'What happened?' };
    expect(validateWithSpec('ChatRequest', body)).toContain(
      '(root) must match exactly one schema in oneOf',
    );
    expect(zodErrors('ChatRequest', body)).toMatch(/exactly one of documentId and reviewId/);
  });
});
