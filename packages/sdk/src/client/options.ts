import { PrismError } from '../errors.js';

/** `baseUrl` without its trailing slashes; throws `invalid_argument` unless it is an http(s) URL. */
export function checkBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new PrismError('invalid_argument', `baseUrl "${baseUrl}" is not a URL.`, {
      hint: 'Pass the server URL, e.g. https://prism.example.com or http://localhost:8080.',
    });
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
    throw new PrismError(
      'invalid_argument',
      `baseUrl must be an http(s) URL without a query or fragment, not "${baseUrl}".`,
    );
  }
  return url.href.replace(/\/+$/, '');
}

/** `value` when it is a positive number of milliseconds; throws `invalid_argument` otherwise. */
export function checkTimeout(value: number, name: string): number {
  if (!(Number.isFinite(value) && value > 0)) {
    throw new PrismError(
      'invalid_argument',
      `${name} must be a positive number of ms, not ${value}.`,
    );
  }
  return value;
}

/** `value` when it is a whole number >= 0; throws `invalid_argument` otherwise. */
export function checkRetries(value: number): number {
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new PrismError(
      'invalid_argument',
      `maxRetries must be a whole number >= 0, not ${value}.`,
    );
  }
  return value;
}

/** A copy of `headers` with lower-case names (`undefined` gives an empty object). */
export function lowerCaseNames(
  headers: Record<string, string> | undefined,
): Record<string, string> {
  const lower: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) lower[name.toLowerCase()] = value;
  return lower;
}
