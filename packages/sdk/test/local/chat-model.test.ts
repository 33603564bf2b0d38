import { afterEach, describe, expect, it } from 'vitest';
import { answerFromSections } from '../../src/engine/chat.js';
import { ModelError } from '../../src/engine/providers/model/model-error.js';
import { type ChatStreamEvent, type LocalPrism, type PriceTable, Prism } from '../../src/index.js';
import { answeringClient, ChannelModelClient } from '../engine/chat-model-client.js';

const REPORT = `# Payroll outage report

## Summary

On 2 May 2025 the nightly payroll export failed for 40 minutes. Staff were paid on time.

## Timeline

| Time | Event |
|---|---|
| 08:10 | The payroll export failed |
| 08:25 | The on-call engineer acknowledged the alarm |
| 08:50 | The export was rerun and succeeded |

## Root cause

A certificate on the bank gateway had expired, so the upload was refused.
`;

const QUESTION = 'When was the alarm acknowledged?';

const opened: LocalPrism[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((prism) => prism.close()));
});

/** A local Prism answering chat with `client`, and the id of the report uploaded to it. */
async function withModel(client: ChannelModelClient, prices?: PriceTable) {
  const prism = Prism.local({
    model: 'openai-compatible:test-model',
    modelOptions: { client: () => client },
    ...(prices === undefined ? {} : { prices }),
  });
  return { prism, documentId: await upload(prism) };
}

async function upload(prism: LocalPrism): Promise<string> {
  opened.push(prism);
  const document = await prism.documents.create({
    file: new TextEncoder().encode(REPORT),
    filename: 'payroll-outage.md',
  });
  return document.id;
}

async function collect(events: AsyncIterable<ChatStreamEvent>): Promise<ChatStreamEvent[]> {
  const collected: ChatStreamEvent[] = [];
  for await (const event of events) collected.push(event);
  return collected;
}

/** The extractive answer of a Prism without a model, and its stream. */
async function extractive(question: string) {
  const prism = Prism.local();
  const documentId = await upload(prism);
  return {
    answer: await prism.chat.ask({ documentId, question }),
    events: await collect(prism.chat.stream({ documentId, question })),
  };
}

describe('prism.chat with a chat model', () => {
  it('streams the model text as it is written, then the whole answer with citations and usage', async () => {
    const client = new ChannelModelClient();
    const prices = { 'openai-compatible:test-model': { inputPerMillion: 3, outputPerMillion: 15 } };
    const { prism, documentId } = await withModel(client, prices);
    const stream = prism.chat.stream({ documentId, question: QUESTION })[Symbol.asyncIterator]();

    client.send('The on-call engineer');
    expect((await stream.next()).value).toEqual({ type: 'delta', text: 'The on-call engineer' });
    client.send(' acknowledged it at 08:25 [S1].');
    expect((await stream.next()).value).toEqual({
      type: 'delta',
      text: ' acknowledged it at 08:25 [S1].',
    });
    expect(client.stopped).toBe(false);

    client.finish({ inputTokens: 1000, outputTokens: 20 });
    const done = await stream.next();
    expect(done.value).toEqual({
      type: 'done',
      answer: {
        answer: 'The on-call engineer acknowledged it at 08:25 [S1].',
        citations: [
          {
            sectionIndex: 1,
            heading: 'Timeline',
            quote: '08:25 | The on-call engineer acknowledged the alarm',
          },
        ],
        model: 'openai-compatible:test-model',
        usage: { inputTokens: 1000, outputTokens: 20, costUsd: 0.0033 },
      },
    });
    expect((await stream.next()).done).toBe(true);
  });

  it('ask() gives the answer the stream ends with', async () => {
    const client = answeringClient(['At 08:25 [S1].'], { inputTokens: 900, outputTokens: 5 });
    const { prism, documentId } = await withModel(client);
    const answer = await prism.chat.ask({ documentId, question: QUESTION });
    expect(answer).toMatchObject({
      answer: 'At 08:25 [S1].',
      citations: [{ sectionIndex: 1, heading: 'Timeline' }],
      model: 'openai-compatible:test-model',
      usage: { inputTokens: 900, outputTokens: 5, costUsd: null },
    });
  });

  it('sends the model the document, its title and the conversation', async () => {
    const client = answeringClient(['At 08:50 [S1].']);
    const { prism, documentId } = await withModel(client);
    await prism.chat.ask({
      documentId,
      question: 'And when was it rerun?',
      history: [
        { role: 'user', content: 'When did the payroll export fail?' },
        { role: 'assistant', content: 'At 08:10 [S1].' },
      ],
    });

    const messages = client.requests[0]?.messages ?? [];
    expect(messages.slice(0, 2)).toEqual([
      { role: 'user', text: 'When did the payroll export fail?' },
      { role: 'assistant', text: 'At 08:10 [S1].' },
    ]);
    const turn = messages[2]?.text ?? '';
    expect(turn).toContain('Document: Payroll outage report');
    expect(turn).toContain('[S1] Timeline');
    expect(turn).toContain('- 08:50: The export was rerun and succeeded.');
    expect(turn).toContain(
      '[S2] Root cause\n- A certificate on the bank gateway had expired, so the upload was refused.',
    );
    expect(turn).toMatch(/Question: And when was it rerun\?$/);
  });

  it('answers from the document itself when the model fails before writing', async () => {
    const expected = await extractive(QUESTION);
    const throttled = await withModel(
      new ChannelModelClient().fail(new ModelError('model_throttled', 'Too many requests.')),
    );
    const events = await collect(
      throttled.prism.chat.stream({ documentId: throttled.documentId, question: QUESTION }),
    );
    expect(events).toEqual(expected.events);

    const denied = await withModel(
      new ChannelModelClient().fail(new ModelError('model_access_denied', 'No access.')),
    );
    const answer = await denied.prism.chat.ask({
      documentId: denied.documentId,
      question: QUESTION,
    });
    expect(answer).toEqual(expected.answer);
    expect(answer.model).toBe('rules');
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it('ends with the extractive answer when the model fails part-way', async () => {
    const client = new ChannelModelClient()
      .send('The on-call')
      .fail(new ModelError('model_unavailable', 'The stream was cut.'));
    const { prism, documentId } = await withModel(client);
    const events = await collect(prism.chat.stream({ documentId, question: QUESTION }));
    const expected = await extractive(QUESTION);

    expect(events).toEqual([
      { type: 'delta', text: 'The on-call' },
      { type: 'done', answer: expected.answer },
    ]);
  });

  it('does not hide a failure that is not the model service', async () => {
    const client = new ChannelModelClient().fail(new TypeError('A bug.'));
    const { prism, documentId } = await withModel(client);
    await expect(prism.chat.ask({ documentId, question: QUESTION })).rejects.toThrow('A bug.');
  });

  it('stops the model when the signal aborts, without falling back', async () => {
    const client = new ChannelModelClient().send('The on-call');
    const { prism, documentId } = await withModel(client);
    const controller = new AbortController();
    const stream = prism.chat
      .stream({ documentId, question: QUESTION }, { signal: controller.signal })
      [Symbol.asyncIterator]();
    expect((await stream.next()).value).toEqual({ type: 'delta', text: 'The on-call' });

    const pending = stream.next();
    // Even a reason that is a model error ends the stream: the caller asked to stop.
    const reason = new ModelError('model_timeout', 'Stopped by the caller.');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(client.stopped).toBe(true);
  });

  it('stops the model when the reader stops reading', async () => {
    const client = new ChannelModelClient().send('The on-call');
    const { prism, documentId } = await withModel(client);
    for await (const event of prism.chat.stream({ documentId, question: QUESTION })) {
      expect(event).toEqual({ type: 'delta', text: 'The on-call' });
      break;
    }
    expect(client.stopped).toBe(true);
  });

  it('checks the request and the document before calling the model', async () => {
    const client = new ChannelModelClient();
    const { prism } = await withModel(client);
    await expect(
      prism.chat.ask({ documentId: 'doc_missing', question: QUESTION }),
    ).rejects.toMatchObject({ code: 'not_found' });
    expect(client.requests).toHaveLength(0);
  });
});

describe('prism.chat without a chat model', () => {
  it('answers extractively as before: the best sentences, cited, at no cost', async () => {
    const prism = Prism.local();
    const documentId = await upload(prism);
    const { sections } = await prism.documents.get(documentId);
    const answer = await prism.chat.ask({ documentId, question: QUESTION });
    expect(answer).toEqual({
      ...answerFromSections(sections, QUESTION),
      model: 'rules',
      usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    });
    expect(answer.citations).toEqual([
      {
        sectionIndex: 1,
        heading: 'Timeline',
        quote: '08:25 | The on-call engineer acknowledged the alarm',
      },
    ]);

    const events = await collect(prism.chat.stream({ documentId, question: QUESTION }));
    expect(events.at(-1)).toEqual({ type: 'done', answer });
    const deltas = events.slice(0, -1);
    expect(deltas.every((event) => event.type === 'delta')).toBe(true);
    expect(deltas.map((event) => event.text).join('')).toBe(answer.answer);
  });

  it('answers extractively with a model spec of rules only', async () => {
    const prism = Prism.local({ model: 'rules' });
    const documentId = await upload(prism);
    const answer = await prism.chat.ask({ documentId, question: QUESTION });
    expect(answer).toEqual((await extractive(QUESTION)).answer);
  });
});
