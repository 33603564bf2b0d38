import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { PROMPT_VERSION, ReviewFailedError } from '../../src/index.js';
import { OPENAI_KEY } from '../engine/openai-compatible/fixtures.js';
import { setupMockService } from '../engine/openai-compatible/mock-service.js';
import { aiPrism, closeAiPrisms, REPORT_FILENAME, reviewReport } from './ai-prism.js';
import {
  answeredUsage,
  BEDROCK_MODEL_ID,
  inputTooLong,
  serviceUnavailable,
  sonnetCostUsd,
  useBedrockModel,
} from './bedrock-model.js';
import { DOCUMENT_FINDING_TITLE, firstSentence, sectionFindingTitle } from './fake-reviewer.js';
import { chatUsage, gpt4oMiniCostUsd, useOpenAIModel } from './openai-model.js';
import { EVIDENCE_SECTION, REPORT_SECTIONS, reportFile } from './report.js';

const server = setupServer();
const openai = setupMockService();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await closeAiPrisms();
  server.resetHandlers();
  vi.unstubAllEnvs();
});
afterAll(() => server.close());

const BEDROCK = `bedrock:${BEDROCK_MODEL_ID}`;

describe('AI review when the model fails', () => {
  it('falls back to the next model when Bedrock stays unavailable', async () => {
    vi.stubEnv('OPENAI_BASE_URL', `${openai.origin}/v1`);
    vi.stubEnv('OPENAI_API_KEY', OPENAI_KEY);
    const bedrock = useBedrockModel(server, { reply: () => serviceUnavailable() });
    const fallback = useOpenAIModel(openai);
    const spec = `${BEDROCK},openai-compatible:gpt-4o-mini`;
    const { prism, waits } = aiPrism(spec, { provider: { maxRetries: 2 } });

    const { review, findings } = await reviewReport(prism);

    expect(review).toMatchObject({
      status: 'succeeded',
      model: spec,
      promptVersion: PROMPT_VERSION,
      error: null,
    });
    // Each of the five questions went to Bedrock three times (two retries), then to OpenAI.
    expect(bedrock.calls).toHaveLength(15);
    expect(waits).toHaveLength(10);
    expect(fallback.calls).toHaveLength(5);
    expect(review.degraded).toBe(
      `${BEDROCK} failed (model_unavailable); answered by openai-compatible:gpt-4o-mini`,
    );
    const ai = findings.filter((finding) => finding.origin === 'ai');
    expect(ai).toHaveLength(5);
    for (const finding of ai) expect(finding.description).toMatch(/^gpt-4o-mini: /);
    // Only OpenAI's answers were paid for, at GPT-4o mini's prices.
    const usage = chatUsage(fallback.calls);
    expect(review.usage).toMatchObject(usage);
    expect(review.usage.costUsd).toBeCloseTo(gpt4oMiniCostUsd(usage), 10);
  });

  it('splits a section the model finds too long and reviews both halves', async () => {
    const sections = [
      ...REPORT_SECTIONS.slice(0, 2),
      EVIDENCE_SECTION,
      ...REPORT_SECTIONS.slice(2),
    ];
    const model = useBedrockModel(server, {
      reply: ({ asked }) =>
        asked.kind === 'section' && asked.heading === 'Evidence' && asked.part === null
          ? inputTooLong()
          : undefined,
    });
    const { prism, waits } = aiPrism(BEDROCK);

    const { review, findings } = await reviewReport(prism, sections);

    expect(review.status).toBe('succeeded');
    expect(review.degraded).toBeUndefined();
    expect(waits).toEqual([]);
    const evidence = model.calls.filter(
      (call) => call.asked.kind === 'section' && call.asked.heading === 'Evidence',
    );
    const parts = evidence.map((call) => (call.asked.kind === 'section' ? call.asked.part : null));
    const length = EVIDENCE_SECTION.text.length;
    expect(parts).toEqual([
      null,
      { start: 0, end: expect.any(Number) },
      { start: expect.any(Number), end: length },
    ]);
    const middle = parts[1]?.end ?? 0;
    expect(parts[2]?.start).toBe(middle);
    expect(middle).toBeGreaterThan(0);
    expect(middle).toBeLessThan(length);

    // One finding from each half, each quoting its own half of the section exactly.
    const onEvidence = findings.filter((f) => f.sectionIndex === 2 && f.origin === 'ai');
    expect(onEvidence.map((finding) => finding.quote)).toEqual([
      firstSentence(EVIDENCE_SECTION.text.slice(0, middle)),
      firstSentence(EVIDENCE_SECTION.text.slice(middle)),
    ]);
    expect(onEvidence.map((finding) => finding.title)).toEqual([
      sectionFindingTitle('Evidence'),
      sectionFindingTitle('Evidence'),
    ]);
    // The refused request cost nothing; the halves did.
    expect(review.usage).toMatchObject(answeredUsage(model.calls));
  });

  it('stops when the review runs out of tokens, keeping what it found so far', async () => {
    const perCall = { inputTokens: 600, outputTokens: 100, totalTokens: 700 };
    const model = useBedrockModel(server, { usage: () => perCall });
    // One question at a time, so the order is known: the document, then sections 0, 1, ...
    const { prism } = aiPrism(BEDROCK, { concurrency: 1, tokenLimits: { perReview: 1500 } });

    const document = await prism.documents.create({
      file: reportFile(),
      filename: REPORT_FILENAME,
    });
    const handle = await prism.reviews.create({ documentId: document.id });
    const error = await handle.done().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ReviewFailedError);
    expect(error).toMatchObject({ code: 'token_budget_exceeded' });
    const review = await prism.reviews.get(handle.id);
    expect(review).toMatchObject({
      status: 'failed',
      error: {
        code: 'token_budget_exceeded',
        message: 'The review has used 2100 tokens; its limit is 1500.',
      },
      promptVersion: PROMPT_VERSION,
    });
    // The third answer passed the limit: it was kept, and nothing more was asked.
    expect(model.calls.map((call) => call.asked)).toEqual([
      expect.objectContaining({ kind: 'document' }),
      expect.objectContaining({ kind: 'section', heading: 'Summary' }),
      expect.objectContaining({ kind: 'section', heading: 'Timeline' }),
    ]);
    expect(review.usage).toEqual({
      inputTokens: 1800,
      outputTokens: 300,
      costUsd: expect.any(Number),
    });
    expect(review.usage.costUsd).toBeCloseTo(
      sonnetCostUsd({ inputTokens: 1800, outputTokens: 300 }),
      10,
    );
    const findings = await prism.findings.list(handle.id).toArray();
    const ai = findings.filter((finding) => finding.origin === 'ai');
    expect(ai.map((finding) => [finding.sectionIndex, finding.title])).toEqual([
      [null, DOCUMENT_FINDING_TITLE],
      [0, sectionFindingTitle('Summary')],
      [1, sectionFindingTitle('Timeline')],
    ]);
    expect(findings.every((finding) => finding.reviewId === handle.id)).toBe(true);
    expect(findings.some((finding) => (finding.sectionIndex ?? -1) > 1)).toBe(false);
  });
});
