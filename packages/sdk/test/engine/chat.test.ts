import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { answerFromSections, NO_ANSWER } from '../../src/engine/chat.js';
import { lineSentences } from '../../src/engine/chat-sentences.js';
import { readDocument } from '../../src/engine/extract/index.js';
import { PrismError } from '../../src/errors.js';
import type { ChatMessage, Citation } from '../../src/schema/chat.js';
import type { Section } from '../../src/schema/documents.js';

const INCIDENT = `# Incident Report: Finance Mailbox Compromise

**Reference:** INC-2025-031 · **Status:** closed

## Summary

On 4 March 2025 an attacker used a phished password to sign in to the finance mailbox of Mr. Patel, the accounts payable lead. The attacker changed the bank details of two suppliers before the account was disabled. The phishing email was contained at 11:00. About 3.5 hours passed between the first malicious sign-in and the end of the incident. The incident was handled by Dr. Okafor, the security manager. No payments were lost.

## Timeline

| Time | Event |
|---|---|
| 09:12 | Phishing email delivered to the accounts payable team |
| 09:31 | Mr. Patel enters his password on the fake sign-in page |
| 10:05 | Attacker changes the bank details of two suppliers |
| 12:40 | Service desk reports unusual inbox rules on the mailbox |
| 12:58 | The account was disabled by the security team |
| 13:20 | Account contained: sessions revoked and password reset |

## Root cause

The root cause was that the finance mailbox did not require multi-factor authentication (MFA), so a stolen password was enough to sign in. Conditional access exempted the finance team since 2021, e.g. for the legacy invoicing tool.

## Actions

- Enforce MFA on all finance accounts by 31 March 2025.
- Retire the exemption for the legacy invoicing tool.
- Run phishing awareness training for finance staff by 30 April 2025.
`;

let incident: Section[];

beforeAll(async () => {
  const read = await readDocument({
    bytes: new TextEncoder().encode(INCIDENT),
    filename: 'incident.md',
  });
  incident = read.sections;
});

function section(index: number, heading: string | null, text: string): Section {
  return { index, heading, level: heading === null ? 0 : 2, text, anchors: [] };
}

/** Every citation quotes its section exactly. */
function expectGrounded(sections: readonly Section[], citations: Citation[]): void {
  for (const citation of citations) {
    const cited = sections.find((candidate) => candidate.index === citation.sectionIndex);
    expect(cited?.heading).toBe(citation.heading);
    expect(cited?.text).toContain(citation.quote);
  }
}

function thrown(run: () => unknown): PrismError {
  try {
    run();
  } catch (error) {
    if (error instanceof PrismError) return error;
    throw error;
  }
  throw new Error('expected a PrismError');
}

describe('answerFromSections on an incident report', () => {
  it('answers "when" with the timeline entry that gives the time', () => {
    const result = answerFromSections(incident, 'When was the account disabled?');
    expect(result.citations).toContainEqual({
      sectionIndex: incident.find((s) => s.heading === 'Timeline')?.index,
      heading: 'Timeline',
      quote: '12:58 | The account was disabled by the security team',
    });
    expect(result.answer).toContain('12:58: The account was disabled by the security team.');
    expectGrounded(incident, result.citations);
  });

  it('matches plurals and other inflections of the question words', () => {
    const result = answerFromSections(incident, 'Which accounts were disabling?');
    expect(result.citations.map((citation) => citation.quote)).toContain(
      '12:58 | The account was disabled by the security team',
    );
  });

  it('cites the Root cause section for the root cause, its own statement first', () => {
    const result = answerFromSections(incident, 'What was the root cause?');
    expect(result.citations.map((citation) => citation.heading)).toEqual(['Root cause']);
    expect(result.answer).toMatch(/^The root cause was that the finance mailbox did not require/);
    expectGrounded(incident, result.citations);
  });

  it('favours the section whose heading the question names', () => {
    const result = answerFromSections(incident, 'What are the actions?');
    expect(result.citations.map((citation) => citation.heading)).toEqual([
      'Actions',
      'Actions',
      'Actions',
    ]);
    expect(result.citations[0]?.quote).toBe(
      'Enforce MFA on all finance accounts by 31 March 2025.',
    );
  });

  it('quotes at most maxSentences sentences, in document order', () => {
    const question = 'What about phishing?';
    const three = answerFromSections(incident, question);
    expect(three.citations).toHaveLength(3);
    const documentText = incident.map((s) => s.text).join('\n');
    const positions = three.citations.map((citation) => documentText.indexOf(citation.quote));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(three.answer).toBe(
      'The phishing email was contained at 11:00. ' +
        '09:12: Phishing email delivered to the accounts payable team. ' +
        'Run phishing awareness training for finance staff by 30 April 2025.',
    );

    const one = answerFromSections(incident, question, { maxSentences: 1 });
    expect(one.citations).toHaveLength(1);
  });

  it('uses the previous question to keep a follow-up on its subject', () => {
    const question = 'And when was it contained?';
    const alone = answerFromSections(incident, question, { maxSentences: 1 });
    expect(alone.citations[0]?.quote).toBe('The phishing email was contained at 11:00.');

    const history: ChatMessage[] = [
      { role: 'user', content: 'When was the account disabled?' },
      { role: 'assistant', content: '12:58: The account was disabled by the security team.' },
    ];
    const followUp = answerFromSections(incident, question, { history, maxSentences: 1 });
    expect(followUp.citations[0]?.quote).toBe(
      '13:20 | Account contained: sessions revoked and password reset',
    );
  });

  it('reads a question of stop words only as the previous question', () => {
    const history: ChatMessage[] = [{ role: 'user', content: 'When was the account disabled?' }];
    const result = answerFromSections(incident, 'and when?', { history });
    expect(result.citations.map((citation) => citation.quote)).toContain(
      '12:58 | The account was disabled by the security team',
    );
  });

  it('says plainly when the document does not answer, without citations when nothing matches', () => {
    expect(answerFromSections(incident, 'What was the weather like?')).toEqual({
      answer: NO_ANSWER,
      citations: [],
    });
  });

  it('points to the closest sections when only part of the question matches', () => {
    const result = answerFromSections(
      incident,
      'How large was the ransom demanded for the finance mailbox?',
    );
    expect(result.answer.startsWith(`${NO_ANSWER} The closest section`)).toBe(true);
    expect(result.answer).not.toContain('ransom');
    expect(result.citations.length).toBeGreaterThan(0);
    expect(new Set(result.citations.map((citation) => citation.sectionIndex)).size).toBe(
      result.citations.length,
    );
    for (const citation of result.citations)
      expect(result.answer).toContain(`"${citation.heading}"`);
    expectGrounded(incident, result.citations);
  });

  it('keeps abbreviations, titles and decimals inside their sentence', () => {
    const handled = answerFromSections(incident, 'Who handled the incident?');
    expect(handled.citations[0]?.quote).toBe(
      'The incident was handled by Dr. Okafor, the security manager.',
    );
    const hours = answerFromSections(incident, 'How many hours passed before the incident ended?', {
      maxSentences: 1,
    });
    expect(hours.citations[0]?.quote).toBe(
      'About 3.5 hours passed between the first malicious sign-in and the end of the incident.',
    );
    const exempt = answerFromSections(incident, 'Why was the finance team exempted?', {
      maxSentences: 1,
    });
    expect(exempt.citations[0]?.quote).toBe(
      'Conditional access exempted the finance team since 2021, e.g. for the legacy invoicing tool.',
    );
  });

  it('quotes list items without their marker', () => {
    const result = answerFromSections(incident, 'When is the phishing awareness training due?');
    expect(result.citations.map((citation) => citation.quote)).toContain(
      'Run phishing awareness training for finance staff by 30 April 2025.',
    );
    expectGrounded(incident, result.citations);
  });

  it('gives the same answer every time', () => {
    const question = 'What did the attacker change?';
    expect(answerFromSections(incident, question)).toEqual(answerFromSections(incident, question));
  });
});

describe('answerFromSections on other documents', () => {
  it('quotes a sentence the document repeats once', () => {
    const repeated = 'The account was disabled at 12:58 by the security team.';
    const sections = [
      section(0, 'Summary', `A phishing email reached the finance team. ${repeated}`),
      section(1, 'Containment', `${repeated} Sessions were revoked at 13:20.`),
      section(2, 'Notes', 'the account was disabled at 12:58 by the security team'),
    ];
    const result = answerFromSections(sections, 'When was the account disabled?');
    expect(result.citations).toHaveLength(1);
    expect(result.citations[0]?.quote).toBe(repeated);
    expect(result.answer).toBe(repeated);
  });

  it('cites sections without a heading with a null heading', () => {
    const sections = [
      section(0, null, 'Payroll runs monthly. The overpayment totalled £112,530 across 186 staff.'),
    ];
    const result = answerFromSections(sections, 'How much was the overpayment?');
    expect(result.citations).toEqual([
      {
        sectionIndex: 0,
        heading: null,
        quote: 'The overpayment totalled £112,530 across 186 staff.',
      },
    ]);
  });

  it('says the document does not answer when it is empty', () => {
    expect(answerFromSections([], 'When was the account disabled?')).toEqual({
      answer: NO_ANSWER,
      citations: [],
    });
    expect(answerFromSections([section(0, 'Summary', '')], 'Why?')).toEqual({
      answer: NO_ANSWER,
      citations: [],
    });
  });

  it('finds the one relevant sentence in a 5,000-section document', () => {
    const sections = Array.from({ length: 5000 }, (_, i) =>
      section(
        i,
        `Shift log ${i}`,
        `Operator ${i} checked pump ${i % 40} at 0${i % 10}:15. Pressure read ${i % 90}.5 bar. No faults were recorded.`,
      ),
    );
    sections[3712] = section(
      3712,
      'Shift log 3712',
      'The compressor seal failed at 04:22 and was replaced by the night crew.',
    );
    const result = answerFromSections(sections, 'When did the compressor seal fail?');
    expect(result.citations[0]).toEqual({
      sectionIndex: 3712,
      heading: 'Shift log 3712',
      quote: 'The compressor seal failed at 04:22 and was replaced by the night crew.',
    });
  });
});

describe('answerFromSections input checks', () => {
  it.each(['', '   \n\t'])('rejects the empty question %j', (question) => {
    const error = thrown(() => answerFromSections(incident, question));
    expect(error.code).toBe('invalid_argument');
    expect(error.hint).toMatch(/question/i);
  });

  it('accepts a question of 4,000 characters and rejects a longer one', () => {
    const long = `When was the account disabled? ${'x'.repeat(4000)}`;
    expect(() => answerFromSections(incident, long.slice(0, 4000))).not.toThrow();
    const error = thrown(() => answerFromSections(incident, long.slice(0, 4001)));
    expect(error.code).toBe('invalid_argument');
    expect(error.message).toContain('4000');
    expect(error.hint).toBeDefined();
  });

  it.each([0, -1, 2.5, 21])('rejects maxSentences %d', (maxSentences) => {
    const error = thrown(() => answerFromSections(incident, 'Root cause?', { maxSentences }));
    expect(error.code).toBe('invalid_argument');
    expect(error.hint).toMatch(/maxSentences/);
  });
});

describe('sentence splitting', () => {
  it.each([
    [
      'Mr. Patel called Dr. Okafor. She answered.',
      ['Mr. Patel called Dr. Okafor.', 'She answered.'],
    ],
    ['Costs rose 3.5 percent. Sales fell.', ['Costs rose 3.5 percent.', 'Sales fell.']],
    ['Logged at 10:42. Fixed at 11:05.', ['Logged at 10:42.', 'Fixed at 11:05.']],
    [
      'Tools, e.g. Splunk, were used. Then it stopped.',
      ['Tools, e.g. Splunk, were used.', 'Then it stopped.'],
    ],
    ['See No. 5 and Fig. 2 in the U.K. report.', ['See No. 5 and Fig. 2 in the U.K. report.']],
    [
      'It peaked at 11.4 °C. Of 198 pallets, 3 were lost.',
      ['It peaked at 11.4 °C.', 'Of 198 pallets, 3 were lost.'],
    ],
    ['Paged at 3 p.m. The team replied.', ['Paged at 3 p.m.', 'The team replied.']],
    [
      'J. Smith approved it! Was it right? "Yes." Done.',
      ['J. Smith approved it!', 'Was it right?', '"Yes."', 'Done.'],
    ],
  ])('splits %j', (line, expected) => {
    expect(lineSentences(line)).toEqual(expected);
  });
});

describe('answerFromSections on the sample documents', () => {
  const documentsDir = resolve(import.meta.dirname, '../../../../examples/documents');
  const read = async (name: string) => {
    const path = resolve(documentsDir, name);
    return (await readDocument({ bytes: readFileSync(path), filename: path })).sections;
  };

  it.each([
    [
      'phishing-account-takeover.md',
      'When were the inbox rules removed?',
      'Timeline',
      '14 May | Inbox rules removed; phishing emails purged from all mailboxes',
    ],
    [
      'cold-chain-excursion.md',
      'When did the first probe exceed 8.0 °C?',
      'Timeline',
      '8 Mar, 01:52 | First probe exceeds 8.0 °C',
    ],
    [
      'injection-moulding-defect.md',
      'Who reported the cracked latches?',
      'Timeline',
      "7 Apr, 09:15 | Customer's SQE reports cracked latches by email",
    ],
    [
      'payroll-overpayment.md',
      'How much was the gross overpayment?',
      null,
      "The gross overpayment is £112,530, an average of £605 and a range of £418 to £902 per employee; after income tax, National Insurance and pension deductions, £73,140 reached employees' bank accounts.",
    ],
  ])('%s: %s', async (file, question, heading, quote) => {
    const sections = await read(file);
    const result = answerFromSections(sections, question);
    expect(result.citations).toContainEqual(expect.objectContaining({ heading, quote }));
    expectGrounded(sections, result.citations);
  });
});
