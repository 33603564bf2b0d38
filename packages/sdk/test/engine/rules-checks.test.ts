import { describe, expect, it } from 'vitest';
import { luhnValid } from '../../src/engine/providers/rules/sensitive-data.js';
import { categories, documentOf, review, reviewSection, STRONG_PARTS } from './rules-fixture.js';

/** The strong document with one section replaced (or removed, when `text` is null). */
function strongWith(heading: string, text: string | null, newHeading = heading) {
  const parts = STRONG_PARTS.flatMap(([h, t]): [string, string][] =>
    h !== heading ? [[h, t]] : text === null ? [] : [[newHeading, text]],
  );
  return documentOf(parts);
}

async function minorOrWorse(document: ReturnType<typeof documentOf>) {
  return (await review(document)).filter((finding) => finding.severity !== 'info');
}

describe('a strong document', () => {
  it('gets no finding of severity minor or above', async () => {
    expect(await minorOrWorse(documentOf(STRONG_PARTS))).toEqual([]);
  });
});

describe('items missing from the document', () => {
  it('flags an item with no heading and no content, at the item default severity', async () => {
    const findings = await review(strongWith('Lessons learned', null));
    const missing = findings.filter((finding) => finding.category === 'missing-lessons');
    expect(missing).toEqual([
      expect.objectContaining({
        sectionIndex: null,
        frameworkItems: [{ number: 14, key: 'lessons' }],
        severity: 'major',
        quote: null,
        origin: 'rule',
      }),
    ]);
  });

  it('makes a missing root cause, impact or action plan critical', async () => {
    const findings = await review(documentOf([['Notes', 'Something went wrong on Monday.']]));
    const critical = findings.filter((finding) => finding.severity === 'critical');
    expect(categories(critical)).toEqual([
      'missing-actions',
      'missing-impact',
      'missing-root-cause',
    ]);
  });

  it('finds an item by a differently worded heading', async () => {
    const renamed = strongWith('Lessons learned', STRONG_PARTS[13]?.[1] ?? '', 'Key learnings');
    expect(categories(await review(renamed))).not.toContain('missing-lessons');
  });

  it('finds an item by its content when it has no heading of its own', async () => {
    const document = strongWith('Lessons learned', null);
    const withContent = documentOf([
      ...document.sections.map((s): [string, string] => [s.heading ?? '', s.text]),
      ['Notes', 'What went well was the quick alert; what went badly was the silent job.'],
    ]);
    expect(categories(await review(withContent))).not.toContain('missing-lessons');
  });

  it('finds items in paragraphs with run-in labels ("Impact. ...")', async () => {
    const text = STRONG_PARTS.map(
      ([heading, body]) => `${heading}. ${body.split('\n').join(' ')}`,
    ).join('\n\n');
    const findings = await review(documentOf([[null, text]]));
    expect(categories(findings).filter((category) => category.startsWith('missing-'))).toEqual([]);
  });

  it('reports a section holding only a placeholder as missing, pointing at the section', async () => {
    const findings = await review(strongWith('Alternatives considered', 'TBD'));
    const missing = findings.find((finding) => finding.category === 'missing-hypotheses');
    expect(missing).toMatchObject({
      sectionIndex: 9,
      severity: 'major',
      title: expect.stringMatching(/Empty/),
    });
  });

  it('flags a heading-free document that does not open with a summary', async () => {
    const document = documentOf([
      [
        null,
        'The finance analyst preparing the quarterly report asked the payables team to look into packaging costs, and we went through the invoices with the supplier over four sessions in July.',
      ],
    ]);
    expect(categories(await review(document))).toContain('missing-summary');
  });

  it('cites only items the framework has', async () => {
    const framework = {
      id: 'two-items',
      version: '1.0.0',
      name: 'Two items',
      description: '',
      builtIn: false,
      createdAt: '2025-01-01T00:00:00Z',
      items: [
        {
          number: 1,
          key: 'clarity',
          title: 'Clarity',
          checks: 'clear',
          defaultSeverity: 'minor' as const,
        },
        {
          number: 2,
          key: 'lessons',
          title: 'Lessons',
          checks: 'lessons',
          defaultSeverity: 'critical' as const,
        },
      ],
    };
    const findings = await review(
      documentOf([['Notes', 'Several things happened. TBD.']]),
      {},
      framework,
    );
    expect(new Set(findings.map((finding) => finding.frameworkItems[0]?.key))).toEqual(
      new Set(['clarity', 'lessons']),
    );
    expect(findings.find((finding) => finding.category === 'missing-lessons')).toMatchObject({
      severity: 'critical',
      frameworkItems: [{ number: 2, key: 'lessons' }],
    });
  });
});

describe('timeline checks', () => {
  it('flags entries without dates or times, quoting the first', async () => {
    const findings = await reviewSection(
      'Timeline',
      '- Change merged to the routing repository.\n- Pipeline pushed the change.\n- 14:03 UTC alert fired.',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        category: 'timeline-entry-without-time',
        severity: 'minor',
        frameworkItems: [{ number: 4, key: 'timeline' }],
        quote: 'Change merged to the routing repository.',
      }),
    ]);
  });

  it('flags times without a time zone, and only notes "local time"', async () => {
    expect(
      categories(await reviewSection('Timeline', '- 09:12 Email received\n- 09:20 Link clicked')),
    ).toEqual(['timeline-missing-time-zone']);
    const local = await reviewSection(
      'Timeline (local time)',
      '- 09:12 Email received\n- 09:20 Link clicked',
    );
    expect(local.map((finding) => [finding.category, finding.severity])).toEqual([
      ['timeline-missing-time-zone', 'info'],
    ]);
    expect(
      await reviewSection('Timeline', '- 09:12 CET Email received\n- 09:20 Link clicked'),
    ).toEqual([]);
  });

  it('flags entries out of order, allowing a timeline to cross midnight', async () => {
    const backwards = await reviewSection(
      'Timeline (UTC)',
      '- 10:15 Call\n- 09:48 Access removed\n- 11:00 Done',
    );
    expect(categories(backwards)).toEqual(['timeline-out-of-order']);
    expect(
      await reviewSection('Timeline (UTC)', '- 23:50 Job starts\n- 00:10 Job fails\n- 00:40 Rerun'),
    ).toEqual([]);
  });

  it('accepts a timeline of one entry per date, but not several entries on a day without times', async () => {
    const days =
      'Date | Event\n1 Jan | Audit period starts\n19 Feb | Upgrade\n2 Sep | Duplicates found';
    expect(await reviewSection('Timeline', days)).toEqual([]);
    const sameDay =
      '- 3 June, morning: prescription labelled\n- 3 June, afternoon: medicine collected';
    expect(categories(await reviewSection('Timeline', sameDay))).toEqual([
      'timeline-entry-without-time',
    ]);
  });
});

describe('action checks', () => {
  it('flags an action table without owner and due-date columns, and a TBD priority', async () => {
    const findings = await reviewSection(
      'Action items',
      'Action | Priority\nAdd a canary stage | P1\nAlert on callback rejections | TBD',
    );
    expect(categories(findings)).toEqual([
      'action-missing-due-date',
      'action-missing-owner',
      'action-missing-priority',
      'placeholder',
    ]);
    expect(findings.find((f) => f.category === 'action-missing-owner')?.quote).toBe(
      'Action | Priority',
    );
  });

  it('accepts list items with owner, due date and priority, and flags those without', async () => {
    const complete =
      '1. Require new ferrules — owner: laboratory manager — due 28 February — priority high.\n2. Test at working pressure — owner: gas safety coordinator — due 15 February — priority high.';
    expect(await reviewSection('Actions', complete)).toEqual([]);
    const bare =
      '- Remove MFA exemptions — IT security.\n- Alert on forwarding rules — Security operations.';
    expect(categories(await reviewSection('Actions', bare))).toEqual([
      'action-missing-due-date',
      'action-missing-priority',
    ]);
  });

  it('flags an owner cell left as TBD and a vague action', async () => {
    const findings = await reviewSection(
      'Corrective actions',
      'Action | Owner | Due | Priority\nImprove monitoring | Platform lead | 30 April | High\nRetrain operators | TBD | 15 May | Medium',
    );
    expect(categories(findings)).toEqual([
      'action-missing-owner',
      'action-not-specific',
      'placeholder',
    ]);
  });

  it('does not read "Immediate actions" as the action plan', async () => {
    expect(
      await reviewSection(
        'Immediate actions',
        'Aisle 14 was closed until 06:00 and pickers were kept out.',
      ),
    ).toEqual([]);
  });
});

describe('clarity checks', () => {
  it('flags vague quantifiers and time words once each, quoting the phrase', async () => {
    const findings = await reviewSection(
      'Notes',
      'We met the supplier over several sessions. Several invoices were wrong and some customers called. A fix ships soon.',
    );
    expect(findings.map((finding) => finding.quote)).toEqual([
      'several sessions',
      'some customers',
      'soon',
    ]);
    expect(findings.every((finding) => finding.category === 'vague-quantifier')).toBe(true);
  });

  it('does not flag "some 40", "as soon as", "how many" or a quantity word inside another word', async () => {
    const text =
      'Some 40 users were affected. We paged the team as soon as the alert fired. We counted how many orders failed. Handsome results.';
    expect(await reviewSection('Notes', text)).toEqual([]);
  });

  it('flags placeholders but not redaction masks', async () => {
    const findings = await reviewSection(
      'Notes',
      'Owner: TODO. Due: ???. Value: [insert date]. Card ****-****-1111, ref XXXX-1234.',
    );
    expect(findings.map((finding) => finding.title)).toEqual([
      'Placeholder left in: "TODO"',
      'Placeholder left in: "???"',
      'Placeholder left in: "[insert date]"',
    ]);
  });

  it('flags an acronym never defined, at its first use only', async () => {
    const document = documentOf([
      ['Notes', 'The GRT will look at this.'],
      ['More notes', 'The GRT met on Monday.'],
    ]);
    const findings = (await review(document)).filter((f) => f.category === 'undefined-acronym');
    expect(findings).toEqual([
      expect.objectContaining({ sectionIndex: 0, quote: 'GRT', severity: 'minor' }),
    ]);
  });

  it('accepts acronyms defined in brackets, spelled out elsewhere, common, or allowed by option', async () => {
    const text =
      'The write-ahead log (WAL) filled. The warehouse management system logged it; the WMS owner agreed. The CEO read the PDF at 10:00 UTC. SEV-2 incident on RT-07.';
    expect(await reviewSection('Notes', text)).toEqual([]);
    expect(
      await reviewSection('Notes', 'The GRT will look at this.', { allowedAcronyms: ['GRT'] }),
    ).toEqual([]);
  });

  it('notes an acronym defined only after its first use', async () => {
    const findings = await reviewSection(
      'Notes',
      'The CAB approved it. Later the change advisory board (CAB) met.',
    );
    expect(findings.map((f) => [f.category, f.severity])).toEqual([['undefined-acronym', 'info']]);
  });
});

describe('objectivity checks', () => {
  it('flags blame and a person named in a blame or role context', async () => {
    const findings = await reviewSection(
      'Findings',
      'Customer service agent Mark Delaney should have noticed the repeated addresses and was careless.',
    );
    expect(categories(findings)).toEqual(['blame-language', 'named-individual']);
    expect(findings.find((f) => f.category === 'named-individual')?.quote).toBe('Mark Delaney');
  });

  it('does not treat teams, systems or blameless statements as blame', async () => {
    const text =
      'The alert should have fired at 80%. No one is to blame for the outage. Customer Service and Site Leadership were informed. The Head of Trust and Safety was briefed.';
    expect(await reviewSection('Notes', text)).toEqual([]);
  });

  it('flags a personal name in an owner column, not a role', async () => {
    const table =
      'Action | Owner | Due | Priority\nRecord the number called | Anna Kowalski | 31 October | High\nHold first payments | Treasury manager | 15 November | High';
    const findings = await reviewSection('Actions', table);
    expect(findings.map((f) => [f.category, f.quote])).toEqual([
      ['named-individual', 'Anna Kowalski'],
    ]);
  });

  it('flags speculation stated as fact and emotive wording', async () => {
    expect(
      categories(
        await reviewSection(
          'Root cause',
          'The fan failed. It must have been faulty because the logs show a stall.',
        ),
      ),
    ).toContain('speculation-as-fact');
    expect(categories(await reviewSection('Notes', 'The pharmacist was clearly rushing.'))).toEqual(
      ['speculation-as-fact'],
    );
    expect(
      categories(await reviewSection('Notes', 'It was a disaster waiting to happen.')),
    ).toEqual(['emotive-language']);
  });
});

describe('sensitive data checks', () => {
  it('validates card numbers with the Luhn checksum', () => {
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });

  it('flags card numbers, emails, phone numbers, IBANs, keys and passwords', async () => {
    const text = [
      'Card 4111 1111 1111 1111 was used by refunds.ring@example.com.',
      'Call +44 20 7946 0958 or (555) 123-4567.',
      'Funds went to DE89 3704 0044 0532 0130 00.',
      'Key AKIAIOSFODNN7EXAMPLE was in the script; the password was set to Welcome2024!',
    ].join(' ');
    const findings = await reviewSection('Notes', text);
    expect(findings.map((f) => [f.category, f.severity, f.quote])).toEqual([
      ['card-number', 'major', '4111 1111 1111 1111'],
      ['bank-account', 'major', 'DE89 3704 0044 0532 0130 00'],
      ['secret', 'major', 'AKIAIOSF'],
      ['secret', 'major', 'password was set to'],
      ['personal-email', 'minor', 'refunds.ring@example.com'],
      ['phone-number', 'minor', '+44 20 7946 0958'],
      ['phone-number', 'minor', '(555) 123-4567'],
    ]);
    expect(findings.every((f) => f.frameworkItems[0]?.key === 'data-handling')).toBe(true);
  });

  it('does not mistake times, versions, amounts, dates, addresses or record numbers for personal data', async () => {
    const text = [
      'At 14:02:33 UTC version 2.14.3 went live; 1,146,000 cartons cost $57,300 (€1 250 000 in total).',
      'On 2024-03-15 host 10.20.30.40 failed; order 4111111111111111 and ticket 555-123-4567 were updated.',
      'Card 4111 1111 1111 1112 failed the check; 18,400 requests; 99.95% availability; aisles 10-18.',
      'The password was reset and the token was rotated. Masked card ****-****-****-1111.',
    ].join(' ');
    expect(await reviewSection('Notes', text)).toEqual([]);
  });

  it('notes a team mailbox only as info', async () => {
    const findings = await reviewSection('Notes', 'Report phishing to security@example.com.');
    expect(findings.map((f) => [f.category, f.severity])).toEqual([['personal-email', 'info']]);
  });
});

describe('impact and root-cause checks', () => {
  it('flags an impact section without a single number', async () => {
    const findings = await reviewSection(
      'Impact',
      'The impact was significant. The picker was hurt and morale suffered.',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        category: 'impact-not-quantified',
        quote: 'The impact was significant.',
      }),
    ]);
    expect(
      await reviewSection('Impact', 'One picker was injured and 6 hours of picking were lost.'),
    ).toEqual([]);
  });

  it('flags a root cause that restates the event', async () => {
    const document = documentOf(
      [
        [
          'Summary',
          'A reach truck collided with a picker in aisle 14; the picker has returned to work.',
        ],
        ['Root cause', 'The root cause was that the truck collided with the picker in aisle 14.'],
      ],
      'Forklift collision',
    );
    expect(categories(await review(document))).toContain('root-cause-restates-symptom');
  });

  it('flags a root cause whose "because" repeats the symptom, but not a real mechanism', async () => {
    const restated = documentOf(
      [
        [
          'Root cause',
          'The invoices were corrupted because the renderer generated corrupted PDF files.',
        ],
      ],
      'Corrupted invoice PDFs',
    );
    expect(categories(await review(restated))).toContain('root-cause-restates-symptom');
    const real = documentOf(
      [
        [
          'Root cause',
          'The invoices were corrupted because the new font library had no glyphs for accented names, and no test covered them.',
        ],
      ],
      'Corrupted invoice PDFs',
    );
    expect(categories(await review(real))).not.toContain('root-cause-restates-symptom');
  });

  it('flags "human error" and a guessed root cause', async () => {
    expect(
      categories(
        await reviewSection(
          'Root cause',
          'The root cause was human error: the operator did not change the bottle.',
        ),
      ),
    ).toContain('root-cause-human-error');
    expect(
      categories(await reviewSection('Root cause', 'The charger probably overheated.')),
    ).toContain('root-cause-without-reasoning');
  });
});

describe('item content checks', () => {
  it('flags weak sections: alternatives not ruled out, risk without likelihood, undated verification', async () => {
    expect(
      categories(
        await reviewSection(
          'Alternatives considered',
          'We looked at a compressor fault and a door left open.',
        ),
      ),
    ).toEqual(['hypotheses-not-ruled-out']);
    expect(
      categories(
        await reviewSection(
          'Residual risk',
          'Trailers without telematics could still lose temperature.',
        ),
      ),
    ).toEqual(['risk-likelihood-missing']);
    expect(
      categories(
        await reviewSection(
          'Verification',
          'The transport manager will check that the checklist is used.',
        ),
      ),
    ).toEqual(['verification-not-scheduled']);
  });

  it('flags a summary without a status, and a summary that is not at the start', async () => {
    expect(
      categories(
        await reviewSection(
          'Summary',
          'A supplier was paid twice, 37 times, for $212,480 in total.',
        ),
      ),
    ).toEqual(['summary-missing-status']);
    const late = documentOf([...STRONG_PARTS.slice(1), STRONG_PARTS[0] as [string, string]]);
    expect(categories(await review(late))).toContain('summary-not-first');
  });
});

describe('false positives that careful wording avoids', () => {
  it('does not take equipment codes such as GEN-B2 for acronyms', async () => {
    const document = strongWith(
      'Mitigation',
      'At 14:36 UTC the engineer moved the load to GEN-B2 and then to UPS-A1; the alarm cleared at 14:40 UTC.',
    );
    expect(categories(await minorOrWorse(document))).not.toContain('undefined-acronym');
  });

  it('does not take "Near-Miss" in a title for a person named Miss', async () => {
    const document = strongWith(
      'Summary',
      `Near-Miss Investigation. ${STRONG_PARTS[0]?.[1] ?? ''}`,
    );
    expect(categories(await minorOrWorse(document))).not.toContain('named-individual');
  });

  it('reads the root cause, not the trigger stated before it', async () => {
    const rootCause = STRONG_PARTS.find(([heading]) => heading === 'Root cause')?.[1] ?? '';
    const document = strongWith(
      'Root cause',
      `Trigger: a configuration push.\n\nRoot cause: ${rootCause}`,
    );
    const found = categories(await minorOrWorse(document));
    expect(found).not.toContain('root-cause-restates-symptom');
    expect(found).not.toContain('root-cause-without-reasoning');
  });
});

describe('technical terms that look like something else', () => {
  it('does not call "disaster-recovery" emotive or a chemical formula an undefined acronym', async () => {
    const document = strongWith(
      'Mitigation',
      'At 14:36 UTC the team failed over to the disaster-recovery site and vented the CO₂ and H2S lines; service resumed at 14:52 UTC.',
    );
    const found = categories(await minorOrWorse(document));
    expect(found).not.toContain('emotive-language');
    expect(found).not.toContain('undefined-acronym');
  });
});

describe('roles, quotations and numbered run-in labels', () => {
  it('does not take a job title for a person named instead of their role', async () => {
    const document = strongWith(
      'Actions',
      'Action | Owner | Due | Priority\nAlert when the renewal job fails | Superintendent Pharmacist | 20 May | P1\nMonitor certificate expiry dates | Foundation Grants Manager | 31 May | P2',
    );
    expect(categories(await minorOrWorse(document))).not.toContain('named-individual');
  });

  it('does not take capitalised words inside a quotation for acronyms', async () => {
    const document = strongWith(
      'Background',
      'Label shortcodes expand into standard wording ("4W" reads "Take FOUR tablets ONCE a WEEK"), and a pharmacist checks each label against the prescription before it is handed out.',
    );
    expect(categories(await minorOrWorse(document))).not.toContain('undefined-acronym');
  });

  it('reads a numbered run-in label as the item it names', async () => {
    const document = strongWith(
      'Alternatives considered',
      '7.3 Alternatives considered. We considered a certificate authority outage; its status page and our validation logs show normal service throughout.',
      'Analysis notes',
    );
    const found = categories(await review(document));
    expect(found).not.toContain('missing-hypotheses');
  });
});
