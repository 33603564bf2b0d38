import type { Section, Severity } from '../../../schema/index.js';
import type { Rule, RuleHit } from './rule.js';
import { sectionHit } from './rule.js';
import type { Span } from './text.js';

/** One kind of sensitive value: how to find it and whether a match really is one. */
interface Detector {
  category: string;
  severity: Severity;
  label: string;
  pattern: RegExp;
  accept?(value: string, before: string): boolean;
  /** How much of the value to quote (secrets are quoted by a short prefix only). */
  quoteLength?: number;
  confidence: number;
}

/** A number that identifies a record, not a person: `order 123456789`, `ticket #4411 2345`. */
const RECORD_CONTEXT =
  /\b(?:order|ticket|invoice|case|change|ref|reference|id|serial|batch|lot|part|model|build|version|incident|request|transaction|tracking|po|sku|claim|policy|shipment|parcel|label|job|run|release|isbn|doi)\b\s*(?:number|no\.?|#|id)?\s*:?\s*$/i;

const MASKED = /\*{2,}|x{3,}|•{2,}|\[redacted\]|<redacted>/i;

/** The Luhn checksum that every payment card number satisfies. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** The ISO 13616 mod-97 checksum of an IBAN. */
function ibanValid(value: string): boolean {
  const compact = value.replace(/\s/g, '');
  const moved = `${compact.slice(4)}${compact.slice(0, 4)}`;
  let remainder = 0;
  for (const char of moved) {
    const code = /[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char;
    for (const digit of code) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

function isCardNumber(value: string, before: string): boolean {
  const digits = value.replace(/[ -]/g, '');
  if (digits.length < 13 || digits.length > 19 || !/^[2-6]/.test(digits)) return false;
  if (/^(\d)\1+$/.test(digits) || RECORD_CONTEXT.test(before)) return false;
  const groups = value.split(/[ -]/).map((group) => group.length);
  const grouped = groups.length === 1 || groups.slice(0, -1).every((size) => size >= 4);
  return grouped && luhnValid(digits);
}

function isPhoneNumber(value: string, before: string): boolean {
  const digits = value.replace(/\D/g, '');
  const international = value.startsWith('+');
  if (digits.length < (international ? 8 : 10) || digits.length > 15) return false;
  if (RECORD_CONTEXT.test(before) || isCardNumber(value, before)) return false;
  if (international || /^\(\d+\)/.test(value)) return true;
  const groups = value.split(/[\s.-]+/).map((group) => group.length);
  const separators = new Set(value.match(/[\s.-]+/g) ?? []);
  if (separators.size > 1) return false;
  const northAmerican = groups.join('-') === '3-3-4';
  const trunk =
    value.startsWith('0') && digits.length >= 10 && digits.length <= 11 && groups.length <= 3;
  return northAmerican || trunk;
}

const PASSWORD_VALUE =
  /\b(?:password|passwd|pwd|passphrase|pin|secret|api[ _-]?key|access[ _-]?key|secret[ _-]?key|token|client[ _-]?secret)\b\s*(?:[:=]|\b(?:is|was)\b(?:\s+(?:set|changed|reset) to\b)?|\b(?:set|changed|reset) to\b)\s*["'`]?([^\s"'`,;]{6,})/gi;

const ROLE_MAILBOX =
  /^(?:security|support|help|helpdesk|servicedesk|info|noreply|no-reply|incident|incidents|admin|abuse|privacy|dpo|legal|sales|billing|ops|alerts?|oncall|on-call|team|hr|it|compliance|fraud|press|media|postmaster|webmaster)@/i;

const DETECTORS: Detector[] = [
  {
    category: 'card-number',
    severity: 'major',
    label: 'payment card number',
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    accept: isCardNumber,
    confidence: 0.9,
  },
  {
    category: 'bank-account',
    severity: 'major',
    label: 'IBAN',
    pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b/g,
    accept: (value) => ibanValid(value),
    confidence: 0.9,
  },
  {
    category: 'bank-account',
    severity: 'minor',
    label: 'account number',
    pattern:
      /\b(?:bank account|account number|acct\.? no\.?|account no\.?)\s*:?\s*\d[\d -]{5,}\d\b/gi,
    confidence: 0.7,
  },
  {
    category: 'national-id',
    severity: 'major',
    label: 'national identity number',
    pattern:
      /\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b|\b[A-CEGHJ-PR-TW-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b/g,
    confidence: 0.75,
  },
  {
    category: 'date-of-birth',
    severity: 'minor',
    label: 'date of birth',
    pattern:
      /\b(?:date of birth|DOB|born on|d\.o\.b\.)\b:?\s*(?:\d|[A-Z][a-z]+ \d)[\w ,./-]{0,18}/gi,
    confidence: 0.8,
  },
  {
    category: 'secret',
    severity: 'major',
    label: 'secret or key',
    pattern:
      /-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY-----|\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}\b|\bxox[abposr]-[A-Za-z0-9-]{10,}|\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,}\b|\bAIza[0-9A-Za-z_-]{35}\b|\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}|\b[a-z][a-z0-9+.-]{0,30}:\/\/[^\s:/@]{1,256}:[^\s@/]{3,256}@[^\s]{1,256}/g,
    accept: (value) => !MASKED.test(value) && !/:\/\/[^:]+:<[^>]*>@/.test(value),
    quoteLength: 8,
    confidence: 0.9,
  },
  {
    category: 'secret',
    severity: 'major',
    label: 'password or token',
    pattern: PASSWORD_VALUE,
    accept: (value) => {
      const secret = /[^\s"'`]+$/.exec(value)?.[0];
      if (secret === undefined || MASKED.test(secret)) return false;
      if (
        /^(?:redacted|rotated|revoked|changed|reset|removed|expired|compromised|leaked)/i.test(
          secret,
        )
      ) {
        return false;
      }
      return (
        /\d/.test(secret) || /[^\w]/.test(secret) || /[a-z][A-Z]|[A-Z][a-z]+[A-Z]/.test(secret)
      );
    },
    quoteLength: 0,
    confidence: 0.8,
  },
  {
    category: 'personal-email',
    severity: 'minor',
    label: 'email address',
    pattern: /(?<![\w.%+-])[\w.%+-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}\b/g,
    accept: (value) => !MASKED.test(value),
    confidence: 0.9,
  },
  {
    category: 'phone-number',
    severity: 'minor',
    label: 'phone number',
    pattern:
      /(?<![\w$€£#.,:/+-])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\d{2,6}(?:[\s.-]\d{2,6}){1,4}(?![\w.,:/-]?\d)(?!\s?%)/g,
    accept: isPhoneNumber,
    confidence: 0.75,
  },
];

/** The spans a detector finds in a text, skipping spans an earlier detector already claimed. */
function detect(detector: Detector, text: string, claimed: Span[]): Span[] {
  const found: Span[] = [];
  for (const match of text.matchAll(detector.pattern)) {
    const start = match.index;
    const end = start + match[0].length;
    if (claimed.some((span) => start < span.end && span.start < end)) continue;
    const before = text.slice(Math.max(0, start - 30), start);
    if (detector.accept !== undefined && !detector.accept(match[0], before)) continue;
    found.push({ text: match[0], start, end });
  }
  return found;
}

function hitFor(section: Section, detector: Detector, span: Span): RuleHit {
  const shown = detector.quoteLength ?? span.text.length;
  const quote: Span | null =
    shown === 0
      ? quoteLabel(span)
      : { text: span.text.slice(0, shown), start: span.start, end: span.start + shown };
  const email = detector.category === 'personal-email';
  const roleAddress = email && ROLE_MAILBOX.test(span.text);
  const hit = sectionHit(section, quote, {
    title: roleAddress ? 'Team email address in the document' : `Unredacted ${detector.label}`,
    description: roleAddress
      ? 'A team or role mailbox is not personal data, but check that publishing it is intended.'
      : `The document contains a ${detector.label} in clear. Investigation documents are shared widely and kept for years; a ${detector.label} in them is an unneeded exposure (and may itself be reportable).`,
    suggestion: roleAddress
      ? 'Keep it only if readers need to contact that mailbox.'
      : `Redact it (e.g. "[redacted ${detector.label}]" or only the last 4 characters), and refer to the record by an internal reference instead.${detector.category === 'secret' ? ' Rotate the credential: it has been exposed.' : ''}`,
    confidence: detector.confidence,
  });
  return roleAddress ? { ...hit, severity: 'info' } : hit;
}

/** For a `password: value` match, the words before the value (never the value itself). */
function quoteLabel(span: Span): Span {
  const label =
    /^[^:=]*?(?:[:=]|\b(?:is|was)\b(?:\s+(?:set|changed|reset) to\b)?|\b(?:set|changed|reset) to\b)/i.exec(
      span.text,
    )?.[0] ?? span.text;
  return { text: label, start: span.start, end: span.start + label.length };
}

const detections = new WeakMap<Section, { detector: Detector; span: Span }[]>();

/** Every sensitive value of a section, each claimed by the first detector that accepts it. */
function detectAll(section: Section): { detector: Detector; span: Span }[] {
  let found = detections.get(section);
  if (found === undefined) {
    const claimed: Span[] = [];
    found = [];
    for (const detector of DETECTORS) {
      const spans = detect(detector, section.text, claimed);
      claimed.push(...spans);
      found.push(...spans.map((span) => ({ detector, span })));
    }
    detections.set(section, found);
  }
  return found;
}

function detectorRule(category: string, severity: Severity, about: string): Rule {
  return {
    category,
    item: 'data-handling',
    severity,
    about,
    section({ section }) {
      return detectAll(section)
        .filter(({ detector }) => detector.category === category)
        .slice(0, 5)
        .map(({ detector, span }) => {
          const hit = hitFor(section, detector, span);
          return hit.severity === undefined ? { ...hit, severity: detector.severity } : hit;
        });
    },
  };
}

/** Checks for unredacted personal data and secrets (Hawkeye #18). */
export const sensitiveDataRules: Rule[] = [
  detectorRule('card-number', 'major', 'Payment card numbers (Luhn-checked) in clear.'),
  detectorRule('bank-account', 'major', 'IBANs (checksum-verified) and bank account numbers.'),
  detectorRule('national-id', 'major', 'Social security and national insurance numbers.'),
  detectorRule('date-of-birth', 'minor', 'Dates of birth.'),
  detectorRule(
    'secret',
    'major',
    'Passwords, API keys, tokens, private keys and credentials in URLs.',
  ),
  detectorRule('personal-email', 'minor', 'Email addresses (team mailboxes only as info).'),
  detectorRule(
    'phone-number',
    'minor',
    'Phone numbers (not times, versions, amounts or record numbers).',
  ),
];
