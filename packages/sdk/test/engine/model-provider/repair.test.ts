import { describe, expect, it } from 'vitest';
import {
  createModelProvider,
  MAX_FINDINGS_PER_ANSWER,
  ModelError,
} from '../../../src/engine/providers/model/index.js';
import { createRulesProvider } from '../../../src/engine/providers/rules/index.js';
import { CLEAN_ROOT_CAUSE, contextOf, documentOf, sectionOf } from './fixture.js';
import { findingsAnswer, rawFinding, ScriptedModelClient, toolAnswer } from './scripted-client.js';

const DOCUMENT = documentOf([
  ['Impact', 'Several customers could not pay. Cost: TBD.'],
  ['Root cause', CLEAN_ROOT_CAUSE],
]);

const INVALID = findingsAnswer([rawFinding({ severity: 'high', frameworkItems: [27] })], {
  inputTokens: 1000,
  outputTokens: 80,
});

describe('an invalid model answer', () => {
  it('gets one repair round carrying the tool call and what was wrong, by field path', async () => {
    const client = new ScriptedModelClient([
      INVALID,
      findingsAnswer([rawFinding()], { inputTokens: 1300, outputTokens: 90 }),
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(DOCUMENT, 1),
      contextOf(DOCUMENT),
    );

    expect(client.requests).toHaveLength(2);
    const [first, repair] = client.requests;
    expect(repair?.system).toEqual(first?.system);
    expect(repair?.tool).toEqual(first?.tool);
    expect(repair?.messages).toHaveLength(3);
    expect(repair?.messages[0]).toEqual(first?.messages[0]);
    expect(repair?.messages[1]).toEqual({ role: 'assistant', toolCall: INVALID.call });
    const result = repair?.messages[2];
    expect(result).toMatchObject({ role: 'user', toolResult: { toolCallId: INVALID.call.id } });
    const error = result && 'toolResult' in result ? result.toolResult.error : '';
    expect(error).toContain('findings[0].severity: got "high"; expected one of');
    expect(error).toContain('findings[0].frameworkItems[0]: got 27; must be the number of an item');
    expect(error).toContain('1-20');

    expect(reply.degraded).toBeUndefined();
    expect(reply.findings).toEqual([expect.objectContaining({ origin: 'ai', sectionIndex: 1 })]);
    expect(reply.usage).toEqual({ inputTokens: 2300, outputTokens: 170 });
  });

  it('names missing fields and unexpected shapes', async () => {
    const client = new ScriptedModelClient([
      toolAnswer({ findings: [{ frameworkItems: [8] }], note: 'x' }),
      toolAnswer({
        findings: Array.from({ length: MAX_FINDINGS_PER_ANSWER + 1 }, () => rawFinding()),
      }),
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(DOCUMENT, 1),
      contextOf(DOCUMENT),
    );
    const repair = client.requests[1]?.messages[2];
    const error = repair && 'toolResult' in repair ? repair.toolResult.error : '';
    expect(error).toContain('findings[0].title: required (expected string)');
    expect(error).toContain('findings[0].confidence: required (expected number)');
    expect(reply.degraded).toMatch(/findings: Too big: expected array to have <=50 items/);
  });

  it('stays invalid after the repair: the rules findings stand in, and the reply says why', async () => {
    const client = new ScriptedModelClient([INVALID, INVALID]);
    const section = sectionOf(DOCUMENT, 0);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(DOCUMENT));
    const rules = await createRulesProvider().reviewSection(section, contextOf(DOCUMENT));

    expect(client.requests).toHaveLength(2);
    expect(rules.findings.length).toBeGreaterThan(0);
    expect(reply.findings).toEqual(rules.findings);
    expect(reply.degraded).toBe(
      'The model\'s answer for section 0 ("Impact") was invalid twice ' +
        '(findings[0].frameworkItems[0]: got 27; must be the number of an item of hawkeye-20: ' +
        '1-20, and 1 more); the rules findings stand in for it.',
    );
    expect(reply.usage).toEqual({ inputTokens: 2000, outputTokens: 160 });
  });

  it('is refused when it calls another tool', async () => {
    const client = new ScriptedModelClient([
      toolAnswer({ findings: [] }, undefined, 'answer'),
      findingsAnswer([]),
    ]);
    await createModelProvider(client).reviewSection(sectionOf(DOCUMENT, 1), contextOf(DOCUMENT));
    const repair = client.requests[1]?.messages[2];
    expect(repair && 'toolResult' in repair ? repair.toolResult.error : '').toContain(
      'called answer; answer by calling record_findings',
    );
  });
});

describe('an answer the client cannot read (model_answer_invalid)', () => {
  it('is asked for once more', async () => {
    const client = new ScriptedModelClient([
      new ModelError('model_answer_invalid', 'The answer was cut off at the token limit.'),
      findingsAnswer([rawFinding()]),
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(DOCUMENT, 1),
      contextOf(DOCUMENT),
    );
    expect(client.requests).toHaveLength(2);
    expect(client.requests[1]?.messages).toEqual(client.requests[0]?.messages);
    expect(reply.degraded).toBeUndefined();
    expect(reply.findings).toHaveLength(1);
  });

  it('twice makes the reply degraded, with the rules findings', async () => {
    const client = new ScriptedModelClient([
      new ModelError('model_answer_invalid', 'The model answered without calling the tool.'),
      new ModelError('model_answer_invalid', 'The model answered without calling the tool.'),
    ]);
    const section = sectionOf(DOCUMENT, 0);
    const reply = await createModelProvider(client).reviewSection(section, contextOf(DOCUMENT));
    const rules = await createRulesProvider().reviewSection(section, contextOf(DOCUMENT));
    expect(reply.findings).toEqual(rules.findings);
    expect(reply.degraded).toContain('The model answered without calling the tool.');
    expect(reply.usage).toBeUndefined();
  });
});
