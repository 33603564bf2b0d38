/** One section of the test report: a `##` heading and its text. */
export interface ReportSection {
  /** The heading, as the section's `heading` reads it back. */
  heading: string;
  /** The text, as the section's `text` reads it back (paragraphs joined by a blank line). */
  text: string;
}

/** The title of the test report. */
const REPORT_TITLE = 'Packing conveyor stoppage on line 2';

/** A short investigation report in four sections. */
export const REPORT_SECTIONS: readonly ReportSection[] = [
  {
    heading: 'Summary',
    text: 'On 4 March the packing conveyor on line 2 stopped for 95 minutes. About 1,800 orders shipped a day late.',
  },
  {
    heading: 'Timeline',
    text: 'At 06:10 the belt motor tripped. At 06:25 the shift lead called maintenance. The night shift logged the belt as "running normally" at 05:50. Service resumed at 07:45.',
  },
  {
    heading: 'Root cause',
    text: 'The motor overheated because the cooling fan filter was blocked. Nobody had cleaned it since January.',
  },
  {
    heading: 'Actions',
    text: 'Maintenance will clean the filters weekly. Owner: J. Patel, due 31 March.',
  },
];

/** A section longer than the model accepts in one request (over `MIN_SPLIT_CHARS`). */
export const EVIDENCE_SECTION: ReportSection = {
  heading: 'Evidence',
  text: [
    'The maintenance log for January shows the fan filter inspection signed off on the 9th. No later entry mentions the filter, although the checklist asks for a weekly check.',
    'Photographs taken at 06:40 show a filter covered in cardboard dust. The thermal relay recorded 118 degrees before the trip, against a rated limit of 105 degrees.',
    'The vibration sensor on the same motor was offline for the whole shift. Its alerts had been muted in February after a run of false alarms, and nobody turned them back on.',
    'The supplier manual asks for the filter to be cleaned every 40 running hours in dusty areas. Line 2 runs about 120 hours a week, so the filter needed cleaning three times a week.',
  ].join('\n\n'),
};

/** The report as a markdown file's text. */
function reportMarkdown(sections: readonly ReportSection[] = REPORT_SECTIONS): string {
  const body = sections.map(({ heading, text }) => `## ${heading}\n\n${text}\n`).join('\n');
  return `# ${REPORT_TITLE}\n\n${body}`;
}

/** The report as the bytes of an uploaded `.md` file. */
export function reportFile(sections: readonly ReportSection[] = REPORT_SECTIONS): Uint8Array {
  return new TextEncoder().encode(reportMarkdown(sections));
}

/** The sections with the one under `heading` given a new text. */
export function withSectionText(
  heading: string,
  text: string,
  sections: readonly ReportSection[] = REPORT_SECTIONS,
): ReportSection[] {
  return sections.map((section) => (section.heading === heading ? { heading, text } : section));
}
