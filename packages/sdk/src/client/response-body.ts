import type { ZodType } from 'zod';
import { type ResponseIssue, ValidationError } from './errors.js';

/** A 2xx response to read. */
export interface SuccessBody<T> {
  /** The body as text. */
  text: string;
  /** The HTTP status. */
  status: number;
  /** The schema to check the body against; `undefined` takes it as it is. */
  schema: ZodType<T> | undefined;
  /** The request, for messages: `GET /v2/reviews/rev_1`. */
  what: string;
  /** The response's request id. */
  requestId: string | undefined;
}

/**
 * The JSON of a 2xx body (`undefined` for an empty one, e.g. a 204), checked against `schema`;
 * or a {@link ValidationError} naming the first field that does not match, or saying that the
 * body is not JSON.
 */
export function parseSuccessBody<T>(
  body: SuccessBody<T>,
): { data: T | undefined; error?: undefined } | { data?: undefined; error: ValidationError } {
  const { text, status, schema } = body;
  if (text.trim() === '') return { data: undefined };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const snippet = text.length > 120 ? `${text.slice(0, 120)}…` : text;
    return {
      error: new ValidationError(
        `${sourceOf(body)} is not JSON: ${JSON.stringify(snippet)}.`,
        { status, requestId: body.requestId, issues: [] },
        {
          cause,
          hint: 'Check that `baseUrl` points at a Prism server, not a proxy or a web page.',
        },
      ),
    };
  }
  if (!schema) return { data: json as T };
  const result = schema.safeParse(json);
  if (result.success) return { data: result.data };
  const issues: ResponseIssue[] = result.error.issues.map((issue) => ({
    path: formatPath(issue.path),
    message: issue.message,
  }));
  const [first] = issues;
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
  return {
    error: new ValidationError(
      `${sourceOf(body)} does not match the expected schema: ${first?.path || '(body)'}: ${first?.message}${more}.`,
      { status, requestId: body.requestId, issues },
      {
        hint: 'The server may run another API version than this SDK: upgrade the SDK, or pass `validateResponses: false` to take bodies as they are.',
      },
    ),
  };
}

/** What gave a body, for messages: `The 200 response to GET /v2/reviews/rev_1 (request req_1)`. */
function sourceOf({ status, what, requestId }: SuccessBody<unknown>): string {
  return `The ${status} response to ${what} (${requestId ? `request ${requestId}` : 'no request id'})`;
}

/** `['data', 2, 'id']` -> `data[2].id`. */
function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      return index === 0 ? String(key) : `.${String(key)}`;
    })
    .join('');
}
