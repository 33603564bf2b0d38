import { http, type RequestHandler } from 'msw';
import {
  APIError,
  type DocumentContentCreate,
  type DocumentSourceCreate,
  type DocumentUploadParams,
  type ExportFile,
  type LocalPrism,
  NotSupportedLocallyError,
  PrismError,
  type Problem,
} from '../../src/index.js';
import { validateWithSpec } from '../spec.js';
import {
  checkRequest,
  type Operation,
  operations,
  type ParameterSchema,
  type ReceivedCall,
  routeOf,
} from './spec-handlers.js';

/** Options of {@link localServerHandlers}. */
export interface LocalServerOptions {
  /** Receives every request, with what it (or the answer to it) broke of the spec. */
  calls?: ReceivedCall[];
}

/** A request, read and checked, as the local call takes it. */
interface Incoming {
  /** A path parameter, decoded. */
  path(name: string): string;
  /** The query parameters; integer ones (`limit`, `item`, `minDocuments`) as numbers. */
  query: Record<string, string | number>;
  /** The JSON body, the multipart form, or `undefined`. */
  body: unknown;
  /** Whether the client asked for `text/event-stream`. */
  wantsEvents: boolean;
}

/** One event of a stream, as the local API yields it. */
interface StreamEvent {
  type: string;
}

/** What a local call answered, before it is written as HTTP. */
type Answer =
  | { kind: 'json'; value: unknown }
  | { kind: 'empty' }
  | { kind: 'file'; file: ExportFile }
  | { kind: 'events'; events: AsyncIterable<StreamEvent>; ids: boolean; last: Set<string> };

type Dispatch = (prism: LocalPrism, incoming: Incoming) => Promise<Answer>;

/** A request part already checked against the spec, typed as the local method takes it. */
function checked<T>(value: unknown): T {
  return value as T;
}

async function json(value: Promise<unknown> | PromiseLike<unknown>): Promise<Answer> {
  return { kind: 'json', value: await value };
}

async function empty(done: Promise<void>): Promise<Answer> {
  await done;
  return { kind: 'empty' };
}

/** The upload of a `createDocument` request: a multipart form or JSON. */
function uploadOf(body: unknown): DocumentUploadParams | DocumentSourceCreate {
  if (body instanceof FormData) {
    const file = checked<File>(body.get('file'));
    const title = body.get('title');
    return { file, filename: file.name, ...(typeof title === 'string' ? { title } : {}) };
  }
  const create = checked<DocumentContentCreate | DocumentSourceCreate>(body);
  if ('source' in create) return create;
  return {
    file: new Uint8Array(Buffer.from(create.contentBase64, 'base64')),
    filename: create.filename,
    title: create.title,
    metadata: create.metadata,
  };
}

const reviewEnds = new Set(['completed', 'failed', 'canceled']);

/** The local call of each operation of the spec. */
const dispatchers: Record<string, Dispatch> = {
  createDocument: (prism, { body }) => json(prism.documents.create(uploadOf(body))),
  listDocuments: (prism, { query }) => json(prism.documents.list(checked(query))),
  getDocument: (prism, { path }) => json(prism.documents.get(path('documentId'))),
  deleteDocument: (prism, { path }) => empty(prism.documents.delete(path('documentId'))),
  createReview: async (prism, { body }) => ({
    kind: 'json',
    value: (await prism.reviews.create(checked(body))).review,
  }),
  listReviews: (prism, { query }) => json(prism.reviews.list(checked(query))),
  getReview: (prism, { path }) => json(prism.reviews.get(path('reviewId'))),
  cancelReview: (prism, { path }) => json(prism.reviews.cancel(path('reviewId'))),
  streamReviewEvents: async (prism, { path }) => ({
    kind: 'events',
    events: prism.reviews.events(path('reviewId')),
    ids: true,
    last: reviewEnds,
  }),
  exportReview: async (prism, { path, query }) => ({
    kind: 'file',
    file: await prism.exports.get(path('reviewId'), checked(query.format)),
  }),
  listFindings: (prism, { path, query }) =>
    json(prism.findings.list(path('reviewId'), checked(query))),
  createFinding: (prism, { path, body }) =>
    json(prism.findings.create(path('reviewId'), checked(body))),
  getFinding: (prism, { path }) => json(prism.findings.get(path('findingId'))),
  updateFinding: (prism, { path, body }) =>
    json(prism.findings.update(path('findingId'), checked(body))),
  acceptFinding: (prism, { path, body }) =>
    json(prism.findings.accept(path('findingId'), checked(body))),
  rejectFinding: (prism, { path, body }) =>
    json(prism.findings.reject(path('findingId'), checked(body))),
  askChat: async (prism, { body, wantsEvents }) =>
    wantsEvents
      ? { kind: 'events', events: prism.chat.stream(checked(body)), ids: false, last: new Set() }
      : json(prism.chat.ask(checked(body))),
  listPatterns: (prism, { query }) => json(prism.patterns.list(checked(query))),
  getStats: (prism, { query }) => json(prism.stats.get(checked(query))),
  listFrameworks: (prism, { query }) => json(prism.frameworks.list(checked(query))),
  createFramework: (prism, { body }) => json(prism.frameworks.create(checked(body))),
  getFramework: (prism, { path, query }) =>
    json(prism.frameworks.get(path('frameworkId'), checked(query))),
  listWebhookEndpoints: (prism, { query }) => json(prism.webhooks.list(checked(query))),
  createWebhookEndpoint: (prism, { body }) => json(prism.webhooks.create(checked(body))),
  getWebhookEndpoint: (prism, { path }) => json(prism.webhooks.get(path('endpointId'))),
  updateWebhookEndpoint: (prism, { path, body }) =>
    json(prism.webhooks.update(path('endpointId'), checked(body))),
  deleteWebhookEndpoint: (prism, { path }) => empty(prism.webhooks.delete(path('endpointId'))),
  rotateWebhookSecret: (prism, { path, body }) =>
    json(prism.webhooks.rotateSecret(path('endpointId'), checked(body))),
  listWebhookDeliveries: (prism, { path, query }) =>
    json(prism.webhooks.listDeliveries(path('endpointId'), checked(query))),
  replayWebhookDelivery: (prism, { path }) =>
    json(prism.webhooks.replayDelivery(path('endpointId'), path('deliveryId'))),
  listConnections: (prism, { query }) => json(prism.connections.list(checked(query))),
  createConnection: (prism, { body }) => json(prism.connections.create(checked(body))),
  reauthorizeConnection: (prism, { path, body }) =>
    json(prism.connections.reauthorize(path('connectionId'), checked(body))),
  getConnection: (prism, { path }) => json(prism.connections.get(path('connectionId'))),
  deleteConnection: (prism, { path }) => empty(prism.connections.delete(path('connectionId'))),
  listWatches: (prism, { query }) => json(prism.watches.list(checked(query))),
  createWatch: (prism, { body }) => json(prism.watches.create(checked(body))),
  prepareWatch: (prism, { body }) => json(prism.watches.prepare(checked(body))),
  getWatch: (prism, { path }) => json(prism.watches.get(path('watchId'))),
  deleteWatch: (prism, { path }) => empty(prism.watches.delete(path('watchId'))),
  listApiKeys: (prism, { query }) => json(prism.apiKeys.list(checked(query))),
  createApiKey: (prism, { body }) => json(prism.apiKeys.create(checked(body))),
  revokeApiKey: (prism, { path }) => json(prism.apiKeys.revoke(path('keyId'))),
  listAuditEvents: (prism, { query }) => json(prism.audit.list(checked(query))),
};

/** Header parameters some operation of the spec declares; sending one elsewhere breaks it. */
const declaredHeaders = new Set(
  operations.flatMap((operation) => [...operation.headerSchemas.keys()]),
);

/** What a value breaks of an inline parameter schema's type and bounds. */
function boundsProblems(label: string, schema: ParameterSchema, value: string | number): string[] {
  if (schema.type === 'integer' && !Number.isInteger(value)) return [`${label} must be an integer`];
  const problems: string[] = [];
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      problems.push(`${label} must be >= ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      problems.push(`${label} must be <= ${schema.maximum}`);
    }
  } else {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      problems.push(`${label} must have at least ${schema.minLength} characters`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      problems.push(`${label} must have at most ${schema.maxLength} characters`);
    }
  }
  return problems;
}

/** What a parameter value breaks of its schema (a component reference or an inline type). */
function parameterProblems(label: string, schema: ParameterSchema, value: string | number) {
  const component = schema.$ref?.split('/').pop();
  if (component) {
    return validateWithSpec(component, value).map((problem) => `${label}: ${problem}`);
  }
  return boundsProblems(label, schema, value);
}

/** The declared query parameters, integers converted, with what their values break. */
function readQuery(operation: Operation, url: URL, problems: string[]) {
  const query: Record<string, string | number> = {};
  for (const [name, schema] of operation.querySchemas) {
    const values = url.searchParams.getAll(name);
    const [text] = values;
    if (text === undefined) continue;
    if (values.length > 1) problems.push(`query parameter ${name} is repeated`);
    const value = schema.type === 'integer' ? Number(text) : text;
    problems.push(...parameterProblems(`query parameter ${name}`, schema, value));
    query[name] = value;
  }
  return query;
}

/** What the request's headers break: one the spec declares only for other operations, or a bad value. */
function headerProblems(operation: Operation, headers: Headers): string[] {
  return [...declaredHeaders].flatMap((name) => {
    const value = headers.get(name);
    if (value === null) return [];
    const schema = operation.headerSchemas.get(name);
    if (!schema) return [`header ${name} is not a parameter of ${operation.operationId}`];
    return parameterProblems(`header ${name}`, schema, value);
  });
}

/** What a multipart upload breaks of its schema (a `file` part that is a file, a text `title`). */
function formProblems(operation: Operation, form: FormData): string[] {
  const schema = operation.requestSchemas['multipart/form-data'];
  if (!schema) return [];
  const file = form.get('file');
  const problems = validateWithSpec(schema, {
    ...Object.fromEntries(form),
    ...(file instanceof File ? { file: file.name } : {}),
  });
  if (file !== null && !(file instanceof File)) problems.push('multipart part file must be a file');
  return problems;
}

function newRequestId(): string {
  return `req_${crypto.randomUUID().replaceAll('-', '').slice(0, 20)}`;
}

/** A problem body in the spec's shape, for errors the local call did not make itself. */
function problemOf(
  status: number,
  code: string,
  detail: string,
  instance: string,
  hint?: string,
): Problem {
  return {
    type: `https://prism.dev/problems/${code.replaceAll('_', '-')}`,
    title: `${code.charAt(0).toUpperCase()}${code.slice(1).replaceAll('_', ' ')}`,
    status,
    detail,
    instance,
    code,
    requestId: '',
    ...(hint === undefined ? {} : { hint }),
  };
}

/** The problem a server would answer `error` of a local call with. */
function problemOfError(error: unknown, instance: string): Problem {
  if (error instanceof APIError) {
    return (
      error.problem ?? problemOf(error.status, error.code, error.message, instance, error.hint)
    );
  }
  if (error instanceof NotSupportedLocallyError) {
    return problemOf(501, error.code, error.message, instance, error.hint);
  }
  if (error instanceof PrismError) {
    const status = error.code === 'file_too_large' ? 413 : 400;
    return problemOf(status, error.code, error.message, instance, error.hint);
  }
  return problemOf(500, 'internal', String(error), instance);
}

/** An event stream that fails the call when an event breaks the spec. */
function sseBody(
  iterator: AsyncIterator<StreamEvent>,
  first: IteratorResult<StreamEvent>,
  answer: Extract<Answer, { kind: 'events' }>,
  operation: Operation,
  call: ReceivedCall,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let next = first;
  let id = 0;
  const stop = () => {
    iterator.return?.().catch(() => undefined);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (next.done) {
        controller.close();
        return;
      }
      const event = next.value;
      const problems = operation.eventSchema ? validateWithSpec(operation.eventSchema, event) : [];
      if (problems.length > 0) {
        call.problems.push(...problems.map((problem) => `event ${event.type}: ${problem}`));
        controller.error(new Error(`an event broke the spec: ${problems.join('; ')}`));
        stop();
        return;
      }
      id += 1;
      const idLine = answer.ids ? `id: ${id}\n` : '';
      controller.enqueue(
        encoder.encode(`${idLine}event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`),
      );
      if (answer.last.has(event.type)) {
        controller.close();
        stop();
        return;
      }
      next = await iterator.next();
    },
    cancel: stop,
  });
}

/** `filename="..."` (ASCII, quoted) and `filename*=UTF-8''...` (RFC 6266) of a download. */
function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '\\$&');
  const encoded = encodeURIComponent(filename).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

/** One request being answered: its operation, its record and the id of its answer. */
interface Exchange {
  operation: Operation;
  call: ReceivedCall;
  requestId: string;
  /** The request path, the `instance` of its problems. */
  instance: string;
}

/** An `application/problem+json` answer; a problem body that breaks the spec is recorded. */
function problemResponse(exchange: Exchange, problem: Problem): Response {
  const { call, requestId } = exchange;
  const body = { ...problem, requestId };
  call.problems.push(...validateWithSpec('Problem', body).map((broken) => `problem: ${broken}`));
  return Response.json(body, {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', 'x-request-id': requestId },
  });
}

/**
 * The answer to a request that breaks the spec, as a server validating against it answers: a
 * body that cannot be read is a 400 `bad_request`; any other violation a 422
 * `validation_failed` listing each one in `errors`.
 */
function invalidRequestResponse(exchange: Exchange, problems: string[]) {
  const unreadable = problems.some((problem) => problem.startsWith('the body cannot be read'));
  const problem = problemOf(
    unreadable ? 400 : 422,
    unreadable ? 'bad_request' : 'validation_failed',
    problems.join('; '),
    exchange.instance,
    'The request does not follow openapi/prism.yaml.',
  );
  const errors = problems.map((text) => {
    const [path = '', ...message] = text.startsWith('/') ? text.split(' ') : ['', text];
    return { path, message: message.join(' ') };
  });
  return problemResponse(exchange, unreadable ? problem : { ...problem, errors });
}

/** A `500 spec_violation`: an answer that breaks the spec (recorded in the call's problems). */
function specViolationResponse(exchange: Exchange, problems: string[]) {
  exchange.call.problems.push(...problems.map((p) => `answer: ${p}`));
  return problemResponse(
    exchange,
    problemOf(
      500,
      'spec_violation',
      problems.join('; '),
      exchange.instance,
      'The answer does not follow openapi/prism.yaml.',
    ),
  );
}

/** The HTTP answer of a local call's result, its body checked against the spec. */
async function successResponse(exchange: Exchange, answer: Answer): Promise<Response> {
  const { operation, call, requestId } = exchange;
  const headers = { 'x-request-id': requestId };
  const status = operation.status;
  if (answer.kind === 'empty') return new Response(null, { status, headers });
  if (answer.kind === 'events') {
    const iterator = answer.events[Symbol.asyncIterator]();
    const first = await iterator.next();
    return new Response(sseBody(iterator, first, answer, operation, call), {
      status,
      headers: { ...headers, 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  }
  const json =
    answer.kind === 'json'
      ? answer.value
      : answer.file.contentType === 'application/json'
        ? JSON.parse(new TextDecoder().decode(answer.file.body))
        : undefined;
  const problems =
    json !== undefined && operation.responseSchema
      ? validateWithSpec(operation.responseSchema, json)
      : [];
  if (problems.length > 0) return specViolationResponse(exchange, problems);
  if (answer.kind === 'json') return Response.json(answer.value, { status, headers });
  const { file } = answer;
  return new Response(new Blob([new Uint8Array(file.body)]), {
    status,
    headers: {
      ...headers,
      'content-type': file.contentType,
      'content-disposition': contentDisposition(file.filename),
    },
  });
}

/**
 * msw handlers that make `prism` answer every operation of `openapi/prism.yaml` under `baseUrl`
 * as a Prism server would. Each request is checked against the spec (declared query parameters
 * and headers and their values, the JSON or multipart body) and recorded in `options.calls`; one
 * that breaks it is answered `422 validation_failed` (`400 bad_request` for an unreadable body)
 * with the problems in `detail` and `errors`, and stays recorded. Then it needs
 * `Authorization: Bearer ...` (`401 unauthorized`), and goes to the `LocalPrism` method of its
 * `operationId`. Answers have the spec's status and an `X-Request-Id` (the request's own, when
 * it sent one); JSON bodies and streamed events are checked against the spec's schemas, and a
 * body that breaks them is a `500 spec_violation` (also recorded in the call's `problems`). Errors
 * become `application/problem+json`: an `APIError` with its status and problem,
 * `NotSupportedLocallyError` a 501, `file_too_large` a 413, another `PrismError` a 400 and
 * anything else a 500 `internal`.
 *
 * @throws {Error} when an operation of the spec has no local call here.
 */
export function localServerHandlers(
  baseUrl: string,
  prism: LocalPrism,
  options: LocalServerOptions = {},
): RequestHandler[] {
  const missing = operations.filter((operation) => !(operation.operationId in dispatchers));
  if (missing.length > 0) {
    const names = missing.map((operation) => operation.operationId).join(', ');
    throw new Error(`localServerHandlers cannot answer ${names}`);
  }
  return operations.map((operation) => {
    const method = operation.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    const dispatch = dispatchers[operation.operationId] as Dispatch;
    return http[method](routeOf(baseUrl, operation), async ({ request, params }) => {
      const url = new URL(request.url);
      const call = await readCall(operation, request);
      const query = readQuery(operation, url, call.problems);
      call.problems.push(...headerProblems(operation, request.headers));
      if (call.body instanceof FormData) call.problems.push(...formProblems(operation, call.body));
      options.calls?.push(call);
      const exchange: Exchange = {
        operation,
        call,
        requestId: request.headers.get('x-request-id') ?? newRequestId(),
        instance: url.pathname,
      };

      if (call.problems.length > 0) return invalidRequestResponse(exchange, call.problems);
      if (!/^bearer\s+\S+/i.test(request.headers.get('authorization') ?? '')) {
        const hint = 'Send Authorization: Bearer <api key>.';
        return problemResponse(
          exchange,
          problemOf(401, 'unauthorized', 'No API key.', url.pathname, hint),
        );
      }
      try {
        const answer = await dispatch(prism, {
          path: (name) => String(params[name]),
          query,
          body: call.body,
          wantsEvents: (request.headers.get('accept') ?? '').includes('text/event-stream'),
        });
        return await successResponse(exchange, answer);
      } catch (error) {
        return problemResponse(exchange, problemOfError(error, url.pathname));
      }
    });
  });
}

/** The request checked as `spec-handlers` checks it; a body that is not JSON is a problem too. */
async function readCall(operation: Operation, request: Request): Promise<ReceivedCall> {
  try {
    return await checkRequest(operation, request);
  } catch (error) {
    const url = new URL(request.url);
    return {
      operationId: operation.operationId,
      method: request.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: request.headers,
      body: undefined,
      problems: [`the body cannot be read: ${(error as Error).message}`],
    };
  }
}
