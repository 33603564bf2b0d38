import { HttpResponse, http, type RequestHandler } from 'msw';
import { spec, validateWithSpec } from '../spec.js';

interface Ref {
  $ref?: string;
}
/** The schema of a parameter: a component reference, or an inline type with its bounds. */
export interface ParameterSchema extends Ref {
  type?: string;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
}
interface SpecParameter extends Ref {
  name: string;
  in: string;
  schema?: ParameterSchema;
}
interface SpecOperation {
  operationId: string;
  parameters?: SpecParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: Ref }> };
  responses: Record<string, { content?: Record<string, { schema: Ref }> } & Ref>;
}
type SpecPaths = Record<string, Record<string, SpecOperation | SpecParameter[]>>;

const document = spec as unknown as {
  paths: SpecPaths;
  components: { parameters: Record<string, SpecParameter> };
};

/** One request an operation's handler received. */
export interface ReceivedCall {
  /** The operation's `operationId`. */
  operationId: string;
  /** The HTTP method. */
  method: string;
  /** The path, ids still encoded. */
  path: string;
  /** The query parameters. */
  query: Record<string, string>;
  /** The request headers. */
  headers: Headers;
  /** The parsed JSON body, the form, or `undefined`. */
  body: unknown;
  /**
   * What the request broke of the spec: unknown query parameters, a body that does not match
   * (and, under `localServerHandlers`, what its answer broke: its body, events or problem).
   */
  problems: string[];
}

/** One operation of the spec, as far as the handlers need it. */
export interface Operation {
  operationId: string;
  method: string;
  path: string;
  queryNames: Set<string>;
  /** The schema of each query parameter, by name. */
  querySchemas: Map<string, ParameterSchema>;
  /** The schema of each header parameter, by lower-case name (e.g. `idempotency-key`). */
  headerSchemas: Map<string, ParameterSchema>;
  requestSchemas: Record<string, string>;
  bodyRequired: boolean;
  status: number;
  responseSchema: string | undefined;
  /** The component schema of each event's data, for an operation that can answer `text/event-stream`. */
  eventSchema: string | undefined;
}

function componentName(ref: Ref | undefined): string | undefined {
  return ref?.$ref?.split('/').pop();
}

function resolveParameter(parameter: SpecParameter): SpecParameter {
  const name = componentName(parameter);
  return name ? (document.components.parameters[name] as SpecParameter) : parameter;
}

/** Every operation of `openapi/prism.yaml`. */
export const operations: Operation[] = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item)
    .filter(([method]) => method !== 'parameters')
    .map(([method, value]) => {
      const operation = value as SpecOperation;
      const [status, response] = Object.entries(operation.responses).find(([code]) =>
        code.startsWith('2'),
      ) as [string, SpecOperation['responses'][string]];
      const requestSchemas: Record<string, string> = {};
      for (const [type, media] of Object.entries(operation.requestBody?.content ?? {})) {
        requestSchemas[type] = componentName(media.schema) ?? '';
      }
      const parameters = (operation.parameters ?? []).map(resolveParameter);
      const schemasIn = (place: string, name: (parameter: SpecParameter) => string) =>
        new Map(
          parameters
            .filter((parameter) => parameter.in === place)
            .map((parameter) => [name(parameter), parameter.schema ?? {}]),
        );
      const querySchemas = schemasIn('query', (parameter) => parameter.name);
      return {
        operationId: operation.operationId,
        method: method.toUpperCase(),
        path,
        queryNames: new Set(querySchemas.keys()),
        querySchemas,
        headerSchemas: schemasIn('header', (parameter) => parameter.name.toLowerCase()),
        requestSchemas,
        bodyRequired: operation.requestBody?.required ?? false,
        status: Number(status),
        responseSchema: componentName(response.content?.['application/json']?.schema),
        eventSchema: componentName(response.content?.['text/event-stream']?.schema),
      };
    }),
);

/** The example of a component schema in the spec. */
export function exampleOf<T>(name: string): T {
  const example = spec.components.schemas[name]?.examples?.[0];
  if (example === undefined) throw new Error(`no example of ${name} in the spec`);
  return structuredClone(example) as T;
}

async function readBody(request: Request, operation: Operation, problems: string[]) {
  const type = request.headers.get('content-type') ?? '';
  const text = type.startsWith('multipart/form-data') ? undefined : await request.clone().text();
  if (text === '' || text === undefined) {
    if (type.startsWith('multipart/form-data')) {
      if (!operation.requestSchemas['multipart/form-data']) problems.push('multipart not allowed');
      return request.formData();
    }
    if (operation.bodyRequired) problems.push('a body is required');
    return undefined;
  }
  const schema = operation.requestSchemas['application/json'];
  if (!type.startsWith('application/json') || !schema) {
    problems.push(`unexpected body of type ${type}`);
    return text;
  }
  const body: unknown = JSON.parse(text);
  problems.push(...validateWithSpec(schema, body));
  return body;
}

/**
 * Checks a request against its operation in the spec — query parameters it declares, a JSON
 * body valid against its schema, multipart only where the spec takes it — and returns it as a
 * {@link ReceivedCall} whose `problems` list what it broke (empty when it speaks the spec).
 */
export async function checkRequest(operation: Operation, request: Request): Promise<ReceivedCall> {
  const url = new URL(request.url);
  const problems: string[] = [];
  for (const name of url.searchParams.keys()) {
    if (!operation.queryNames.has(name)) problems.push(`unknown query parameter ${name}`);
  }
  const body = await readBody(request, operation, problems);
  return {
    operationId: operation.operationId,
    method: request.method,
    path: url.pathname,
    query: Object.fromEntries(url.searchParams),
    headers: request.headers,
    body,
    problems,
  };
}

/** The msw route of an operation under `baseUrl`: path parameters as `:name`. */
export function routeOf(baseUrl: string, operation: Operation): string {
  return `${baseUrl}${operation.path.replace(/\{(\w+)\}/g, ':$1')}`;
}

/**
 * msw handlers for every operation of the spec under `baseUrl`: each checks its request
 * against the spec (query parameters it declares, a JSON body valid against its schema), records
 * it in `calls`, and answers with the spec's status and the example of its response schema.
 * `overrides` answer instead for some operations (after the request is recorded).
 */
export function specHandlers(
  baseUrl: string,
  calls: ReceivedCall[],
  overrides: Record<string, (request: Request) => Response | Promise<Response>> = {},
): RequestHandler[] {
  return operations.map((operation) => {
    const method = operation.method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete';
    return http[method](routeOf(baseUrl, operation), async ({ request }) => {
      calls.push(await checkRequest(operation, request));
      const override = overrides[operation.operationId];
      if (override) return override(request);
      if (operation.status === 204) return new HttpResponse(null, { status: 204 });
      const example = operation.responseSchema ? exampleOf(operation.responseSchema) : {};
      return HttpResponse.json(example as Record<string, unknown>, {
        status: operation.status,
        headers: { 'x-request-id': `req_${operation.operationId}` },
      });
    });
  });
}
