import { CLOCK_TIME, DATE } from './time.js';

/** Numbers that name a thing rather than count it: `aisle 14`, `change 88213`, `RT-07`, `P1`. */
const IDENTIFIERS = new RegExp(
  [
    '\\b(?:aisle|bay|room|ward|bed|gate|line|zone|building|floor|level|section|step|action|item|' +
      'appendix|annex|exhibit|figure|fig\\.|table|page|change|ticket|case|incident|order|version|' +
      'release|build|sprint|batch|lot|model|unit|number|no\\.|phase|stage|tier|region|site|' +
      'centre|center|plant|station|revision|rev\\.?|article|clause|rule|camera|node|replica|' +
      'shard|cluster|route|port|dock|bin|shelf|row|cell|lane|door|terminal|pump|machine|press|' +
      'oven|tank|server|host|account|invoice|po|ref|reference|id|serial|part|sku|job|task|run|' +
      'protocol|form|policy|standard|iso|iec|cfr|sev|severity|priority|grade|class|type|v)' +
      '\\s?[#:]?\\s?\\d[\\w./-]{0,40}',
    '#\\d+',
    '\\b[A-Za-z]{1,20}[-_]?\\d{1,20}[A-Za-z\\d-]{0,20}\\b',
    '\\b\\d+[A-Za-z]+\\d+\\b',
    '\\b(?:19|20)\\d{2}\\b',
  ].join('|'),
  'gi',
);

const NUMBER_WORDS =
  /\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half|zero|none|nobody|no one)\b|\bno (?:\w+ )?(?:was|were|has|have)\b|\b(?:a|one) (?:single |further )?(?:person|patient|customer|employee|worker|user|account|order|unit|record|site)\b/i;

/** The text with dates, clock times and identifying numbers blanked out. */
function withoutNonQuantities(text: string): string {
  const blank = (match: string) => ' '.repeat(match.length);
  return text.replace(DATE, blank).replace(CLOCK_TIME, blank).replace(IDENTIFIERS, blank);
}

/**
 * Whether the text states a quantity: a number that counts or measures something (`18,400
 * requests`, `$57,300`, `47 minutes`, `13%`, `two witnesses`, `no data was lost`), not a date,
 * time or identifier.
 */
export function hasQuantity(text: string): boolean {
  const rest = withoutNonQuantities(text);
  return /\d/.test(rest) || NUMBER_WORDS.test(rest);
}
