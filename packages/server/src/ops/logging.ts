import type { FastifyServerOptions } from 'fastify';

/** Fastify's logger setting: `false` for none, `true` or pino options for JSON logs. */
export type LoggerSetting = FastifyServerOptions['logger'];

/** What a secret is replaced with in the logs. */
export const REDACTED = '[redacted]';

/** Prism API keys and webhook signing secrets, wherever they appear in a log line. */
const SECRET_VALUES = /(prism_sk_|whsec_)[A-Za-z0-9+/=_-]+/g;

/**
 * OAuth credentials in a URL's query, e.g. the authorization code of a request to
 * `/oauth/<provider>/callback`: the parameter's value, up to the next parameter or the end of
 * the URL (or of the JSON string holding it).
 */
const OAUTH_QUERY_VALUES =
  /([?&](?:code|code_verifier|access_token|refresh_token|id_token|client_secret)=)[^&#"\\\s]+/g;

/** Headers whose whole value is a credential. */
const SECRET_HEADERS = [
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
];

/** Where logged objects keep headers: a request, a response, a bare `headers`, or one level down. */
const HEADER_HOLDERS = ['req.headers', 'res.headers', 'headers', '*.headers'];

/** The pino `redact` paths of every credential header in every place headers are logged. */
export const SECRET_HEADER_PATHS: readonly string[] = HEADER_HOLDERS.flatMap((holder) =>
  SECRET_HEADERS.map((name) => `${holder}["${name}"]`),
);

/**
 * `line` with every Prism API key and webhook secret in it replaced by its prefix and
 * `[redacted]`, and the value of every OAuth credential in a URL's query (`code=[redacted]`).
 */
export function redactSecretValues(line: string): string {
  return line.replace(SECRET_VALUES, `$1${REDACTED}`).replace(OAUTH_QUERY_VALUES, `$1${REDACTED}`);
}

/**
 * The logger setting with redaction added: credential headers (`Authorization`, `Cookie`,
 * `X-Api-Key`...) are `[redacted]` wherever headers are logged (pino `redact` paths), and every
 * `prism_sk_...` API key, `whsec_...` webhook secret and OAuth credential in a URL's query (the
 * `code` of a callback...) is redacted from each line as it is written, whatever logged it: a
 * URL, an error's message, stack or database detail, a body. The setting's own `redact` paths
 * and `streamWrite` hook are kept. `false` stays `false`.
 */
export function redactingLogger(setting: LoggerSetting): LoggerSetting {
  if (setting === undefined || setting === false) return false;
  const options = setting === true ? {} : setting;
  const own = options.redact;
  const ownPaths = own === undefined ? [] : Array.isArray(own) ? own : own.paths;
  const ownWrite = options.hooks?.streamWrite;
  return {
    ...options,
    redact: {
      ...(own === undefined || Array.isArray(own) ? { censor: REDACTED } : own),
      paths: [...SECRET_HEADER_PATHS, ...ownPaths],
    },
    hooks: {
      ...options.hooks,
      streamWrite: (line) => redactSecretValues(ownWrite ? ownWrite(line) : line),
    },
  };
}
