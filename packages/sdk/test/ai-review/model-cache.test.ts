import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/index.js';
import { aiPrism, closeAiPrisms, reviewReport } from './ai-prism.js';
import {
  answeredUsage,
  BEDROCK_MODEL_ID,
  sonnetCostUsd,
  useBedrockModel,
} from './bedrock-model.js';
import { firstSentence, sectionFindingTitle } from './fake-reviewer.js';
import { withSectionText } from './report.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await closeAiPrisms();
  server.resetHandlers();
});
afterAll(() => server.close());

/** What a finding says, without the ids and times of the review that made it. */
function gist(finding: Finding) {
  const { sectionIndex, frameworkItems, severity, category, title, quote, confidence, origin } =
    finding;
  return { sectionIndex, frameworkItems, severity, category, title, quote, confidence, origin };
}

describe('AI review caches', () => {
  it('asks the model nothing for a document reviewed before, and only what changed after an edit', async () => {
    const model = useBedrockModel(server);
    const { prism } = aiPrism(`bedrock:${BEDROCK_MODEL_ID}`);

    const first = await reviewReport(prism);
    expect(first.review.status).toBe('succeeded');
    expect(model.calls).toHaveLength(5);

    // The same document again: the whole review comes from the cache.
    const again = await reviewReport(prism);
    expect(again.review.status).toBe('succeeded');
    expect(again.document.id).not.toBe(first.document.id);
    expect(model.calls).toHaveLength(5);
    expect(again.findings.map(gist)).toEqual(first.findings.map(gist));
    expect(again.review.usage).toEqual({ inputTokens: 0, outputTokens: 0, costUsd: 0 });

    // One section edited: that section and the document-level pass are asked again, the
    // unchanged sections' answers are reused.
    const actions =
      'Maintenance will clean the filters every two days. Owner: J. Patel, due 31 March.';
    const edited = await reviewReport(prism, withSectionText('Actions', actions));
    expect(edited.review.status).toBe('succeeded');
    const asked = model.calls.slice(5);
    expect(asked.map((call) => call.asked)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'section', heading: 'Actions', text: actions }),
        expect.objectContaining({ kind: 'document' }),
      ]),
    );
    expect(asked).toHaveLength(2);
    expect(edited.review.usage).toMatchObject(answeredUsage(asked));
    expect(edited.review.usage.costUsd).toBeCloseTo(sonnetCostUsd(answeredUsage(asked)), 10);

    const ai = (findings: Finding[], index: number) =>
      findings.filter((f) => f.origin === 'ai' && f.sectionIndex === index).map(gist);
    for (const index of [0, 1, 2]) {
      expect(ai(edited.findings, index)).toEqual(ai(first.findings, index));
    }
    expect(ai(edited.findings, 3)).toEqual([
      expect.objectContaining({
        title: sectionFindingTitle('Actions'),
        quote: firstSentence(actions),
      }),
    ]);
  });
});
