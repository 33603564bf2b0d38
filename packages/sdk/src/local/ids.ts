const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** A new random id with a prefix naming its kind, e.g. `rev_5k2m9q...` (20 characters after it). */
export function newId(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(20));
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte % ALPHABET.length];
  return `${prefix}_${id}`;
}
