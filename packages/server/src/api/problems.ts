import {
  APIError,
  ExtractionError,
  NotSupportedLocallyError,
  PrismError,
  type Problem,
} from '@prism/sdk';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

const TITLES: Readonly<Record<number, string>> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Content too large',
  415: 'Unsupported media type',
  422: 'Validation failed',
  429: 'Too many requests',
  500: 'Internal server error',
  501: 'Not implemented',
};

/**
 * A request the server refuses on its own account (before or around the operation): the status,
 * code, hint and field errors of the problem it is answered with.
 */
export class RequestError extends Error {
  readonly status: number;
  readonly code: string;
  readonly hint: string;
  readonly errors: Problem['errors'];

  constructor(
    status: number,
    code: string,
    detail: string,
    options: { hint: string; errors?: Problem['errors'] },
  ) {
    super(detail);
    this.name = 'RequestError';
    this.status = status;
    this.code = code;
    this.hint = options.hint;
    this.errors = options.errors;
  }
}

/** An RFC 9457 problem of the request. */
export function problemOf(
  request: FastifyRequest,
  status: number,
  code: string,
  detail: string,
  extra: { hint?: string | undefined; errors?: Problem['errors'] } = {},
): Problem {
  return {
    type: `https://prism.dev/problems/${code.replaceAll('_', '-')}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    instance: request.url.split('?')[0] ?? request.url,
    code,
    requestId: String(request.id),
    ...(extra.hint === undefined ? {} : { hint: extra.hint }),
    ...(extra.errors === undefined ? {} : { errors: extra.errors }),
  };
}

/** Sends a problem as `application/problem+json`. */
export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type('application/problem+json').send(problem);
}

/** `bytes` as the nearest unit, e.g. `1 MiB`, `33.4 MiB`. */
function sizeOf(bytes: number): string {
  const mebibytes = bytes / (1024 * 1024);
  return mebibytes >= 1
    ? `${Math.round(mebibytes * 10) / 10} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}

/** The statuses of the connection hub's errors, when an API call meets them. */
const OAUTH_STATUS: Readonly<Record<string, number>> = {
  provider_not_configured: 409,
  provider_unavailable: 503,
  provider_error: 502,
  invalid_grant: 409,
  connection_not_active: 409,
};

/**
 * The problem an error becomes: the operations' own errors keep their status, code and hint
 * (with this request's id); the server's own refusals ({@link RequestError}) theirs; request
 * validation is a 422 listing each field; a body too large a 413; a body that cannot be read a
 * 400; anything else a 500 that says no more than its request id.
 */
export function problemOfError(request: FastifyRequest, error: unknown): Problem {
  if (error instanceof APIError && error.problem) {
    return {
      ...error.problem,
      instance: request.url.split('?')[0] ?? request.url,
      requestId: String(request.id),
    };
  }
  if (error instanceof RequestError) {
    return problemOf(request, error.status, error.code, error.message, {
      hint: error.hint,
      errors: error.errors,
    });
  }
  if (error instanceof NotSupportedLocallyError) {
    return problemOf(request, 501, 'not_implemented', error.message, {
      hint: 'This server does not offer it yet.',
    });
  }
  if (error instanceof PrismError && OAUTH_STATUS[error.code] !== undefined) {
    return problemOf(request, OAUTH_STATUS[error.code] as number, error.code, error.message, {
      hint: error.hint,
    });
  }
  if (
    error instanceof ExtractionError ||
    (error instanceof PrismError && error.code === 'file_too_large')
  ) {
    const status = error.code === 'file_too_large' ? 413 : 422;
    return problemOf(request, status, error.code, error.message, { hint: error.hint });
  }
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) {
    const errors = fastifyError.validation.map((issue) => ({
      path: `${issue.instancePath || ''}${'missingProperty' in issue.params ? `/${String(issue.params.missingProperty)}` : ''}`,
      message: issue.message ?? 'is invalid',
    }));
    return problemOf(
      request,
      422,
      'validation_failed',
      fastifyError.message ?? 'Invalid request.',
      {
        hint: 'Fix the fields listed in `errors` and send the request again.',
        errors,
      },
    );
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE' || fastifyError.statusCode === 413) {
    const limit = sizeOf(request.routeOptions.bodyLimit);
    return request.routeOptions.config.operationId === 'createDocument'
      ? problemOf(
          request,
          413,
          'file_too_large',
          `The upload's body is over ${limit}, more than a 25 MB file takes in base64.`,
          { hint: 'Split the document, or remove embedded media to make it smaller.' },
        )
      : problemOf(request, 413, 'body_too_large', `The request body is over ${limit}.`, {
          hint: `Send a body of at most ${limit}; only document uploads may be larger.`,
        });
  }
  if (fastifyError.statusCode === 415) {
    return problemOf(
      request,
      415,
      'unsupported_media_type',
      fastifyError.message ?? 'Unsupported body.',
      {
        hint: 'Send application/json, or multipart/form-data for an upload.',
      },
    );
  }
  if (
    fastifyError.statusCode !== undefined &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const unreadableJson =
      fastifyError.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
      fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY';
    return problemOf(request, 400, 'bad_request', fastifyError.message ?? 'Bad request.', {
      hint: unreadableJson
        ? 'Send the body as one well-formed JSON document, or no Content-Type without a body.'
        : 'Check the request against the API reference at /docs.',
    });
  }
  return problemOf(request, 500, 'internal', 'The server failed to answer this request.', {
    hint: 'Try again; if it keeps failing, report it with the request id.',
  });
}
