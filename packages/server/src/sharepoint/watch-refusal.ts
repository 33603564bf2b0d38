import { randomBytes } from 'node:crypto';
import {
  type APIError,
  type APIErrorInit,
  ConflictError,
  InternalServerError,
  UnprocessableEntityError,
} from '@prism/sdk';

/** The API operation a watch flow serves. */
export interface WatchOperation {
  /** `POST` to create a watch, `DELETE` to delete one. */
  method: 'POST' | 'DELETE';
  /** The operation's path, e.g. `/v2/watches`. */
  path: string;
}

/** The statuses a watch flow refuses with. */
export type WatchRefusalStatus = 409 | 422 | 501 | 502 | 503;

const TITLES: Readonly<Record<WatchRefusalStatus, string>> = {
  409: 'Conflict',
  422: 'Validation failed',
  501: 'Not implemented',
  502: 'Bad gateway',
  503: 'Service unavailable',
};

/**
 * The error a watch flow refuses an operation with: an {@link APIError} carrying its problem
 * (status, stable code, detail, hint), which the API answers as is and `instanceof` tells apart
 * on both transports (409 `ConflictError`, 422 `UnprocessableEntityError`, 5xx
 * `InternalServerError`).
 */
export function watchRefusal(
  operation: WatchOperation,
  status: WatchRefusalStatus,
  code: string,
  detail: string,
  hint: string,
): APIError {
  const requestId = `req_${randomBytes(10).toString('hex')}`;
  const init: APIErrorInit = {
    method: operation.method,
    path: operation.path,
    status,
    headers: new Headers({ 'x-request-id': requestId }),
    requestId,
    problem: {
      type: `https://prism.dev/problems/${code.replaceAll('_', '-')}`,
      title: TITLES[status],
      status,
      detail,
      instance: operation.path,
      code,
      requestId,
      hint,
    },
    body: '',
    retryAfterMs: undefined,
  };
  if (status === 409) return new ConflictError(init);
  if (status === 422) return new UnprocessableEntityError(init);
  return new InternalServerError(init);
}
