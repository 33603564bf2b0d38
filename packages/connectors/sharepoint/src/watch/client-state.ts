import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** The longest `clientState` Graph accepts on a subscription. */
export const MAX_CLIENT_STATE_LENGTH = 128;

/**
 * A fresh random secret for a subscription's `clientState`: 32 random bytes, base64url (43
 * characters). Keep it with the subscription; every genuine notification carries it back.
 */
export function createClientState(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Whether `received` equals `expected`, compared in constant time (both are hashed first, so
 * neither their contents nor their lengths leak through timing).
 */
export function clientStatesMatch(received: string | undefined, expected: string): boolean {
  if (received === undefined) return false;
  return timingSafeEqual(digest(received), digest(expected));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
