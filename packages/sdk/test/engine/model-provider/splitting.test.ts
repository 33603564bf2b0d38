import { describe, expect, it } from 'vitest';
import {
  createModelProvider,
  MIN_SPLIT_CHARS,
  ModelError,
} from '../../../src/engine/providers/model/index.js';
import { contextOf, documentOf, sectionOf, userText } from './fixture.js';
import { findingsAnswer, rawFinding, ScriptedModelClient } from './scripted-client.js';

const FIRST = 'At 09:14 UTC the TLS certificate of the payment gateway expired. '.repeat(6).trim();
const SECOND =
  'The renewal job had failed silently for 30 days because its alert went to a retired mailbox. '
    .repeat(5)
    .trim();
const LONG = `${FIRST}\n\n${SECOND}`;

function tooLong(): ModelError {
  return new ModelError('model_input_too_long', 'The input is longer than the context window.');
}

describe('a section the model finds too long', () => {
  it('is split in two at a paragraph break and each half reviewed', async () => {
    const document = documentOf([
      ['Summary', 'Card payments failed for 41 minutes.'],
      ['Analysis', LONG],
    ]);
    const client = new ScriptedModelClient([
      tooLong(),
      findingsAnswer(
        [rawFinding({ quote: 'the TLS certificate of the payment gateway expired' })],
        { inputTokens: 700, outputTokens: 50 },
      ),
      findingsAnswer([rawFinding({ frameworkItems: [9], quote: 'went to a retired mailbox' })], {
        inputTokens: 800,
        outputTokens: 60,
        cacheReadInputTokens: 500,
      }),
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(document, 1),
      contextOf(document),
    );

    expect(client.requests).toHaveLength(3);
    const [whole, first, second] = client.requests.map(userText);
    expect(whole).toContain(LONG);
    expect(first).toContain(`<section_text>\n${FIRST}\n\n\n</section_text>`);
    expect(first).toContain(`only its characters 0 to ${FIRST.length + 2} of ${LONG.length}`);
    expect(first).not.toContain('retired mailbox');
    expect(second).toContain(`<section_text>\n${SECOND}\n</section_text>`);
    expect(second).not.toContain('certificate of the payment gateway expired');

    expect(reply.findings.filter((finding) => finding.origin === 'ai')).toEqual([
      expect.objectContaining({
        sectionIndex: 1,
        quote: 'the TLS certificate of the payment gateway expired',
      }),
      expect.objectContaining({ sectionIndex: 1, quote: 'went to a retired mailbox' }),
    ]);
    expect(reply.usage).toEqual({
      inputTokens: 1500,
      outputTokens: 110,
      cacheReadInputTokens: 500,
    });
    expect(reply.degraded).toBeUndefined();
  });

  it('is split again while a half is still too long', async () => {
    const document = documentOf([['Analysis', `${LONG}\n\n${LONG}`]]);
    const client = new ScriptedModelClient([
      tooLong(),
      tooLong(),
      findingsAnswer([]),
      findingsAnswer([]),
      findingsAnswer([rawFinding()]),
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(document, 0),
      contextOf(document),
    );
    expect(client.requests).toHaveLength(5);
    expect(reply.findings.filter((finding) => finding.origin === 'ai')).toHaveLength(1);
    expect(reply.usage).toEqual({ inputTokens: 3000, outputTokens: 300 });
  });

  it(`gives up with the error below ${MIN_SPLIT_CHARS} characters`, async () => {
    const document = documentOf([['Analysis', FIRST]]);
    expect(FIRST.length).toBeLessThan(MIN_SPLIT_CHARS);
    const client = new ScriptedModelClient([tooLong()]);
    await expect(
      createModelProvider(client).reviewSection(sectionOf(document, 0), contextOf(document)),
    ).rejects.toMatchObject({ code: 'model_input_too_long' });
    expect(client.requests).toHaveLength(1);
  });

  it('makes the whole reply degraded when one half stays invalid', async () => {
    const document = documentOf([['Analysis', LONG]]);
    const invalid = findingsAnswer([rawFinding({ confidence: 2 })]);
    const client = new ScriptedModelClient([
      tooLong(),
      findingsAnswer([rawFinding({ quote: 'retired mailbox' })]),
      invalid,
      invalid,
    ]);
    const reply = await createModelProvider(client).reviewSection(
      sectionOf(document, 0),
      contextOf(document),
    );
    expect(reply.degraded).toMatch(
      /^The model's answer for section 0 \("Analysis"\), characters \d+-\d+ was invalid twice/,
    );
    expect(reply.findings.filter((finding) => finding.origin === 'ai')).toHaveLength(1);
  });
});

describe('a document the model finds too long', () => {
  it('is asked about again with half the text', async () => {
    const document = documentOf(
      Array.from({ length: 60 }, (_, i): [string, string] => [`Part ${i}`, 'y'.repeat(900)]),
    );
    const client = new ScriptedModelClient([tooLong(), findingsAnswer([])]);
    const reply = await createModelProvider(client).reviewDocument(contextOf(document));
    const [first, second] = client.requests.map(userText);
    const shown = (text: string | undefined) => (text?.match(/<section index=/g) ?? []).length;
    expect(shown(second)).toBeLessThan(shown(first));
    expect(reply.usage).toEqual({ inputTokens: 1000, outputTokens: 100 });
  });

  it('gives up with the error once the text cannot be halved further', async () => {
    const document = documentOf([['Summary', 'Card payments failed.']]);
    const client = new ScriptedModelClient(Array.from({ length: 10 }, () => tooLong()));
    await expect(
      createModelProvider(client).reviewDocument(contextOf(document)),
    ).rejects.toMatchObject({ code: 'model_input_too_long' });
    expect(client.requests).toHaveLength(5);
  });
});
