import { beforeAll, describe, expect, it } from 'vitest';
import { streamModelAnswer } from '../../src/engine/chat-model.js';
import { CitationMarkers } from '../../src/engine/chat-model-markers.js';
import { CHAT_INSTRUCTIONS } from '../../src/engine/chat-model-prompt.js';
import { readDocument } from '../../src/engine/extract/index.js';
import { ModelError } from '../../src/engine/providers/model/model-error.js';
import { PrismError } from '../../src/errors.js';
import type { ChatAnswer, ChatMessage } from '../../src/schema/chat.js';
import type { Section } from '../../src/schema/documents.js';
import { answeringClient, ChannelModelClient } from './chat-model-client.js';

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

## Actions

- Monitor certificate expiry dates (owner: Priya Shah).
- Add a runbook for rerunning the export.
`;

let sections: Section[];
/** Section indexes by heading. */
const at = { summary: -1, timeline: -1, rootCause: -1, actions: -1 };

beforeAll(async () => {
  const read = await readDocument({
    bytes: new TextEncoder().encode(REPORT),
    filename: 'payroll-outage.md',
  });
  sections = read.sections;
  const index = (heading: string) => sections.findIndex((section) => section.heading === heading);
  Object.assign(at, {
    summary: index('Summary'),
    timeline: index('Timeline'),
    rootCause: index('Root cause'),
    actions: index('Actions'),
  });
});

type Events = Awaited<ReturnType<typeof collect>>;

async function collect(
  events: AsyncIterable<{ type: string; text?: string; answer?: ChatAnswer }>,
) {
  const deltas: string[] = [];
  let answer: ChatAnswer | undefined;
  for await (const event of events) {
    if (event.type === 'delta') deltas.push(event.text ?? '');
    else answer = event.answer;
  }
  return { deltas, answer };
}

function answerOf(events: Events): ChatAnswer {
  expect(events.answer).toBeDefined();
  return events.answer as ChatAnswer;
}

/** The text of the last user turn the model was sent. */
function lastTurn(client: ChannelModelClient): string {
  const messages = client.requests[0]?.messages ?? [];
  const last = messages.at(-1);
  expect(last?.role).toBe('user');
  return last?.text ?? '';
}

describe('streamModelAnswer: the prompt', () => {
  it('shows the passages that match the question under their section markers, then the question', async () => {
    const client = answeringClient(['At 08:25 [S2].']);
    await collect(
      streamModelAnswer(client, sections, 'When was the alarm acknowledged?', {
        title: 'Payroll outage report',
        limits: { maxPassages: 5 },
      }),
    );

    const request = client.requests[0];
    expect(request?.system.map((part) => part.text).join('\n')).toBe(CHAT_INSTRUCTIONS);
    expect(CHAT_INSTRUCTIONS).toMatch(/only from the passages/);
    expect(CHAT_INSTRUCTIONS).toMatch(/do not contain the answer/);
    expect(request?.maxOutputTokens).toBe(1024);
    const turn = lastTurn(client);
    expect(turn).toContain('Document: Payroll outage report');
    expect(turn).toContain(
      `[S${at.timeline}] Timeline\n- 08:25: The on-call engineer acknowledged the alarm.`,
    );
    expect(turn).not.toContain('certificate');
    expect(turn).not.toContain('Staff were paid on time');
    expect(turn.endsWith('Question: When was the alarm acknowledged?')).toBe(true);
  });

  it('shows a document that fits the limits whole', async () => {
    const client = answeringClient(['At 08:25 [S2].']);
    await collect(streamModelAnswer(client, sections, 'When was the alarm acknowledged?'));
    const turn = lastTurn(client);
    for (const section of sections) {
      expect(turn).toContain(`[S${section.index}] ${section.heading ?? '(no heading)'}`);
    }
    expect(turn).toContain(
      `[S${at.rootCause}] Root cause\n- A certificate on the bank gateway had expired, so the upload was refused.`,
    );
  });

  it('passes the conversation on as earlier turns, the last ones only, long ones cut', async () => {
    const history: ChatMessage[] = [
      { role: 'assistant', content: 'Ask me about the report.' },
      { role: 'user', content: 'What failed?' },
      { role: 'assistant', content: 'The nightly payroll export [S1].' },
      { role: 'user', content: 'Why did it fail?' },
      {
        role: 'assistant',
        content: `A certificate had expired [S3]. ${'More detail. '.repeat(40)}`,
      },
    ];
    const client = answeringClient(['At 08:50 [S2].']);
    await collect(
      streamModelAnswer(client, sections, 'When was it rerun?', {
        history,
        limits: { maxPassages: 3, maxHistoryMessages: 3, maxHistoryMessageChars: 100 },
      }),
    );

    const messages = client.requests[0]?.messages ?? [];
    expect(messages.map(({ role }) => role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0]?.text).toBe('Why did it fail?');
    expect(messages[1]?.text).toHaveLength(100);
    expect(messages[1]?.text.startsWith('A certificate had expired [S3].')).toBe(true);
    expect(messages[1]?.text.endsWith('…')).toBe(true);
    // The follow-up keeps its subject: the export rows are shown.
    expect(messages[2]?.text).toContain('08:50: The export was rerun and succeeded.');
  });

  it('starts the conversation with the user and joins turns of one role in a row', async () => {
    const history: ChatMessage[] = [
      { role: 'assistant', content: 'Hello.' },
      { role: 'user', content: 'Who owns the actions?' },
    ];
    const client = answeringClient(['Priya Shah [S4].']);
    await collect(streamModelAnswer(client, sections, 'And the certificate one?', { history }));

    const messages = client.requests[0]?.messages ?? [];
    expect(messages).toHaveLength(1);
    expect(messages[0]?.text.startsWith('Who owns the actions?\n\n<passages>')).toBe(true);
  });

  it('shows at most the passages the limits allow, best first', async () => {
    const client = answeringClient(['It failed [S2].']);
    await collect(
      streamModelAnswer(client, sections, 'When did the payroll export fail?', {
        limits: { maxPassages: 1 },
      }),
    );
    const passageLines = lastTurn(client)
      .split('\n')
      .filter((line) => line.startsWith('- '));
    expect(passageLines).toEqual(['- 08:10: The payroll export failed.']);
  });

  it('shows the opening passages when nothing in the document matches', async () => {
    const client = answeringClient(['The document does not appear to say.']);
    await collect(streamModelAnswer(client, sections, 'Was a zebra involved?'));
    expect(lastTurn(client)).toContain(
      `[S${at.summary}] Summary\n- On 2 May 2025 the nightly payroll export failed for 40 minutes.`,
    );
  });

  it('refuses an empty question or bad limits without calling the model', async () => {
    const client = new ChannelModelClient();
    await expect(collect(streamModelAnswer(client, sections, '   '))).rejects.toMatchObject({
      code: 'invalid_argument',
    });
    await expect(
      collect(streamModelAnswer(client, sections, 'What failed?', { limits: { maxPassages: 0 } })),
    ).rejects.toThrow(/maxPassages/);
    await expect(
      collect(streamModelAnswer(client, sections, 'What failed?', { maxOutputTokens: 0.5 })),
    ).rejects.toBeInstanceOf(PrismError);
    expect(client.requests).toHaveLength(0);
  });
});

describe('streamModelAnswer: the answer', () => {
  it('streams the text in order as it arrives, before the model has finished', async () => {
    const client = new ChannelModelClient();
    const events = streamModelAnswer(client, sections, 'When was the alarm acknowledged?');

    client.send('The on-call');
    expect(await events.next()).toEqual({
      done: false,
      value: { type: 'delta', text: 'The on-call' },
    });
    // A space at the end waits for the text after it.
    client.send(' engineer acknowledged it ', 'at 08:25.');
    expect((await events.next()).value).toEqual({
      type: 'delta',
      text: ' engineer acknowledged it',
    });
    expect((await events.next()).value).toEqual({ type: 'delta', text: ' at 08:25.' });
    expect(client.stopped).toBe(false);

    client.finish();
    const done = await events.next();
    expect(done.value).toMatchObject({
      type: 'done',
      answer: { answer: 'The on-call engineer acknowledged it at 08:25.' },
    });
    expect((await events.next()).done).toBe(true);
  });

  it('turns the markers into citations of the shown sections, quoting the matching passage', async () => {
    const client = answeringClient([
      'The engineer acknowledged the alarm at 08:25 [S',
      `${at.timeline}]. The export was rerun at 08:50 [S${at.timeline}, S99`,
      ']. It failed for 40 minutes.',
    ]);
    const events = await collect(
      streamModelAnswer(client, sections, 'When was the alarm acknowledged and the export rerun?'),
    );

    const S = `[S${at.timeline}]`;
    expect(events.deltas).toEqual([
      'The engineer acknowledged the alarm at 08:25',
      ` ${S}. The export was rerun at 08:50`,
      ` ${S}. It failed for 40 minutes.`,
    ]);
    const answer = answerOf(events);
    expect(answer.answer).toBe(events.deltas.join(''));
    expect(answer.citations).toEqual([
      {
        sectionIndex: at.timeline,
        heading: 'Timeline',
        quote: '08:25 | The on-call engineer acknowledged the alarm',
      },
      {
        sectionIndex: at.timeline,
        heading: 'Timeline',
        quote: '08:50 | The export was rerun and succeeded',
      },
    ]);
    for (const citation of answer.citations) {
      expect(sections[citation.sectionIndex]?.text).toContain(citation.quote);
    }
  });

  it('drops markers of sections the model was not shown, even real ones', async () => {
    const client = answeringClient([
      `Staff were paid on time [S${at.rootCause}][S`,
      `${at.summary}].`,
    ]);
    const events = await collect(
      streamModelAnswer(client, sections, 'Were staff paid on time?', {
        limits: { maxPassages: 2 },
      }),
    );
    const answer = answerOf(events);
    expect(answer.answer).toBe(`Staff were paid on time [S${at.summary}].`);
    expect(answer.citations).toEqual([
      { sectionIndex: at.summary, heading: 'Summary', quote: 'Staff were paid on time.' },
    ]);
  });

  it('leaves no stray space where a marker was taken out', async () => {
    const client = answeringClient(['Paid on time [S99]. Nothing else [S', '42] was said [S7] .']);
    const answer = answerOf(await collect(streamModelAnswer(client, sections, 'Who was paid?')));
    expect(answer.answer).toBe('Paid on time. Nothing else was said.');
  });

  it('has no citations when the model cites nothing, and keeps text that only looks like a marker', async () => {
    const client = answeringClient(['The document does not say [see above] or [S', 'x].']);
    const answer = answerOf(
      await collect(streamModelAnswer(client, sections, 'Who approved the rerun?')),
    );
    expect(answer.answer).toBe('The document does not say [see above] or [Sx].');
    expect(answer.citations).toEqual([]);
  });

  it('reports the model, its usage and the cost at the configured prices', async () => {
    const usage = { inputTokens: 2000, outputTokens: 100, cacheReadInputTokens: 1000 };
    const priced = await collect(
      streamModelAnswer(
        answeringClient(['At 08:25.'], usage, 'openai-compatible:gpt-4o'),
        sections,
        'When was the alarm acknowledged?',
      ),
    );
    expect(answerOf(priced).model).toBe('openai-compatible:gpt-4o');
    // 1,000 uncached input tokens at $2.50, 1,000 cached at $1.25, 100 output at $10 per million.
    expect(answerOf(priced).usage).toEqual({
      inputTokens: 2000,
      outputTokens: 100,
      cacheReadInputTokens: 1000,
      costUsd: expect.closeTo(0.00475, 10),
    });

    const own = await collect(
      streamModelAnswer(answeringClient(['At 08:25.'], usage), sections, 'When?', {
        prices: { 'openai-compatible:test-model': { inputPerMillion: 1, outputPerMillion: 2 } },
      }),
    );
    expect(answerOf(own).usage.costUsd).toBeCloseTo(0.0022, 10);

    const unpriced = await collect(
      streamModelAnswer(answeringClient(['At 08:25.'], usage), sections, 'When?'),
    );
    expect(answerOf(unpriced).usage).toMatchObject({ inputTokens: 2000, costUsd: null });
  });

  it('throws the model error, after the text already streamed', async () => {
    const client = new ChannelModelClient()
      .send('The engineer')
      .fail(new ModelError('model_unavailable', 'The service closed the stream.'));
    const events = streamModelAnswer(client, sections, 'Who acknowledged the alarm?');
    expect((await events.next()).value).toEqual({ type: 'delta', text: 'The engineer' });
    await expect(events.next()).rejects.toMatchObject({ code: 'model_unavailable' });
  });

  it('fails with model_answer_invalid when the model writes nothing but space', async () => {
    const events = streamModelAnswer(answeringClient([' ', '\n']), sections, 'What failed?');
    await expect(collect(events)).rejects.toSatisfy(
      (error) => error instanceof ModelError && error.code === 'model_answer_invalid',
    );
  });

  it('stops the model when the signal aborts, with the signal reason', async () => {
    const client = new ChannelModelClient().send('The engineer');
    const controller = new AbortController();
    const events = streamModelAnswer(client, sections, 'Who acknowledged the alarm?', {
      signal: controller.signal,
    });
    expect((await events.next()).value).toEqual({ type: 'delta', text: 'The engineer' });
    expect(client.requests[0]?.signal).toBe(controller.signal);

    const reason = new Error('The reader went away.');
    const pending = events.next();
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(client.stopped).toBe(true);
  });

  it('does not call the model when the signal has already aborted', async () => {
    const client = new ChannelModelClient();
    const controller = new AbortController();
    controller.abort(new Error('Gone.'));
    await expect(
      collect(streamModelAnswer(client, sections, 'What failed?', { signal: controller.signal })),
    ).rejects.toThrow('Gone.');
    expect(client.requests).toHaveLength(0);
  });
});

describe('CitationMarkers', () => {
  it('holds back only what may still be a marker, and passes it on at the end when it is not one', () => {
    const markers = new CitationMarkers(new Set([1]));
    expect(markers.push('A list [')).toBe('A list');
    expect(markers.push('S1')).toBe('');
    expect(markers.push(',')).toBe('');
    expect(markers.push(' S1] and [1] and a [S')).toBe(' [S1] and [1] and a');
    expect(markers.end()).toBe(' [S');
    expect(markers.text).toBe('A list [S1] and [1] and a [S');
    expect(markers.cited).toEqual([{ sectionIndex: 1, offset: 7 }]);
  });

  it('gives up holding back after 64 characters', () => {
    const markers = new CitationMarkers(new Set([1]));
    const long = `[S1${', S1'.repeat(20)}`;
    expect(markers.push(long)).toBe(long);
  });
});
