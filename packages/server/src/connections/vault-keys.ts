import { createSecretKey, type KeyObject, randomBytes } from 'node:crypto';
import { PrismError } from '@prism/sdk';

/** One key of PRISM_ENCRYPTION_KEYS: its id, and its 32 bytes held as a secret key object. */
export interface EncryptionKey {
  /** The key id stored beside each secret encrypted with it. */
  id: string;
  /** The AES-256 key. */
  key: KeyObject;
}

/** What a key id may be: 1 to 64 letters, digits, dots, dashes or underscores. */
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
/** Exactly 32 bytes in padded standard base64. */
const KEY_BYTES_BASE64 = /^[A-Za-z0-9+/]{43}=$/;

const SETTING = 'PRISM_ENCRYPTION_KEYS';
const FORMAT_HINT = `Give ${SETTING} as <key-id>:<32 bytes in base64>, comma-separated, the current key first; make a key with \`prism vault key\` (or \`openssl rand -base64 32\`).`;

/**
 * The keys of a PRISM_ENCRYPTION_KEYS value (`<key-id>:<base64 of 32 bytes>`, comma-separated),
 * in order: the first encrypts, every one decrypts.
 *
 * @throws {PrismError} `invalid_config` naming the setting and the entry that is wrong (by its
 *   position, or its id); never the key bytes.
 */
export function parseEncryptionKeys(text: string): [EncryptionKey, ...EncryptionKey[]] {
  const entries = text.split(',').map((entry) => entry.trim());
  if (entries.every((entry) => entry === '')) throw invalidKeys('is empty');
  const keys: EncryptionKey[] = [];
  entries.forEach((entry, index) => {
    const key = parseEntry(entry, index + 1);
    if (keys.some(({ id }) => id === key.id)) throw invalidKeys(`key id ${key.id} is listed twice`);
    keys.push(key);
  });
  const [current, ...older] = keys;
  if (current === undefined) throw invalidKeys('is empty');
  return [current, ...older];
}

/** The key of one `<key-id>:<base64>` entry, the `position`th of the setting. */
function parseEntry(entry: string, position: number): EncryptionKey {
  const colon = entry.indexOf(':');
  if (colon < 0) throw invalidKeys(`key ${position} is not <key-id>:<base64>`);
  const id = entry.slice(0, colon).trim();
  if (!KEY_ID.test(id)) {
    throw invalidKeys(
      `key ${position} needs an id of 1 to 64 letters, digits, dots, dashes or underscores before its colon`,
    );
  }
  const material = entry.slice(colon + 1).trim();
  if (!KEY_BYTES_BASE64.test(material)) {
    throw invalidKeys(`key ${id} is not exactly 32 bytes in base64`);
  }
  const bytes = Buffer.from(material, 'base64');
  const key = createSecretKey(bytes);
  bytes.fill(0);
  return { id, key };
}

/**
 * A new key line for PRISM_ENCRYPTION_KEYS: `<id>:<32 random bytes in base64>`. The id is
 * `id` when given, else `key-<yyyymmdd>-<4 random hex digits>` (today's date, UTC).
 *
 * @throws {PrismError} `invalid_argument` when `id` is not 1 to 64 letters, digits, dots,
 *   dashes or underscores.
 */
export function generateEncryptionKey(id?: string): string {
  const keyId =
    id ??
    `key-${new Date().toISOString().slice(0, 10).replaceAll('-', '')}-${randomBytes(2).toString('hex')}`;
  if (!KEY_ID.test(keyId)) {
    throw new PrismError(
      'invalid_argument',
      'A key id must be 1 to 64 letters, digits, dots, dashes or underscores.',
      {
        hint: 'Choose an id such as key-2 or 2025-06.',
      },
    );
  }
  return `${keyId}:${randomBytes(32).toString('base64')}`;
}

function invalidKeys(problem: string): PrismError {
  return new PrismError('invalid_config', `Invalid setting ${SETTING}: ${problem}.`, {
    hint: FORMAT_HINT,
  });
}
