import { type APIError, apiErrorFor } from '../client/errors.js';
import type { HttpMethod } from '../client/transport.js';
import { ExtractionError } from '../engine/errors.js';
import { PrismError } from '../errors.js';
import type { FieldError } from '../schema/common.js';
import { newId } from './ids.js';

/** The API operation a local call stands for, named in its errors as a server would name it. */
export interface Operation {
  /** The HTTP method of the operation. */
  method: HttpMethod;
  /** The path with its ids, e.g. `/v2/reviews/rev_1`. */
  path: string;
}

const TITLES: Partial<Record<number, string>> = {
  400: 'Bad request',
  404: 'Not found',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
};

/**
 * The error a server would answer with: the {@link APIError} subclass of `status` (so
 * `instanceof NotFoundError` works the same on both transports) with its problem document.
 */
export function problem(
  operation: Operation,
  status: number,
  code: string,
  detail: string,
  hint?: string,
  errors?: FieldError[],
): APIError {
  const requestId = newId('req');
  return apiErrorFor({
    method: operation.method,
    path: operation.path,
    status,
    headers: new Headers({ 'x-request-id': requestId }),
    requestId,
    problem: {
      type: `https://prism.dev/problems/${code.replaceAll('_', '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      detail,
      instance: operation.path,
      code,
      requestId,
      ...(hint === undefined ? {} : { hint }),
      ...(errors === undefined ? {} : { errors }),
    },
    body: '',
    retryAfterMs: undefined,
  });
}

/** A 404 for a missing resource of the tenant. */
export function notFound(operation: Operation, what: string, id: string): APIError {
  return problem(
    operation,
    404,
    'not_found',
    `There is no ${what} ${id}.`,
    "Check the id; it must exist in this Prism's tenant.",
  );
}

/** A 409 for an operation the resource's state does not allow. */
export function conflict(
  operation: Operation,
  code: string,
  detail: string,
  hint: string,
): APIError {
  return problem(operation, 409, code, detail, hint);
}

/**
 * The error a server would answer `error` with: extraction errors become 413, 415 or 422 with
 * their own code, a bad cursor 400; anything else is returned unchanged.
 */
export function asProblem(operation: Operation, error: unknown): unknown {
  if (error instanceof ExtractionError) {
    const status =
      error.code === 'file_too_large'
        ? 413
        : error.code === 'unsupported_format' || error.code === 'legacy_format'
          ? 415
          : 422;
    return problem(operation, status, error.code, error.message, error.hint);
  }
  if (error instanceof PrismError && error.code === 'invalid_cursor') {
    return problem(operation, 400, error.code, error.message, error.hint);
  }
  return error;
}
