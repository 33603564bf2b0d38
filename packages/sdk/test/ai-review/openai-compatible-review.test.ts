import { afterEach, describe, expect, it, vi } from 'vitest';
import { PROMPT_VERSION } from '../../src/index.js';
import { OPENAI_KEY } from '../engine/openai-compatible/fixtures.js';
import { setupMockService } from '../engine/openai-compatible/mock-service.js';
import { aiPrism, closeAiPrisms, reviewReport } from './ai-prism.js';
import { DOCUMENT_FINDING_TITLE, firstSentence, sectionFindingTitle } from './fake-reviewer.js';
import { chatUsage, gpt4oMiniCostUsd, useOpenAIModel } from './openai-model.js';
import { REPORT_SECTIONS } from './report.js';

const service = setupMockService();
afterEach(async () => {
  await closeAiPrisms();
  vi.unstubAllEnvs();
});

describe('AI review on an OpenAI-compatible service', () => {
  it('reviews every section and the document with forced function calls, and records usage and cost', async () => {
    vi.stubEnv('OPENAI_BASE_URL', `${service.origin}/v1`);
    vi.stubEnv('OPENAI_API_KEY', OPENAI_KEY);
    const model = useOpenAIModel(service);
    const { prism, waits } = aiPrism('openai-compatible:gpt-4o-mini');

    const { review, findings } = await reviewReport(prism);

    expect(review).toMatchObject({
      status: 'succeeded',
      model: 'openai-compatible:gpt-4o-mini',
      promptVersion: PROMPT_VERSION,
      error: null,
    });
    expect(review.degraded).toBeUndefined();
    expect(waits).toEqual([]);
    expect(model.calls.map((call) => call.asked.kind).sort()).toEqual([
      'document',
      'section',
      'section',
      'section',
      'section',
    ]);
    for (const call of model.calls) {
      expect(call.headers.get('authorization')).toBe(`Bearer ${OPENAI_KEY}`);
      expect(call.headers.get('content-type')).toMatch(/^application\/json/);
      expect(call.body.model).toBe('gpt-4o-mini');
      expect(call.body.tool_choice).toEqual({
        type: 'function',
        function: { name: 'record_findings' },
      });
      expect(call.body.tools?.map((tool) => [tool.type, tool.function.name])).toEqual([
        ['function', 'record_findings'],
      ]);
      // The system parts joined into one system message: instructions, then the framework.
      expect(call.body.messages.map((message) => message.role)).toEqual(['system', 'user']);
      expect(call.body.messages[0]?.content).toMatch(
        /investigation document[\s\S]*\n\nThe review framework: .*\(hawkeye-20@1\.0\.0\)/,
      );
      expect(call.body.max_tokens).toBeGreaterThan(0);
    }

    const ai = findings.filter((finding) => finding.origin === 'ai');
    expect(ai.map((finding) => [finding.sectionIndex, finding.title])).toEqual([
      [null, DOCUMENT_FINDING_TITLE],
      ...REPORT_SECTIONS.map((section, index) => [index, sectionFindingTitle(section.heading)]),
    ]);
    for (const [index, section] of REPORT_SECTIONS.entries()) {
      expect(ai.find((finding) => finding.sectionIndex === index)).toMatchObject({
        quote: firstSentence(section.text),
        description: expect.stringMatching(/^gpt-4o-mini: /),
      });
    }
    expect(findings.some((finding) => finding.origin === 'rule')).toBe(true);

    const usage = chatUsage(model.calls);
    expect(usage.cacheReadInputTokens).toBeGreaterThan(0);
    expect(review.usage).toEqual({ ...usage, costUsd: expect.any(Number) });
    expect(review.usage.costUsd).toBeGreaterThan(0);
    expect(review.usage.costUsd).toBeCloseTo(gpt4oMiniCostUsd(usage), 10);
  });
});
