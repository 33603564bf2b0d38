/** The placeholder that replaces a secret. */
export const REDACTED = '[redacted]';

/** Headers whose whole value is a credential. */
const secretHeaders = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/** Prism API keys and webhook signing secrets, wherever they appear. */
const secretPattern = /\b(prism_sk_|whsec_)[A-Za-z0-9+/=_-]+/g;

/** `text` with every Prism API key and webhook secret replaced by their prefix and `[redacted]`. */
export function redactSecrets(text: string): string {
  return text.replace(secretPattern, `$1${REDACTED}`);
}

/**
 * A copy of `headers` (names lower-cased) that is safe to log: credential headers
 * (`authorization`, `cookie`, `set-cookie`, `x-api-key`...) are `[redacted]` whole, and any
 * Prism key or webhook secret inside other values is redacted too.
 */
export function redactHeaders(headers: Iterable<[string, string]>): Record<string, string> {
  const safe: Record<string, string> = {};
  for (const [name, value] of headers) {
    const key = name.toLowerCase();
    safe[key] = secretHeaders.has(key) ? REDACTED : redactSecrets(value);
  }
  return safe;
}
