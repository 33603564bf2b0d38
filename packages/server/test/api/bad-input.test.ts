import { INCIDENT_REPORT } from '@prism/sdk/contract';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectProblem,
  type Ids,
  resolveSchema,
  SPEC_OPERATIONS,
  type SpecOperation,
  type SpecSchema,
  specOperation,
  startTestServer,
  storedState,
  type TestServer,
  validRequest,
} from './harness.js';

const TENANT = 'bad-input';

let server: TestServer;
let key: string;
/** Real resources of the tenant, so a request that got through would change something. */
let ids: Ids;
/** Everything stored for the tenant after the last request; a refused request changes none of it. */
let stored: unknown;

const BOUNDARY = '----prism-test-boundary';
const MULTIPART_HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };

/** A form field part. */
function formField(name: string, value: string): string {
  return `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
}

/** A file part. */
function filePart(name: string, filename: string, content: string): string {
  return (
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"; filename="${filename}"\r\n` +
    `Content-Type: application/octet-stream\r\n\r\n${content}\r\n`
  );
}

/** A whole multipart body of `parts`. */
function multipart(parts: string[]): string {
  return `${parts.join('')}--${BOUNDARY}--\r\n`;
}

/** One bad request: what is sent, and the problem it is answered with. */
interface BadRequestCase {
  name: string;
  /** The request, on the tenant's resources `ids`. */
  request: (ids: Ids) => InjectOptions;
  status: number;
  code: string;
  /** A field `errors` names, for a `validation_failed`. */
  field?: string;
}

beforeAll(async () => {
  server = await startTestServer();
  key = await server.addKey(TENANT, 'admin');
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    (await server.call(key, { method, url, ...(payload ? { payload } : {}) })).json();
  const { endpoint } = await call('POST', '/v2/webhook-endpoints', {
    url: 'https://hooks.example.com/bad-input',
  });
  const document = await call('POST', '/v2/documents', {
    filename: 'scanner-outage.md',
    contentBase64: Buffer.from(INCIDENT_REPORT).toString('base64'),
  });
  const review = await call('POST', '/v2/reviews', { documentId: document.id });
  await server.call(key, { method: 'GET', url: `/v2/reviews/${review.id}/events` });
  const findings = await call('GET', `/v2/reviews/${review.id}/findings`);
  const { apiKey } = await call('POST', '/v2/api-keys', { name: 'spare', role: 'viewer' });
  await server.service.core.settle();
  const deliveries = await call('GET', `/v2/webhook-endpoints/${endpoint.id}/deliveries`);
  ids = {
    documentId: document.id,
    reviewId: review.id,
    findingId: findings.data[0].id,
    frameworkId: 'hawkeye-20',
    endpointId: endpoint.id,
    deliveryId: deliveries.data[0].id,
    connectionId: 'con_none',
    watchId: 'wat_none',
    keyId: apiKey.id,
  };
  stored = await storedState(server.service.core.store, TENANT);
});

afterAll(async () => {
  await server?.close();
});

/** Sends `request` with the tenant's key and checks the problem and that nothing was stored. */
async function expectRefused(testCase: BadRequestCase): Promise<void> {
  const before = stored;
  const response = await server.call(key, testCase.request(ids));
  await server.service.core.settle();
  stored = await storedState(server.service.core.store, TENANT);
  expect.soft(stored, 'what the tenant has stored').toEqual(before);
  const problem = expectProblem(response, testCase.status, testCase.code);
  if (testCase.field !== undefined) {
    const paths = (problem.errors as { path: string }[] | undefined)?.map(({ path }) => path);
    expect(paths, JSON.stringify(problem)).toContainEqual(
      expect.stringMatching(new RegExp(`^${testCase.field}(/|$)`)),
    );
  }
}

/** A value of another JSON type than `schema` allows. */
function wrongTypeFor(schema: SpecSchema): unknown {
  const resolved = resolveSchema(schema);
  const types = [resolved.type ?? []].flat();
  return types.includes('string') ? 42 : 'not-a-value';
}

/** The top-level properties of a body schema (of its first alternative, for a `oneOf`). */
function bodyShape(schema: SpecSchema): SpecSchema {
  return schema.properties ? schema : resolveSchema(schema.oneOf?.[0] ?? {});
}

/** The bad JSON bodies of one operation that takes JSON. */
function bodyCases(operation: SpecOperation): BadRequestCase[] {
  const shape = bodyShape(operation.jsonBody as SpecSchema);
  /** A request of the operation with the body `make` makes of a valid one. */
  const send =
    (make: (valid: object) => unknown, headers: Record<string, string> = {}) =>
    (ids: Ids): InjectOptions => {
      const { method, url, payload } = validRequest(operation, ids);
      return { method, url, payload: make((payload ?? {}) as object) as string, headers };
    };
  const cases: BadRequestCase[] = [];
  if (operation.bodyRequired) {
    cases.push({
      name: 'no body',
      request: (ids) => {
        const { method, url } = validRequest(operation, ids);
        return { method, url };
      },
      status: 422,
      code: 'validation_failed',
    });
  }
  const [missing] = shape.required ?? [];
  if (missing !== undefined) {
    cases.push({
      name: 'an empty object',
      request: send(() => ({})),
      status: 422,
      code: 'validation_failed',
      field: `/${missing}`,
    });
  }
  for (const [field, schema] of Object.entries(shape.properties ?? {})) {
    cases.push({
      name: `a wrong type for ${field}`,
      request: send((valid) => ({ ...valid, [field]: wrongTypeFor(schema) })),
      status: 422,
      code: 'validation_failed',
      field: `/${field}`,
    });
  }
  if (shape.additionalProperties === false) {
    cases.push({
      name: 'an unknown field',
      request: send((valid) => ({ ...valid, unexpectedField: true })),
      status: 422,
      code: 'validation_failed',
    });
  }
  const json = { 'content-type': 'application/json' };
  cases.push(
    {
      name: 'malformed JSON',
      request: send(() => '{"a": ', json),
      status: 400,
      code: 'bad_request',
    },
    { name: 'an empty JSON body', request: send(() => '', json), status: 400, code: 'bad_request' },
    {
      name: 'JSON null',
      request: send(() => 'null', json),
      status: 422,
      code: 'validation_failed',
    },
    {
      name: 'text/plain',
      request: send((valid) => JSON.stringify(valid), { 'content-type': 'text/plain' }),
      status: 415,
      code: 'unsupported_media_type',
    },
    {
      name: 'application/xml',
      request: send(() => '<review/>', { 'content-type': 'application/xml' }),
      status: 415,
      code: 'unsupported_media_type',
    },
  );
  if (!operation.multipart) {
    cases.push(
      {
        name: 'a multipart form',
        request: send(() => multipart([formField('documentId', 'x')]), MULTIPART_HEADERS),
        status: 415,
        code: 'unsupported_media_type',
      },
      {
        name: 'a 2 MiB JSON body',
        request: send((valid) => ({ ...valid, padding: 'x'.repeat(2 * 1024 * 1024) })),
        status: 413,
        code: 'body_too_large',
      },
    );
  }
  return cases;
}

/** The bad query parameters of one operation. */
function queryCases(operation: SpecOperation): BadRequestCase[] {
  /** A request of the operation with `name` set to `value` in its valid query. */
  const withParameter = (name: string, value: string) => (ids: Ids) => {
    const { method, url, payload } = validRequest(operation, ids);
    const [path, search] = url.split('?');
    const query = new URLSearchParams(search);
    query.set(name, value);
    return { method, url: `${path}?${query}`, payload } as InjectOptions;
  };
  const cases: BadRequestCase[] = [];
  for (const [name, declared] of operation.query) {
    const schema = resolveSchema(declared);
    const wrong: string[] = [];
    if (schema.type === 'integer') {
      wrong.push('abc', '1.5', String((schema.minimum ?? 1) - 1));
      if (schema.maximum !== undefined) wrong.push(String(schema.maximum + 1));
    }
    if (schema.enum) wrong.push('bogus');
    if (schema.format === 'date-time') wrong.push('yesterday');
    for (const value of wrong) {
      cases.push({
        name: `${name}=${value}`,
        request: withParameter(name, value),
        status: 422,
        code: 'validation_failed',
        field: `/${name}`,
      });
    }
  }
  if (operation.query.has('cursor')) {
    cases.push({
      name: 'a cursor of no list',
      request: withParameter('cursor', 'not-a-cursor'),
      status: 400,
      code: 'invalid_cursor',
    });
  }
  return cases;
}

/** The `Idempotency-Key` values the document does not allow. */
function headerCases(operation: SpecOperation): BadRequestCase[] {
  return ['', 'k'.repeat(256)].map((value) => ({
    name: `an Idempotency-Key of ${value.length} characters`,
    request: (ids) =>
      ({ ...validRequest(operation, ids), headers: { 'idempotency-key': value } }) as InjectOptions,
    status: 422,
    code: 'validation_failed',
  }));
}

describe('a JSON body that breaks the document', () => {
  const cases = SPEC_OPERATIONS.filter((operation) => operation.jsonBody).flatMap((operation) =>
    bodyCases(operation).map(
      (testCase) => [operation.operationId, testCase.name, testCase] as const,
    ),
  );
  it.each(cases)('%s with %s', async (_, __, testCase) => {
    await expectRefused(testCase);
  });
});

describe('query parameters that break the document', () => {
  const cases = SPEC_OPERATIONS.flatMap((operation) =>
    queryCases(operation).map(
      (testCase) => [operation.operationId, testCase.name, testCase] as const,
    ),
  );
  it.each(cases)('%s with %s', async (_, __, testCase) => {
    await expectRefused(testCase);
  });
});

describe('headers that break the document', () => {
  const cases = SPEC_OPERATIONS.filter((operation) =>
    operation.headers.has('idempotency-key'),
  ).flatMap((operation) =>
    headerCases(operation).map(
      (testCase) => [operation.operationId, testCase.name, testCase] as const,
    ),
  );
  it.each(cases)('%s with %s', async (_, __, testCase) => {
    await expectRefused(testCase);
  });
});

describe('ids that do not exist', () => {
  const cases = SPEC_OPERATIONS.filter((operation) => operation.pathParams.length > 0).map(
    (operation) => [operation.operationId, operation] as const,
  );
  it.each(cases)('%s is a 404 not_found', async (_, operation) => {
    const missing = Object.fromEntries(operation.pathParams.map((name) => [name, `${name}_nope`]));
    await expectRefused({
      name: 'missing ids',
      request: (ids) => validRequest(operation, { ...ids, ...missing }) as InjectOptions,
      status: 404,
      code: 'not_found',
    });
  });
});

/** Base64 characters of a file 2 bytes over the 25 MiB upload limit (its JSON is under the body limit). */
const UPLOAD_OVER_LIMIT_BASE64 = ((25 * 1024 * 1024 + 2) / 3) * 4;

/** A JSON upload whose `contentBase64` is `length` characters of base64 (zero bytes). */
function base64Upload(length: number): Buffer {
  return Buffer.concat([
    Buffer.from('{"filename":"huge.md","contentBase64":"'),
    Buffer.alloc(length, 'A'),
    Buffer.from('"}'),
  ]);
}

describe('an upload that breaks the document', () => {
  const upload =
    (payload: string | Buffer, headers: Record<string, string> = MULTIPART_HEADERS) =>
    () => ({
      method: 'POST' as const,
      url: specOperation('createDocument').path,
      payload,
      headers,
    });
  const notes = filePart('file', 'notes.md', '# Notes\n\nThe printers stopped.\n');
  const cases: BadRequestCase[] = [
    {
      name: 'a form without a file part',
      request: upload(multipart([formField('title', 'No file')])),
      status: 422,
      code: 'validation_failed',
      field: '/file',
    },
    {
      name: 'a file field sent as text',
      request: upload(multipart([formField('file', '# Notes')])),
      status: 422,
      code: 'validation_failed',
      field: '/file',
    },
    {
      name: 'two files',
      request: upload(multipart([notes, filePart('file', 'more.md', '# More')])),
      status: 400,
      code: 'too_many_files',
    },
    {
      name: 'a second file under another name',
      request: upload(multipart([notes, filePart('attachment', 'more.md', '# More')])),
      status: 400,
      code: 'too_many_files',
    },
    {
      name: 'a truncated body',
      request: upload(multipart([notes]).slice(0, 90)),
      status: 400,
      code: 'invalid_multipart',
    },
    {
      name: 'no boundary',
      request: upload(multipart([notes]), { 'content-type': 'multipart/form-data' }),
      status: 400,
      code: 'invalid_multipart',
    },
    {
      name: 'a 26 MiB file',
      request: () =>
        upload(
          Buffer.concat([
            Buffer.from(filePart('file', 'huge.md', '').slice(0, -2)),
            Buffer.alloc(26 * 1024 * 1024, 'x'),
            Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
          ]),
        )(),
      status: 413,
      code: 'file_too_large',
    },
    {
      name: 'JSON content that is not base64',
      request: () => ({
        method: 'POST',
        url: '/v2/documents',
        payload: { filename: 'notes.md', contentBase64: '%%% not base64 %%%' },
      }),
      status: 422,
      code: 'validation_failed',
      field: '/contentBase64',
    },
    {
      name: 'JSON content just over 25 MiB decoded (under the body limit)',
      request: () => ({
        method: 'POST',
        url: '/v2/documents',
        payload: base64Upload(UPLOAD_OVER_LIMIT_BASE64),
        headers: { 'content-type': 'application/json' },
      }),
      status: 413,
      code: 'file_too_large',
    },
    {
      name: 'JSON content of 34 MiB in base64 (over the body limit)',
      request: () => ({
        method: 'POST',
        url: '/v2/documents',
        payload: base64Upload(34 * 1024 * 1024),
        headers: { 'content-type': 'application/json' },
      }),
      status: 413,
      code: 'file_too_large',
    },
  ];
  it.each(cases.map((testCase) => [testCase.name, testCase] as const))(
    '%s',
    async (_, testCase) => {
      await expectRefused(testCase);
    },
  );
});
