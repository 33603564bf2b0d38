import { APIError, AuthenticationError, ConnectionError, HttpPrism, PrismError } from '@prism/sdk';
import type { CliIo } from './io.js';
import { reportError } from './report-error.js';

/** Where `prism serve` listens unless told otherwise. */
export const DEFAULT_SERVER_URL = 'http://127.0.0.1:8080';

/** The options by which a command reaches a running Prism server over its API. */
export const SERVER_API_OPTIONS = {
  url: { type: 'string' },
  'api-key': { type: 'string' },
} as const;

/** The help lines of {@link SERVER_API_OPTIONS}. */
export const SERVER_API_OPTIONS_HELP = `      --url <url>           The Prism server (PRISM_URL, default ${DEFAULT_SERVER_URL})
      --api-key <key>       An org admin API key of that server (PRISM_API_KEY, which
                            keeps it out of the shell history)`;

/** The values of {@link SERVER_API_OPTIONS} a command was given. */
export interface ServerApiValues {
  /** `--url`: overrides PRISM_URL. */
  url?: string | undefined;
  /** `--api-key`: overrides PRISM_API_KEY. */
  'api-key'?: string | undefined;
}

/**
 * A client of the server that `values` (else PRISM_URL and PRISM_API_KEY) point at; a one-line
 * usage mistake instead when the API key is missing or the URL is not an http(s) URL.
 */
export function serverClient(values: ServerApiValues): HttpPrism | string {
  const apiKey = values['api-key'] ?? process.env.PRISM_API_KEY ?? '';
  if (apiKey === '') return 'missing API key: pass --api-key or set PRISM_API_KEY';
  const baseUrl = values.url ?? (process.env.PRISM_URL || DEFAULT_SERVER_URL);
  try {
    return new HttpPrism({ baseUrl, apiKey });
  } catch (error) {
    if (error instanceof PrismError && error.code === 'invalid_argument') {
      return `--url (or PRISM_URL) must be an http(s) URL such as ${DEFAULT_SERVER_URL}`;
    }
    throw error;
  }
}

/**
 * Reports a failed call to the server as {@link reportError} does, with hints in the command
 * line's terms for an unreachable server or a refused API key.
 */
export function reportServerError(io: CliIo, subject: string, error: unknown): void {
  reportError(io, subject, withCommandLineHint(error));
}

function withCommandLineHint(error: unknown): unknown {
  let hint: string | undefined;
  if (error instanceof ConnectionError) {
    hint = `Check that a Prism server runs at --url (PRISM_URL); 'prism serve' starts one.`;
  } else if (error instanceof AuthenticationError) {
    hint = `Pass a current API key of this server with --api-key or PRISM_API_KEY; 'prism keys create' makes one.`;
  }
  if (hint === undefined || !(error instanceof PrismError)) return error;
  const message =
    error instanceof APIError ? (error.problem?.detail ?? error.message) : error.message;
  return new PrismError(error.code, message, { hint, cause: error });
}
