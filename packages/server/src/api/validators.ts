import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { OPENAPI_DOCUMENT } from './operations.js';
import { RequestError } from './problems.js';

/** An Ajv for the OpenAPI document's schemas (JSON Schema 2020-12 keywords it does not check are allowed). */
function openapiAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, allErrors: true, removeAdditional: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

const bodies = openapiAjv(false);
const parameters = openapiAjv(true);

interface ObjectSchema {
  properties?: Record<string, unknown>;
  required?: string[];
}

/**
 * A headers schema with its header names in lower case, as Node.js gives them. (Fastify does
 * this itself only for its own compiler, so `Idempotency-Key` would otherwise never be checked.)
 */
function lowerCaseHeaderNames(schema: ObjectSchema): ObjectSchema {
  return {
    ...schema,
    ...(schema.properties && {
      properties: Object.fromEntries(
        Object.entries(schema.properties).map(([name, value]) => [name.toLowerCase(), value]),
      ),
    }),
    ...(schema.required && { required: schema.required.map((name) => name.toLowerCase()) }),
  };
}

/**
 * Request validation by the OpenAPI document's schemas: a body exactly as sent (no type
 * coercion, unknown fields refused where the document says so), and path, query and header
 * parameters, which arrive as text, converted to the types the document gives them.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) => {
  if (httpPart === 'body') return bodies.compile(schema as object) as ValidateFunction;
  const checked = httpPart === 'headers' ? lowerCaseHeaderNames(schema as ObjectSchema) : schema;
  return parameters.compile(checked as object) as ValidateFunction;
};

/** The media types an operation's body may have, and whether it must have one. */
interface RequestBodyRule {
  mediaTypes: readonly string[];
  required: boolean;
}

type Operations = Record<
  string,
  { operationId?: string; requestBody?: { required?: boolean; content?: object } }
>;

/** The request body rule of every operation that takes a body, by `operationId`. */
const BODY_RULES: ReadonlyMap<string, RequestBodyRule> = new Map(
  Object.values(OPENAPI_DOCUMENT.paths as Record<string, Operations>).flatMap((item) =>
    Object.values(item).flatMap((operation) =>
      operation.operationId && operation.requestBody?.content
        ? [
            [
              operation.operationId,
              {
                mediaTypes: Object.keys(operation.requestBody.content),
                required: operation.requestBody.required === true,
              },
            ] as const,
          ]
        : [],
    ),
  ),
);

/**
 * Checks what schema validation leaves out: Fastify validates a body only when its media type
 * has a schema, and not at all when there is none. So a body of a media type the operation does
 * not take (`text/plain`, a form sent to a JSON operation) is a 415, and a required body that is
 * missing a 422.
 *
 * @throws {RequestError} `unsupported_media_type` (415) or `validation_failed` (422).
 */
export function checkRequestBody(operationId: string, request: FastifyRequest): void {
  const rule = BODY_RULES.get(operationId);
  if (!rule) return;
  const mediaType = request.mediaType?.toLowerCase();
  const accepted = rule.mediaTypes.join(' or ');
  if (mediaType === undefined) {
    if (!rule.required) return;
    throw new RequestError(422, 'validation_failed', `The request has no body; send ${accepted}.`, {
      hint: 'Send the body the API reference gives for this operation, with its Content-Type.',
      errors: [{ path: '', message: 'is required' }],
    });
  }
  if (!rule.mediaTypes.includes(mediaType)) {
    throw new RequestError(
      415,
      'unsupported_media_type',
      `The body is ${mediaType}; this operation takes ${accepted}.`,
      { hint: `Send the body as ${accepted}, with that Content-Type.` },
    );
  }
}
