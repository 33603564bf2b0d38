/**
 * Words that carry no meaning for matching a question to a sentence: English function words,
 * question words, and the fillers questions are phrased with ("does the document say").
 */
const STOP_WORDS = new Set(
  (
    'a about above after again against all also am an and any anything are as at be because ' +
    'been before being below between both but by can could did do does doing done down during ' +
    'each either ever exactly few for from further get got had has have having he her here hers herself ' +
    'him himself his how i if in into is it its itself just let like long many me might more most much must my ' +
    'myself neither no nor not now of off on once only onto or other our ours ourselves out ' +
    'over own please same shall she should so some something such than that the their theirs ' +
    'them themselves then there these they this those through to too under until up upon us ' +
    'very was we were what whatever when where whether which while who whom whose why will with ' +
    'would yes yet you your yours yourself ' +
    'document documents happen happened happens kind know mention mentioned mentions say said ' +
    'says tell'
  ).split(' '),
);

/**
 * Words and numbers as they are matched: numbers keep their inner `.`, `,` and `:`
 * (`3.5`, `1,900`, `10:42`); words may carry an apostrophe suffix (`customer's`).
 */
const TOKEN = /\p{N}+(?:[.,:]\p{N}+)*(?![\p{L}\p{N}])|[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu;

/**
 * The terms of a text, in order: lower-cased words and numbers without stop words or single
 * letters, each lightly stemmed so that "accounts" matches "account", "signing" matches "sign"
 * and "disabled" matches "disable".
 */
export function termsOf(text: string): string[] {
  const terms: string[] = [];
  for (const [token] of text.toLowerCase().matchAll(TOKEN)) {
    const word = token.replace(/['’]s$/, '');
    if (STOP_WORDS.has(word) || (word.length < 2 && !/\p{N}/u.test(word))) continue;
    terms.push(stem(word));
  }
  return terms;
}

/**
 * A light stem: plural `s`/`es`/`ies`, `-ing` and `-ed` removed, a doubled final consonant left
 * by them undone, and a final `e` dropped, so inflections of a word share one form. Words with
 * digits and words of three letters or fewer are kept as they are.
 */
export function stem(word: string): string {
  if (word.length <= 3 || /\p{N}/u.test(word)) return word;
  let base = word;
  if (/[^aeiou]ie[sd]$/.test(base)) base = `${base.slice(0, -3)}y`;
  else if (/(?:ss|[cs]h|x|z)es$/.test(base)) base = base.slice(0, -2);
  else if (/[^sui]s$/.test(base)) base = base.slice(0, -1);
  else if (/ing$/.test(base) && hasVowel(base.slice(0, -3)) && base.length > 5) {
    base = undouble(base.slice(0, -3));
  } else if (/[^e]ed$/.test(base) && hasVowel(base.slice(0, -2)) && base.length > 4) {
    base = undouble(base.slice(0, -2));
  }
  return base.length > 3 && base.endsWith('e') ? base.slice(0, -1) : base;
}

function hasVowel(text: string): boolean {
  return /[aeiouy]/.test(text);
}

/** `stopp` → `stop`, `runn` → `run`; `ll`, `ss`, `ff` and `zz` stay (`called` → `call`). */
function undouble(base: string): string {
  return /([^aeiouylsfz])\1$/.test(base) ? base.slice(0, -1) : base;
}
