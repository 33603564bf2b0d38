import { regionsFor } from './analysis.js';
import type { Rule, RuleHit } from './rule.js';
import { sectionHit } from './rule.js';
import { type Entry, entries, type Span } from './text.js';
import {
  CLOCK_TIME,
  clockMinutes,
  hasClockTime,
  hasMoment,
  hasTimeZone,
  saysLocalTime,
} from './time.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The timeline entries of a section: list items and table rows other than header rows. */
function timelineEntries(text: string): Entry[] {
  return entries(text).filter((entry) => !entry.header);
}

/** An entry's own text for time checks: the first cell of a row, or the start of a list item. */
function when(entry: Entry): Span {
  const first = entry.cells[0];
  if (first === undefined) return entry;
  const second = entry.cells[1];
  return second !== undefined && !hasMoment(first.text) && hasMoment(second.text) ? second : first;
}

const entryWithoutTime: Rule = {
  category: 'timeline-entry-without-time',
  item: 'timeline',
  severity: 'minor',
  about: 'Timeline entries that give no date or time.',
  section({ section, info }) {
    return regionsFor(info, 'timeline').flatMap((region): RuleHit[] => {
      const list = timelineEntries(region.text);
      if (list.length === 0) {
        if (hasMoment(region.text)) return [];
        return [
          sectionHit(section, null, {
            title: 'Timeline without dates or times',
            description:
              'The timeline narrates events without saying when each happened, so the reader cannot see how long detection, escalation and recovery took.',
            suggestion:
              'Rewrite it as a list or table with one event per entry, each with a date, time and time zone.',
            confidence: 0.75,
          }),
        ];
      }
      const untimed = list.filter((entry) => !hasMoment(entry.text) || needsClockTime(entry, list));
      const first = untimed[0];
      if (first === undefined) return [];
      return [
        sectionHit(section, first, {
          title: `${untimed.length} of ${list.length} timeline entries have no time`,
          description:
            'Timeline entries without a date or time cannot be put in order or measured: the reader cannot tell how long detection, escalation and recovery took.',
          suggestion:
            'Give every entry a date and time with a time zone (e.g. "3 Mar 14:02 UTC"), taken from logs, alerts or tickets.',
          confidence: untimed.length * 2 >= list.length ? 0.9 : 0.75,
        }),
      ];
    });
  },
};

const PART_OF_DAY = /\b(?:morning|afternoon|evening|night|midday|noon|lunchtime|early|late)\b/i;

/**
 * Whether an entry with a date but no clock time needs one: it names a part of the day
 * ("3 June, morning") or shares its date with another entry, so the order within the day is
 * unknown. Entries of a timeline that spans days, one per date, need no times.
 */
function needsClockTime(entry: Entry, list: Entry[]): boolean {
  if (hasClockTime(entry.text)) return false;
  if (PART_OF_DAY.test(entry.text)) return true;
  const day = dayOfYear(when(entry).text);
  return (
    day !== null && list.some((other) => other !== entry && dayOfYear(when(other).text) === day)
  );
}

const missingTimeZone: Rule = {
  category: 'timeline-missing-time-zone',
  item: 'timeline',
  severity: 'minor',
  about: 'A timeline with clock times but no time zone anywhere in the document.',
  section({ section, info, analysis }) {
    const timed = regionsFor(info, 'timeline').find((region) => hasClockTime(region.text));
    if (timed === undefined) return [];
    const context = `${section.heading ?? ''}\n${analysis.text}`;
    if (hasTimeZone(context)) return [];
    const firstTime = [...timed.text.matchAll(CLOCK_TIME)][0];
    const quote =
      firstTime === undefined
        ? null
        : {
            text: firstTime[0],
            start: firstTime.index,
            end: firstTime.index + firstTime[0].length,
          };
    const local = saysLocalTime(context);
    const hit: RuleHit = sectionHit(section, quote, {
      title: local
        ? 'Timeline says "local time" without naming the zone'
        : 'Timeline has no time zone',
      description: local
        ? 'The times are local, but the zone is not named; readers in other places, and logs in UTC, cannot be lined up with them.'
        : 'The times have no time zone, so they cannot be matched with logs, alerts or people in other zones.',
      suggestion: 'State the time zone once in the heading ("Timeline (UTC)") or on each time.',
      confidence: local ? 0.6 : 0.85,
    });
    return [local ? { ...hit, severity: 'info' } : hit];
  },
};

const outOfOrder: Rule = {
  category: 'timeline-out-of-order',
  item: 'timeline',
  severity: 'minor',
  about: 'Timeline entries whose times go backwards.',
  section({ section, info }) {
    let previous = null as { day: number | null; minutes: number } | null;
    const list = regionsFor(info, 'timeline').flatMap((region) => timelineEntries(region.text));
    for (const entry of list) {
      const span = when(entry);
      const minutes = clockMinutes(span.text)[0];
      const day: number | null = dayOfYear(span.text) ?? previous?.day ?? null;
      if (minutes === undefined) continue;
      if (previous !== null && earlier({ day, minutes }, previous)) {
        return [
          sectionHit(section, entry, {
            title: 'Timeline entries out of order',
            description:
              'This entry is earlier than the one before it; an out-of-order timeline hides how the event unfolded.',
            suggestion: 'Sort the entries by time, and check the times against the source logs.',
            confidence: 0.7,
          }),
        ];
      }
      previous = { day, minutes };
    }
    return [];
  },
};

function earlier(
  current: { day: number | null; minutes: number },
  previous: { day: number | null; minutes: number },
): boolean {
  if (current.day !== null && previous.day !== null && current.day !== previous.day) {
    return current.day < previous.day && previous.day - current.day < 180;
  }
  const drop = previous.minutes - current.minutes;
  return drop > 0 && drop < 12 * 60;
}

/** A comparable day number for `3 March`, `Mar 3` or `2024-03-03`; null when there is none. */
function dayOfYear(text: string): number | null {
  const iso = /\b\d{4}-(\d{2})-(\d{2})\b/.exec(text);
  if (iso) return Number(iso[1]) * 31 + Number(iso[2]);
  const dayMonth = /\b(\d{1,2})(?:st|nd|rd|th)?\s+([A-Z][a-z]{2})/.exec(text);
  const monthDay = /\b([A-Z][a-z]{2})[a-z]*\.?\s+(\d{1,2})\b/.exec(text);
  const [day, month] = dayMonth
    ? [dayMonth[1], dayMonth[2]]
    : monthDay
      ? [monthDay[2], monthDay[1]]
      : [];
  const index = MONTHS.indexOf((month ?? '').toLowerCase());
  return index < 0 ? null : (index + 1) * 31 + Number(day);
}

/** Checks of the timeline (Hawkeye #4). */
export const timelineRules: Rule[] = [entryWithoutTime, missingTimeZone, outOfOrder];
