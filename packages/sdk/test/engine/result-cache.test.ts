import { describe, expect, it } from 'vitest';
import { documentContentHash, MemoryResultCache, reviewCacheKey } from '../../src/engine/cache.js';
import { startReview } from '../../src/engine/orchestrator.js';
import { documentOf, FakeProvider, finding, framework } from './review-fixtures.js';

describe('reviewCacheKey', () => {
  const document = documentOf(3);
  const key = reviewCacheKey(document, framework, 'rules');

  it('is the same for the same content, framework version and provider', () => {
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(reviewCacheKey(documentOf(3), framework, 'rules')).toBe(key);
  });

  it('changes with the text, the framework version or the provider model', () => {
    const edited = {
      ...document,
      sections: document.sections.map((section) =>
        section.index === 1 ? { ...section, text: 'Paragraph 2: 3 of 12 hosts failed.' } : section,
      ),
    };
    expect(reviewCacheKey(edited, framework, 'rules')).not.toBe(key);
    expect(reviewCacheKey(document, { ...framework, version: '1.1.0' }, 'rules')).not.toBe(key);
    expect(reviewCacheKey(document, framework, 'bedrock:model-a')).not.toBe(
      reviewCacheKey(document, framework, 'bedrock:model-b'),
    );
  });

  it('changes when text moves across a section boundary', () => {
    const original = documentOf(2);
    const joined = original.sections.map((section) => section.text).join(' ');
    const moved = {
      ...original,
      sections: original.sections.map((section) => ({
        ...section,
        text: section.index === 0 ? joined : '',
      })),
    };
    expect(documentContentHash(moved)).not.toBe(documentContentHash(original));
  });
});

describe('MemoryResultCache', () => {
  it('keeps only the most recently used entries', async () => {
    const cache = new MemoryResultCache(2);
    await cache.set('a', { findings: [finding({ title: 'A' })] });
    await cache.set('b', { findings: [] });
    await cache.get('a');
    await cache.set('c', { findings: [] });

    expect(cache.size).toBe(2);
    expect(await cache.get('b')).toBeUndefined();
    expect((await cache.get('a'))?.findings[0]?.title).toBe('A');
    expect(await cache.get('c')).toEqual({ findings: [] });
  });

  it('does not let callers change what it stores', async () => {
    const cache = new MemoryResultCache();
    const original = finding({ title: 'Original' });
    await cache.set('k', { findings: [original] });
    original.title = 'Changed';
    const read = await cache.get('k');
    read?.findings.splice(0);
    expect((await cache.get('k'))?.findings.map((f) => f.title)).toEqual(['Original']);
  });

  it('refuses a size below one', () => {
    expect(() => new MemoryResultCache(0)).toThrow(
      expect.objectContaining({ code: 'invalid_argument' }),
    );
  });
});

describe('a review with a cache', () => {
  it('answers a repeated review from the cache without calling the provider', async () => {
    const cache = new MemoryResultCache();
    const document = documentOf(5, 'Report with missing root cause');
    const first = await startReview({
      document,
      framework,
      provider: new FakeProvider(),
      cache,
    }).done();

    const provider = new FakeProvider();
    const run = startReview({
      document: documentOf(5, 'Report with missing root cause'),
      framework,
      provider,
      cache,
    });
    const completed: boolean[] = [];
    run.on('completed', ({ result }) => completed.push(result.cached));
    const second = await run.done();

    expect(provider.sectionCalls).toEqual([]);
    expect(provider.documentCalls).toBe(0);
    expect(completed).toEqual([true]);
    expect(second.cached).toBe(true);
    expect(second.usage).toEqual({ inputTokens: 0, outputTokens: 0 });
    expect(second.findings).toEqual(first.findings);
    expect(second.summary).toEqual(first.summary);
  });

  it('reviews again for another provider model', async () => {
    const cache = new MemoryResultCache();
    const document = documentOf(2);
    await startReview({ document, framework, provider: new FakeProvider(), cache }).done();

    const other = new FakeProvider({ id: 'fake:other-model' });
    const result = await startReview({ document, framework, provider: other, cache }).done();
    expect(other.sectionCalls).toHaveLength(2);
    expect(result.cached).toBe(false);
  });

  it('applies current preferences to a cached review', async () => {
    const cache = new MemoryResultCache();
    const document = documentOf(2);
    await startReview({ document, framework, provider: new FakeProvider(), cache }).done();

    const result = await startReview({
      document,
      framework,
      provider: new FakeProvider(),
      cache,
      preferences: [{ frameworkItem: 20, category: 'vague-quantifier', accepted: 0, rejected: 6 }],
    }).done();
    expect(result.cached).toBe(true);
    const vague = result.findings.filter((f) => f.category === 'vague-quantifier');
    expect(vague.map((f) => f.severity)).toEqual(['info', 'info']);
    expect(vague.every((f) => f.adjustment?.originalSeverity === 'minor')).toBe(true);
  });

  it('stores nothing when the review fails', async () => {
    const cache = new MemoryResultCache();
    const failing = new FakeProvider({ failures: new Map([[1, new Error('boom')]]) });
    await expect(
      startReview({ document: documentOf(3), framework, provider: failing, cache }).done(),
    ).rejects.toThrow('boom');
    expect(cache.size).toBe(0);
  });
});
