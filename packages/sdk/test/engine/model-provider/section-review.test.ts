import { describe, expect, it } from 'vitest';
import {
  createModelProvider,
  FINDINGS_TOOL_NAME,
} from '../../../src/engine/providers/model/index.js';
import { createRulesProvider } from '../../../src/engine/providers/rules/index.js';
import { FindingSchema } from '../../../src/schema/index.js';
import { CLEAN_ROOT_CAUSE, contextOf, documentOf, sectionOf } from './fixture.js';
import { findingsAnswer, rawFinding, ScriptedModelClient } from './scripted-client.js';

const DOCUMENT = documentOf([
  ['Summary', 'Card payments failed for 41 minutes on 3 March 2026; service is restored.'],
  ['Root cause', CLEAN_ROOT_CAUSE],
]);

describe('a model provider reviewing a section', () => {
  it("takes the client's id as its own", () => {
    expect(createModelProvider(new ScriptedModelClient([], 'bedrock:claude')).id).toBe(
      'bedrock:claude',
    );
  });

  it('returns the validated findings as ai findings of the section, with the usage', async () => {
    const client = new ScriptedModelClient([
      findingsAnswer(
        [
          rawFinding({ quote: 'as the gateway logs show', confidence: 0.7 }),
          rawFinding({
            frameworkItems: [9, 8, 9],
            severity: 'minor',
            category: 'missing-contributing-factor',
            title: 'Why the expiry went unnoticed is not said',
          }),
        ],
        { inputTokens: 1200, outputTokens: 300, cacheReadInputTokens: 900 },
      ),
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(DOCUMENT, 1),
      contextOf(DOCUMENT),
    );

    expect(reply.degraded).toBeUndefined();
    expect(reply.usage).toEqual({
      inputTokens: 1200,
      outputTokens: 300,
      cacheReadInputTokens: 900,
    });
    expect(reply.findings).toEqual([
      {
        sectionIndex: 1,
        frameworkItems: [{ number: 8, key: 'root-cause' }],
        severity: 'major',
        category: 'root-cause-unsupported',
        title: 'The root cause is asserted, not shown',
        description: 'No evidence links the expired certificate to the failed payments.',
        suggestion: 'Cite the gateway log lines that show the handshake failures.',
        quote: 'as the gateway logs show',
        confidence: 0.7,
        origin: 'ai',
      },
      expect.objectContaining({
        sectionIndex: 1,
        frameworkItems: [
          { number: 9, key: 'contributing-factors' },
          { number: 8, key: 'root-cause' },
        ],
        severity: 'minor',
        quote: null,
        origin: 'ai',
      }),
    ]);
    for (const finding of reply.findings) {
      const stored = {
        ...finding,
        id: 'f',
        reviewId: 'r',
        documentId: 'd',
        status: 'open',
        decision: null,
        adjustment: null,
        createdAt: '2026-01-01T00:00:00Z',
        updatedAt: '2026-01-01T00:00:00Z',
      };
      expect(FindingSchema.safeParse(stored).success).toBe(true);
    }
  });

  it('forces the findings tool, with the output limit and the signal', async () => {
    const client = new ScriptedModelClient([findingsAnswer([])]);
    const signal = new AbortController().signal;
    await createModelProvider(client, { maxOutputTokens: 2048 }).reviewSection(
      sectionOf(DOCUMENT, 1),
      contextOf(DOCUMENT, signal),
    );
    const [request] = client.requests;
    expect(request?.tool.name).toBe(FINDINGS_TOOL_NAME);
    expect(request?.tool.inputSchema).toMatchObject({ required: ['findings'] });
    expect(request?.maxOutputTokens).toBe(2048);
    expect(request?.signal).toBe(signal);
    expect(request?.messages).toHaveLength(1);
  });

  it('also reports the rules findings of the section, with no usage of their own', async () => {
    const document = documentOf([['Impact', 'Several customers could not pay. Cost: TBD.']]);
    const section = sectionOf(document, 0);
    const client = new ScriptedModelClient([findingsAnswer([])]);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(document));
    const rules = await createRulesProvider().reviewSection(section, contextOf(document));

    expect(rules.findings.length).toBeGreaterThan(0);
    expect(reply.findings).toEqual(rules.findings);
    expect(reply.usage).toEqual({ inputTokens: 1000, outputTokens: 100 });
  });

  it('uses the rules provider it is given', async () => {
    const document = documentOf([['Impact', 'Several customers could not pay. Cost: TBD.']]);
    const client = new ScriptedModelClient([findingsAnswer([])]);
    const reply = await createModelProvider(client, {
      rules: createRulesProvider({ disable: ['vague-quantifier', 'placeholder'] }),
    }).reviewSection(sectionOf(document, 0), contextOf(document));
    expect(reply.findings.map((finding) => finding.category)).not.toContain('placeholder');
  });

  it('refuses options out of range at once', () => {
    const client = new ScriptedModelClient();
    expect(() => createModelProvider(client, { maxRetries: -1, maxOutputTokens: 0 })).toThrow(
      expect.objectContaining({
        code: 'invalid_argument',
        message: expect.stringMatching(/maxRetries.*maxOutputTokens/),
      }),
    );
  });
});
