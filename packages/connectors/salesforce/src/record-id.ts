import { PrismError } from '@prism/sdk';

const SUFFIX_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';
const RECORD_ID = /^[a-zA-Z0-9]{15}(?:[A-Z0-5]{3})?$/;

/**
 * Returns the 18-character, case-insensitive form of a Salesforce record id (what the API and
 * `CASESAFEID()` return). A 15-character, case-sensitive id gets its 3-character suffix; an
 * 18-character id is returned unchanged once its suffix is checked.
 *
 * Each suffix character encodes one 5-character chunk of the 15-character id: bit `i` is set when
 * character `i` of the chunk is an uppercase letter, and the resulting 0–31 indexes
 * `ABCDEFGHIJKLMNOPQRSTUVWXYZ012345`.
 *
 * @throws {PrismError} `invalid_record_id` when `id` is not a 15- or 18-character alphanumeric
 *   id, or when an 18-character id's suffix does not match its first 15 characters.
 */
export function toCaseSafeId(id: string): string {
  if (!RECORD_ID.test(id)) {
    throw invalidRecordId(id, 'a record id has 15 or 18 letters and digits');
  }
  const caseSafe = id.slice(0, 15) + suffixOf(id.slice(0, 15));
  if (id.length === 18 && id !== caseSafe) {
    throw invalidRecordId(id, `its last 3 characters should be ${caseSafe.slice(15)}`);
  }
  return caseSafe;
}

function suffixOf(id15: string): string {
  let suffix = '';
  for (let start = 0; start < 15; start += 5) {
    let bits = 0;
    for (let i = 0; i < 5; i += 1) {
      const char = id15.charAt(start + i);
      if (char >= 'A' && char <= 'Z') bits |= 1 << i;
    }
    suffix += SUFFIX_ALPHABET.charAt(bits);
  }
  return suffix;
}

function invalidRecordId(id: string, reason: string): PrismError {
  return new PrismError('invalid_record_id', `Not a Salesforce record id: '${id}' (${reason}).`, {
    hint: 'Copy the id from the record URL or from the API, e.g. 001A0000006Vm9uIAC.',
  });
}
