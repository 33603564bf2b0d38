import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_VERSION } from '../../src/index.js';
import { CREDENTIALS, REGION } from '../engine/bedrock/bedrock-fixture.js';
import { aiPrism, closeAiPrisms, reviewReport } from './ai-prism.js';
import {
  answeredUsage,
  BEDROCK_MODEL_ID,
  type ConverseCall,
  sonnetCostUsd,
  throttled,
  useBedrockModel,
} from './bedrock-model.js';
import {
  DOCUMENT_FINDING_TITLE,
  firstSentence,
  sectionFindingTitle,
  type ToolFinding,
} from './fake-reviewer.js';
import { REPORT_SECTIONS } from './report.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(async () => {
  await closeAiPrisms();
  server.resetHandlers();
});
afterAll(() => server.close());

const MODEL = `bedrock:${BEDROCK_MODEL_ID}`;
const SIGV4 = new RegExp(
  `^AWS4-HMAC-SHA256 Credential=${CREDENTIALS.accessKeyId}/\\d{8}/${REGION}/bedrock/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$`,
);

/** The section a call asks about, by heading; `document` for the document-level pass. */
function subject(call: ConverseCall): string {
  return call.asked.kind === 'section' ? call.asked.heading : 'document';
}

describe('AI review on Bedrock', () => {
  it('reviews every section and the document with forced tool calls, and records usage and cost', async () => {
    const model = useBedrockModel(server);
    const { prism, waits } = aiPrism(MODEL);

    const { review, findings } = await reviewReport(prism);

    expect(review).toMatchObject({
      status: 'succeeded',
      model: MODEL,
      promptVersion: PROMPT_VERSION,
      error: null,
      progress: { sectionsDone: 4, sectionsTotal: 4 },
    });
    expect(review.degraded).toBeUndefined();
    expect(waits).toEqual([]);

    // One request per section and one for the whole document.
    expect(model.calls.map(subject).sort()).toEqual(
      ['Actions', 'Root cause', 'Summary', 'Timeline', 'document'].sort(),
    );
    for (const call of model.calls) {
      expect(call.url).toBe(
        `https://bedrock-runtime.${REGION}.amazonaws.com/model/${encodeURIComponent(BEDROCK_MODEL_ID)}/converse`,
      );
      expect(call.headers.get('authorization')).toMatch(SIGV4);
      expect(call.headers.get('x-amz-date')).toMatch(/^\d{8}T\d{6}Z$/);
      expect(call.body.toolConfig?.toolChoice).toEqual({ tool: { name: 'record_findings' } });
      expect(call.body.toolConfig?.tools.map((tool) => tool.toolSpec.name)).toEqual([
        'record_findings',
      ]);
      expect(call.body.toolConfig?.tools[0]?.toolSpec.inputSchema.json).toMatchObject({
        type: 'object',
        required: ['findings'],
      });
      // Instructions, then the framework, then the cache point closing the cacheable prefix.
      expect(call.body.system).toEqual([
        { text: expect.stringContaining('investigation document') },
        { text: expect.stringMatching(/^The review framework: .*\(hawkeye-20@1\.0\.0\)/) },
        { cachePoint: { type: 'default' } },
      ]);
      expect(call.body.messages).toHaveLength(1);
      expect(call.body.inferenceConfig?.maxTokens).toBeGreaterThan(0);
    }

    // The model's findings, each quoting its section exactly.
    const ai = findings.filter((finding) => finding.origin === 'ai');
    expect(ai.map((finding) => [finding.sectionIndex, finding.title])).toEqual([
      [null, DOCUMENT_FINDING_TITLE],
      ...REPORT_SECTIONS.map((section, index) => [index, sectionFindingTitle(section.heading)]),
    ]);
    for (const [index, section] of REPORT_SECTIONS.entries()) {
      const finding = ai.find((candidate) => candidate.sectionIndex === index);
      expect(finding?.quote).toBe(firstSentence(section.text));
      expect(finding?.description).toContain(BEDROCK_MODEL_ID);
    }
    // A rule that flagged the same sentence folded into the model's finding (its category kept)...
    expect(ai.find((finding) => finding.sectionIndex === 3)).toMatchObject({
      frameworkItems: [{ number: 12, key: 'actions' }],
      category: 'action-missing-priority',
      origin: 'ai',
    });
    expect(findings.filter((f) => f.origin === 'rule' && f.sectionIndex === 3)).toEqual([]);
    // ...and the rules' own findings (what the document lacks) stand beside the model's.
    expect(findings).toContainEqual(
      expect.objectContaining({ origin: 'rule', sectionIndex: null, category: 'missing-scope' }),
    );

    // Usage is every answer's, summed; the cost is Claude Sonnet 4's list price for it.
    const usage = answeredUsage(model.calls);
    expect(usage.cacheReadInputTokens).toBeGreaterThan(0);
    expect(usage.cacheWriteInputTokens).toBeGreaterThan(0);
    expect(review.usage).toEqual({ ...usage, costUsd: expect.any(Number) });
    expect(review.usage.costUsd).toBeGreaterThan(0);
    expect(review.usage.costUsd).toBeCloseTo(sonnetCostUsd(usage), 10);
  });

  it('retries a throttled request and still succeeds', async () => {
    const model = useBedrockModel(server, {
      reply: ({ index }) => (index < 2 ? throttled() : undefined),
    });
    const { prism, waits } = aiPrism(MODEL);

    const { review, findings } = await reviewReport(prism);

    expect(review.status).toBe('succeeded');
    expect(review.degraded).toBeUndefined();
    // Five questions, two of them asked twice after a backoff.
    expect(model.calls).toHaveLength(7);
    expect(waits).toHaveLength(2);
    const throttledSubjects = model.calls.slice(0, 2).map(subject);
    for (const asked of throttledSubjects) {
      expect(model.calls.slice(2).map(subject)).toContain(asked);
    }
    expect(findings.filter((finding) => finding.origin === 'ai')).toHaveLength(5);
    // Only the answers cost tokens.
    expect(review.usage).toMatchObject(answeredUsage(model.calls));
  });

  it('sends an invalid answer back once with what was wrong, and keeps the repaired one', async () => {
    const invalid: ToolFinding = {
      frameworkItems: [21],
      severity: 'urgent',
      category: 'needs-detail',
      title: 'Urgent: the timeline is vague',
      description: 'The times are not explained.',
      suggestion: 'Explain the times.',
      quote: 'At 06:10 the belt motor tripped.',
      confidence: 0.9,
    };
    const model = useBedrockModel(server, {
      reply: ({ asked, body }) =>
        asked.kind === 'section' && asked.heading === 'Timeline' && body.messages.length === 1
          ? { findings: [invalid] }
          : undefined,
    });
    const { prism } = aiPrism(MODEL);

    const { review, findings } = await reviewReport(prism);

    expect(review.status).toBe('succeeded');
    expect(review.degraded).toBeUndefined();
    const timeline = model.calls.filter((call) => subject(call) === 'Timeline');
    expect(timeline).toHaveLength(2);
    const [first, repair] = timeline;
    const toolUseId = first?.toolUseId;
    expect(toolUseId).toMatch(/^tooluse_/);
    // The repair request: the question, the model's own call, and the refusal naming each problem.
    expect(repair?.body.messages).toEqual([
      first?.body.messages[0],
      {
        role: 'assistant',
        content: [
          { toolUse: { toolUseId, name: 'record_findings', input: { findings: [invalid] } } },
        ],
      },
      {
        role: 'user',
        content: [
          {
            toolResult: { toolUseId, content: [{ text: expect.any(String) }], status: 'error' },
          },
        ],
      },
    ]);
    const refusal = repair?.body.messages[2]?.content[0]?.toolResult?.content[0]?.text ?? '';
    expect(refusal).toContain('findings[0].frameworkItems[0]: got 21');
    expect(refusal).toContain('hawkeye-20: 1-20');
    expect(refusal).toContain('findings[0].severity: got "urgent"');
    expect(refusal).toContain('Call record_findings again');

    const onTimeline = findings.filter((f) => f.sectionIndex === 1 && f.origin === 'ai');
    expect(onTimeline.map((finding) => finding.title)).toEqual([sectionFindingTitle('Timeline')]);
    // The refused answer cost tokens too.
    expect(review.usage).toMatchObject(answeredUsage(model.calls));
    expect(model.calls).toHaveLength(6);
  });

  it('drops a quote that is not in the section and restores a loosely copied one', async () => {
    const timelineText = REPORT_SECTIONS[1]?.text ?? '';
    const exact = 'The night shift logged the belt as "running normally" at 05:50.';
    expect(timelineText).toContain(exact);
    const invented = 'The operator silenced three alarms before calling anyone.';
    const loose = 'The night shift  logged the belt as \u201crunning normally\u201d at 05:50.';
    const findingWith = (
      title: string,
      quote: string,
      item: number,
      confidence: number,
    ): ToolFinding => ({
      frameworkItems: [item],
      severity: 'minor',
      category: 'unsupported-claim',
      title,
      description: 'The statement is not backed by a record.',
      suggestion: 'Cite the log or the witness.',
      quote,
      confidence,
    });
    const model = useBedrockModel(server, {
      reply: ({ asked }) =>
        asked.kind === 'section' && asked.heading === 'Timeline'
          ? {
              findings: [
                findingWith('Alarms silenced', invented, 19, 0.8),
                findingWith('The 05:50 log entry is unexplained', loose, 7, 0.6),
              ],
            }
          : undefined,
    });
    const { prism } = aiPrism(MODEL);

    const { review, findings } = await reviewReport(prism);

    expect(review.status).toBe('succeeded');
    expect(model.calls).toHaveLength(5);
    const byTitle = new Map(findings.map((finding) => [finding.title, finding]));
    expect(byTitle.get('Alarms silenced')).toMatchObject({
      sectionIndex: 1,
      quote: null,
      confidence: 0.4,
      origin: 'ai',
    });
    expect(byTitle.get('The 05:50 log entry is unexplained')).toMatchObject({
      sectionIndex: 1,
      quote: exact,
      confidence: 0.6,
      origin: 'ai',
    });
  });
});
