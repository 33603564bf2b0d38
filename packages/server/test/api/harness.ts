import {
  generateApiKeySecret,
  hashApiKeySecret,
  PrismService,
  type Role,
  type Store,
} from '@prism/sdk';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { OPENAPI_DOCUMENT } from '../../src/api/operations.js';
import { buildServer } from '../../src/server.js';

/** A JSON Schema of the OpenAPI document, as far as the tests read it. */
export interface SpecSchema {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  minimum?: number;
  maximum?: number;
  required?: string[];
  properties?: Record<string, SpecSchema>;
  additionalProperties?: boolean | SpecSchema;
  oneOf?: SpecSchema[];
}

interface SpecParameter {
  $ref?: string;
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema: SpecSchema;
}

interface SpecOperationObject {
  operationId: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: SpecSchema }> };
}

/** One operation of `openapi/prism.yaml`, as the request tests need it. */
export interface SpecOperation {
  /** Its `operationId`. */
  operationId: string;
  /** The HTTP method, upper case. */
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** The path template, e.g. `/v2/reviews/{reviewId}/cancel`. */
  path: string;
  /** The names of the path's parameters, in order. */
  pathParams: string[];
  /** The schema of each query parameter, by name. */
  query: Map<string, SpecSchema>;
  /** The schema of each header parameter, by lower-case name. */
  headers: Map<string, SpecSchema>;
  /** The query parameters it cannot do without. */
  requiredQuery: string[];
  /** The JSON body's schema (resolved), when it takes one. */
  jsonBody: SpecSchema | undefined;
  /** Whether it takes a `multipart/form-data` body. */
  multipart: boolean;
  /** Whether the body is required. */
  bodyRequired: boolean;
}

const document = OPENAPI_DOCUMENT as unknown as {
  paths: Record<string, Record<string, SpecOperationObject | SpecParameter[]>>;
  components: { parameters: Record<string, SpecParameter>; schemas: Record<string, SpecSchema> };
};

/** `schema` with its `$ref` (if any) followed to the component it names. */
export function resolveSchema(schema: SpecSchema): SpecSchema {
  const name = schema.$ref?.split('/').pop();
  return name ? resolveSchema(document.components.schemas[name] as SpecSchema) : schema;
}

function resolveParameter(parameter: SpecParameter): SpecParameter {
  const name = parameter.$ref?.split('/').pop();
  return name ? (document.components.parameters[name] as SpecParameter) : parameter;
}

const METHODS = ['get', 'post', 'patch', 'delete'] as const;

/** Every operation of the OpenAPI document's paths, in document order. */
export const SPEC_OPERATIONS: readonly SpecOperation[] = Object.entries(document.paths).flatMap(
  ([path, item]) =>
    METHODS.filter((method) => method in item).map((method) => {
      const operation = item[method] as SpecOperationObject;
      const parameters = [
        ...((item.parameters as SpecParameter[] | undefined) ?? []),
        ...(operation.parameters ?? []),
      ].map(resolveParameter);
      const query = parameters.filter((parameter) => parameter.in === 'query');
      const content = operation.requestBody?.content ?? {};
      const json = content['application/json']?.schema;
      return {
        operationId: operation.operationId,
        method: method.toUpperCase() as SpecOperation['method'],
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((match) => match[1] as string),
        query: new Map(query.map((parameter) => [parameter.name, parameter.schema])),
        headers: new Map(
          parameters
            .filter((parameter) => parameter.in === 'header')
            .map((parameter) => [parameter.name.toLowerCase(), parameter.schema]),
        ),
        requiredQuery: query.filter((parameter) => parameter.required).map(({ name }) => name),
        jsonBody: json === undefined ? undefined : resolveSchema(json),
        multipart: 'multipart/form-data' in content,
        bodyRequired: operation.requestBody?.required === true,
      };
    }),
);

/** The operation of `operationId`. */
export function specOperation(operationId: string): SpecOperation {
  const found = SPEC_OPERATIONS.find((operation) => operation.operationId === operationId);
  if (!found) throw new Error(`openapi/prism.yaml has no operation ${operationId}`);
  return found;
}

/** `operation`'s path with its parameters filled in from `ids` (by parameter name), encoded. */
export function pathOf(operation: SpecOperation, ids: Readonly<Record<string, string>>): string {
  return operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const id = ids[name];
    if (id === undefined) throw new Error(`No id for {${name}} of ${operation.operationId}`);
    return encodeURIComponent(id);
  });
}

/** A URL with a query string of `query` (values left out when `undefined`). */
export function withQuery(path: string, query: Readonly<Record<string, string>> = {}): string {
  const search = new URLSearchParams(query).toString();
  return search === '' ? path : `${path}?${search}`;
}

/** A small Markdown document a review finds gaps in, ready for a JSON upload. */
export const NOTES_UPLOAD = {
  filename: 'notes.md',
  contentBase64: Buffer.from(
    '# Outage notes\n\n## Summary\n\nThe printers stopped. They work again.\n\n## Actions\n\nFix it.\n',
  ).toString('base64'),
};

/** A custom framework of one item, valid for `POST /v2/frameworks`. */
export const CUSTOM_FRAMEWORK = {
  id: 'team-checklist',
  version: '1.0.0',
  name: 'Team checklist',
  items: [
    {
      number: 1,
      key: 'owner',
      title: 'Owner',
      checks: 'Every action names an owner.',
      defaultSeverity: 'major',
    },
  ],
};

/** The ids a request names, by the name of the path parameter (or body field) that holds them. */
export type Ids = Readonly<Record<string, string>>;

/** A body each operation with one accepts, naming the resources of `ids`. */
const VALID_BODIES: Readonly<Record<string, (ids: Ids) => object>> = {
  createDocument: () => NOTES_UPLOAD,
  createReview: (ids) => ({ documentId: ids.documentId }),
  createFinding: () => ({
    frameworkItems: [{ number: 1, key: 'summary' }],
    severity: 'minor',
    title: 'No owner named',
    description: 'The actions name nobody.',
  }),
  updateFinding: () => ({ severity: 'minor' }),
  acceptFinding: () => ({ reason: 'Agreed.' }),
  rejectFinding: () => ({ reason: 'Not a gap here.' }),
  askChat: (ids) => ({ documentId: ids.documentId, question: 'What happened?' }),
  createFramework: () => CUSTOM_FRAMEWORK,
  createWebhookEndpoint: () => ({ url: 'https://hooks.example.com/prism' }),
  updateWebhookEndpoint: () => ({ description: 'Changed.' }),
  rotateWebhookSecret: () => ({ gracePeriodSeconds: 0 }),
  createConnection: () => ({ provider: 'slack' }),
  createWatch: (ids) => ({ connectionId: ids.connectionId, kind: 'slack', target: 'C0123' }),
  prepareWatch: (ids) => ({ connectionId: ids.connectionId, kind: 'slack', target: 'C0123' }),
  createApiKey: () => ({ name: 'ci', role: 'viewer' }),
};

/** The query each operation that needs one takes. */
const VALID_QUERIES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  exportReview: { format: 'json' },
};

/**
 * A request of `operation` that passes the document's validation, on the resources of `ids`:
 * its URL (path and query) and, when it takes one, its JSON body.
 *
 * @throws {Error} when the operation takes a body or query this table does not know, so a new
 *   operation of the document is noticed here.
 */
export function validRequest(
  operation: SpecOperation,
  ids: Ids,
): { method: SpecOperation['method']; url: string; payload?: object } {
  const body = VALID_BODIES[operation.operationId];
  if (operation.bodyRequired && body === undefined) {
    throw new Error(`No valid body for ${operation.operationId}: add one to VALID_BODIES`);
  }
  const query = VALID_QUERIES[operation.operationId] ?? {};
  const missing = operation.requiredQuery.filter((name) => !(name in query));
  if (missing.length > 0) {
    throw new Error(`No ${missing.join(', ')} for ${operation.operationId}: add to VALID_QUERIES`);
  }
  return {
    method: operation.method,
    url: withQuery(pathOf(operation, ids), query),
    ...(body === undefined ? {} : { payload: body(ids) }),
  };
}

/** A server over a fresh in-memory {@link PrismService}, and ways to make keys and requests. */
export interface TestServer {
  app: FastifyInstance;
  service: PrismService;
  /** A new API key of `tenantId` with `role` (revoked when asked); its secret. */
  addKey(tenantId: string, role: Role, options?: { revoked?: boolean }): Promise<string>;
  /** Sends a request with `secret` as its bearer key (none when `undefined`). */
  call(secret: string | undefined, options: InjectOptions): Promise<LightMyRequestResponse>;
  /** Stops the server and waits for reviews and webhook deliveries under way. */
  close(): Promise<void>;
}

/**
 * Builds a server for one test file. Webhook deliveries go to a stub that answers 204, so no
 * request leaves the process.
 */
export async function startTestServer(): Promise<TestServer> {
  const service = new PrismService({ fetch: async () => new Response(null, { status: 204 }) });
  const app = await buildServer({ service });
  let keys = 0;
  return {
    app,
    service,
    async addKey(tenantId, role, options = {}) {
      const secret = generateApiKeySecret();
      keys += 1;
      const at = new Date().toISOString();
      await service.core.store.apiKeys.insert({
        id: `key_test_${tenantId}_${role}_${keys}`,
        tenantId,
        name: `${tenantId} ${role}`,
        prefix: secret.slice(0, 13),
        role,
        createdAt: at,
        lastUsedAt: null,
        revokedAt: options.revoked ? at : null,
        secretHash: hashApiKeySecret(secret),
      });
      return secret;
    },
    call(secret, options) {
      const headers = {
        ...(secret === undefined ? {} : { authorization: `Bearer ${secret}` }),
        ...options.headers,
      };
      return app.inject({ ...options, headers });
    },
    async close() {
      await app.close();
      await service.close();
    },
  };
}

/**
 * Asserts that `response` is an `application/problem+json` answer of `status` with `code`, a
 * hint, and the request id of its `X-Request-Id` header.
 */
export function expectProblem(
  response: LightMyRequestResponse,
  status: number,
  code: string,
): Record<string, unknown> {
  const body = response.json() as Record<string, unknown>;
  expect({ status: response.statusCode, body }).toMatchObject({ status, body: { status, code } });
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(body.hint).toEqual(expect.stringMatching(/\S/));
  expect(body.requestId).toEqual(expect.stringMatching(/\S/));
  expect(body.requestId).toBe(response.headers['x-request-id']);
  return body;
}

/**
 * Everything stored for `tenantId`, row by row: every table, the audit log and the documents'
 * bytes. Two snapshots are equal exactly when nothing of the tenant was added, changed or removed.
 */
export async function storedState(store: Store, tenantId: string): Promise<unknown> {
  const tables = {
    documents: store.documents,
    reviews: store.reviews,
    findings: store.findings,
    frameworks: store.frameworks,
    webhookEndpoints: store.webhookEndpoints,
    webhookDeliveries: store.webhookDeliveries,
    connections: store.connections,
    watches: store.watches,
    apiKeys: store.apiKeys,
    audit: store.audit,
  };
  const state: Record<string, unknown[]> = {};
  for (const [name, table] of Object.entries(tables)) {
    const rows: unknown[] = [];
    let cursor: string | undefined;
    do {
      const page = await (table as Store['documents']).list(tenantId, {
        limit: 100,
        ...(cursor === undefined ? {} : { cursor }),
      });
      rows.push(...page.data);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    state[name] = rows;
  }
  const documents = state.documents as { id: string }[];
  state.contents = await Promise.all(
    documents.map(async ({ id }) => [id, await store.contents.get(tenantId, id)]),
  );
  return state;
}
