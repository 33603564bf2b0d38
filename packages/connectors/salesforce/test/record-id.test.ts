import { PrismError } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { toCaseSafeId } from '../src/record-id.js';

// Published 15 → 18 pairs: Salesforce's own LongSFID() example (Marketing Cloud docs), and the
// test pairs of the salesforce_id_converter and salesforce_id_formatter packages.
const KNOWN_PAIRS = [
  ['0036000000QKv5T', '0036000000QKv5TAAT'],
  ['001A0000006Vm9u', '001A0000006Vm9uIAC'],
  ['00558000001N0Ke', '00558000001N0KeAAK'],
  ['00D0Q0000008aI9', '00D0Q0000008aI9UAI'],
  ['0016E00000YbJrD', '0016E00000YbJrDQAV'],
  ['70130000001tcyI', '70130000001tcyIAAQ'],
] as const;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(PrismError);
    return (error as PrismError).code;
  }
  return undefined;
}

describe('toCaseSafeId', () => {
  it.each(KNOWN_PAIRS)('converts %s to %s', (id15, id18) => {
    expect(toCaseSafeId(id15)).toBe(id18);
  });

  it.each(KNOWN_PAIRS)('returns the 18-character id of %s unchanged', (_id15, id18) => {
    expect(toCaseSafeId(id18)).toBe(id18);
  });

  it('encodes an all-uppercase chunk as 5', () => {
    expect(toCaseSafeId('ABCDEabcde00000')).toBe('ABCDEabcde000005AA');
  });

  it.each([
    ['empty', ''],
    ['too short', '001A0000006Vm9'],
    ['16 characters', '001A0000006Vm9uI'],
    ['not alphanumeric', '001A0000006Vm9-'],
    ['wrong suffix', '001A0000006Vm9uAAA'],
    ['uppercased 18-character id', '001A0000006VM9UIAC'],
    ['lowercase suffix', '001A0000006Vm9uiac'],
  ])('rejects an id that is %s', (_label, id) => {
    expect(codeOf(() => toCaseSafeId(id))).toBe('invalid_record_id');
  });
});
