import { describe, expect, it } from 'vitest';
import {
  createModelProvider,
  MemoryModelAnswerCache,
  modelAnswerKey,
  PROMPT_VERSION,
} from '../../../src/engine/providers/model/index.js';
import { CLEAN_ROOT_CAUSE, contextOf, documentOf, HAWKEYE, sectionOf } from './fixture.js';
import { findingsAnswer, rawFinding, ScriptedModelClient } from './scripted-client.js';

const DOCUMENT = documentOf([
  ['Summary', 'Card payments failed for 41 minutes; service is restored.'],
  ['Root cause', CLEAN_ROOT_CAUSE],
]);
const SECTION = sectionOf(DOCUMENT, 1);

describe('the model answer cache', () => {
  it('answers an unchanged section again without calling the model', async () => {
    const answers = new MemoryModelAnswerCache();
    const first = new ScriptedModelClient([findingsAnswer([rawFinding()])]);
    const fresh = await createModelProvider(first, { answers }).reviewSection(
      SECTION,
      contextOf(DOCUMENT),
    );

    const second = new ScriptedModelClient([]);
    const again = await createModelProvider(second, { answers }).reviewSection(
      SECTION,
      contextOf(DOCUMENT),
    );
    expect(second.requests).toEqual([]);
    expect(again.findings).toEqual(fresh.findings);
    expect(again.usage).toBeUndefined();
    expect(fresh.usage).toEqual({ inputTokens: 1000, outputTokens: 100 });
  });

  it('keeps the document-level answer apart from the sections', async () => {
    const answers = new MemoryModelAnswerCache();
    const client = new ScriptedModelClient([findingsAnswer([]), findingsAnswer([])]);
    const provider = createModelProvider(client, { answers });
    await provider.reviewDocument(contextOf(DOCUMENT));
    await provider.reviewDocument(contextOf(DOCUMENT));
    await provider.reviewSection(SECTION, contextOf(DOCUMENT));
    expect(client.requests).toHaveLength(2);
    expect(answers.size).toBe(2);
  });

  it('asks again when the text, the model or the framework version changed', async () => {
    const answers = new MemoryModelAnswerCache();
    const edited = documentOf([
      ['Summary', 'Card payments failed for 41 minutes; service is restored.'],
      ['Root cause', `${CLEAN_ROOT_CAUSE} It was not renewed.`],
    ]);
    const client = new ScriptedModelClient([findingsAnswer([]), findingsAnswer([])]);
    const provider = createModelProvider(client, { answers });
    await provider.reviewSection(SECTION, contextOf(DOCUMENT));
    await provider.reviewSection(sectionOf(edited, 1), contextOf(edited));
    expect(client.requests).toHaveLength(2);

    const key = modelAnswerKey('bedrock:a', HAWKEYE, SECTION);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(modelAnswerKey('bedrock:a', HAWKEYE, { ...SECTION })).toBe(key);
    expect(modelAnswerKey('bedrock:b', HAWKEYE, SECTION)).not.toBe(key);
    expect(modelAnswerKey('bedrock:a', { id: HAWKEYE.id, version: '1.0.1' }, SECTION)).not.toBe(
      key,
    );
    expect(modelAnswerKey('bedrock:a', HAWKEYE, { ...SECTION, index: 0 })).not.toBe(key);
    expect(modelAnswerKey('bedrock:a', HAWKEYE, { ...SECTION, heading: 'Cause' })).not.toBe(key);
    expect(modelAnswerKey('bedrock:a', HAWKEYE, DOCUMENT)).not.toBe(key);
    expect(PROMPT_VERSION).not.toBe('');
  });

  it('does not keep degraded answers', async () => {
    const answers = new MemoryModelAnswerCache();
    const invalid = findingsAnswer([rawFinding({ category: 'Not Kebab' })]);
    const client = new ScriptedModelClient([invalid, invalid, findingsAnswer([rawFinding()])]);
    const provider = createModelProvider(client, { answers });
    const degraded = await provider.reviewSection(SECTION, contextOf(DOCUMENT));
    expect(degraded.degraded).toContain('findings[0].category: must be kebab-case');
    expect(answers.size).toBe(0);

    const retried = await provider.reviewSection(SECTION, contextOf(DOCUMENT));
    expect(client.requests).toHaveLength(3);
    expect(retried.degraded).toBeUndefined();
    expect(retried.findings).toHaveLength(1);
    expect(answers.size).toBe(1);
  });

  it('keeps only the most recently used answers', async () => {
    const answers = new MemoryModelAnswerCache(1);
    await answers.set('a', { findings: [] });
    await answers.set('b', { findings: [] });
    expect(await answers.get('a')).toBeUndefined();
    expect(await answers.get('b')).toEqual({ findings: [] });
    expect(() => new MemoryModelAnswerCache(0)).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});
