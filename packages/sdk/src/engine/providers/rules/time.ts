const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|' +
  'Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

/** Clock times: `14:02`, `2:30 pm`, `2 pm`, `1430 hrs`, `14h30`. */
export const CLOCK_TIME = new RegExp(
  [
    '(?<![\\d:.])(?:[01]?\\d|2[0-3]):[0-5]\\d(?::[0-5]\\d)?(?:\\s?[ap]\\.?m\\.?)?(?![\\d:])',
    '\\b(?:1[0-2]|0?[1-9])\\s?[ap]\\.?m\\.?(?![a-z])',
    '\\b(?:[01]\\d|2[0-3])[0-5]\\d\\s?(?:h|hrs|hours)\\b',
    '\\b(?:[01]?\\d|2[0-3])h[0-5]\\d\\b',
  ].join('|'),
  'gi',
);

/** Calendar dates: `3 March`, `Sep 2`, `2024-03-03`, `03/03/2024`, weekdays. */
export const DATE = new RegExp(
  [
    `\\b\\d{1,2}(?:st|nd|rd|th)?(?:\\s+of)?\\s+${MONTH}\\b\\.?(?:,?\\s+\\d{4})?`,
    `\\b${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?\\b(?:,?\\s+\\d{4})?`,
    '\\b\\d{4}-\\d{2}-\\d{2}(?:[T ]\\d{2}:\\d{2}(?::\\d{2})?(?:Z|[+-]\\d{2}:?\\d{2})?)?',
    '\\b\\d{1,2}/\\d{1,2}/\\d{2,4}\\b',
    '\\b(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\\b',
  ].join('|'),
  'g',
);

/** A moment relative to the event, as timelines of longer events use: `Day 3`, `T+15`, `D+1`. */
const RELATIVE_MOMENT = /\b(?:Day|Week) \d+\b|\b[TD]\s?[+-]\s?\d+/g;

const MONTH_OR_PERIOD = new RegExp(
  `\\b${MONTH}\\b|\\bQ[1-4]\\b|\\b(?:19|20)\\d{2}\\b|\\b(?:quarterly|monthly|weekly|daily|annual(?:ly)?)\\b`,
);

const DURATION =
  /\b\d+(?:[.,]\d+)?\s?-?\s?(?:seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|shifts?)\b|\b(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|sixty|ninety)\s+(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|shifts?)\b/i;

const RELATIVE_TIME =
  /\b(?:immediately|instantly|same (?:day|shift|morning|afternoon|evening|night)|(?:next|following|that|the same) (?:day|morning|afternoon|evening|night|shift|week|month)|overnight|within|after|before|until|by (?:the )?(?:end|close|start)|at (?:the )?(?:end|close|start)|(?:mid|end)-?(?:day|week|month)|(?:this|next|last) (?:week|month|quarter)|earlier that day|later that day)\b/i;

const TIME_ZONE = new RegExp(
  [
    '\\b(?:UTC|GMT|CET|CEST|EET|EEST|WET|WEST|BST|IST|EST|EDT|CST|CDT|MST|MDT|PST|PDT|AKST|AKDT|HST|JST|KST|AEST|AEDT|ACST|AWST|NZST|NZDT|SGT|HKT|MSK)\\b',
    '\\b(?:UTC|GMT)\\s?[+-]\\s?\\d{1,2}(?::?\\d{2})?',
    '\\d{2}:\\d{2}(?::\\d{2})?(?:\\.\\d+)?(?:Z|[+-]\\d{2}:?\\d{2})\\b',
    '\\b(?:Eastern|Central|Pacific|Mountain|Greenwich|Coordinated Universal|Central European|Eastern European|British Summer|Western European)(?: Standard| Daylight| Summer)? Time\\b',
  ].join('|'),
);

const LOCAL_TIME = /\b(?:local|site|plant|hospital|store|office) time\b/i;

function test(pattern: RegExp, text: string): boolean {
  pattern.lastIndex = 0;
  const found = pattern.test(text);
  pattern.lastIndex = 0;
  return found;
}

/** Whether the text has a clock time. */
export function hasClockTime(text: string): boolean {
  return test(CLOCK_TIME, text);
}

/** Whether the text has a calendar date or a weekday. */
function hasDate(text: string): boolean {
  return test(DATE, text);
}

/** Whether the text places itself in time: a clock time, a date or a moment like `Day 3`. */
export function hasMoment(text: string): boolean {
  return hasClockTime(text) || hasDate(text) || test(RELATIVE_MOMENT, text);
}

/**
 * Whether the text says when, in any way: a moment, a month, quarter or year, a duration
 * (`4 minutes`) or a relative time (`immediately`, `the same day`, `within`).
 */
export function hasTimeReference(text: string): boolean {
  return (
    hasMoment(text) || MONTH_OR_PERIOD.test(text) || DURATION.test(text) || RELATIVE_TIME.test(text)
  );
}

/**
 * Whether free text gives a deadline: a date, a month, quarter or year, or `by`/`within`/`due`
 * followed by a time (`within two weeks`, `by the end of Q3`).
 */
export function hasDueDate(text: string): boolean {
  return (
    hasMoment(text) ||
    MONTH_OR_PERIOD.test(text) ||
    /\b(?:due|by|before|within|no later than|until)\s+(?:the\s+)?(?:end|close|next|\d|one|two|three|four|six|eight|ten)\b/i.test(
      text,
    )
  );
}

/** Whether the text names a time zone (`UTC`, `CEST`, `+02:00`, `Pacific Time`). */
export function hasTimeZone(text: string): boolean {
  return TIME_ZONE.test(text);
}

/** Whether the text says times are local without naming the zone. */
export function saysLocalTime(text: string): boolean {
  return LOCAL_TIME.test(text);
}

/** The clock times of a text, in minutes after midnight, in order. */
export function clockMinutes(text: string): number[] {
  const minutes: number[] = [];
  for (const match of text.matchAll(CLOCK_TIME)) {
    const value = toMinutes(match[0]);
    if (value !== null) minutes.push(value);
  }
  return minutes;
}

function toMinutes(time: string): number | null {
  const parts = /(\d{1,2})(?:[:h]?(\d{2}))?/.exec(time);
  if (parts === null) return null;
  let hours = Number(parts[1]);
  const minutes = Number(parts[2] ?? '0');
  const meridiem = /([ap])\.?m/i.exec(time)?.[1]?.toLowerCase();
  if (meridiem === 'p' && hours < 12) hours += 12;
  if (meridiem === 'a' && hours === 12) hours = 0;
  return hours * 60 + minutes;
}
