import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

/** An Ajv for the OpenAPI document's schemas (JSON Schema 2020-12 keywords it does not check are allowed). */
function openapiAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ coerceTypes, allErrors: true, removeAdditional: false, strict: false });
  addFormats.default(ajv);
  return ajv;
}

const bodies = openapiAjv(false);
const parameters = openapiAjv(true);

/**
 * Request validation by the OpenAPI document's schemas: a body exactly as sent (no type
 * coercion, unknown fields refused where the document says so), and path, query and header
 * parameters, which arrive as text, converted to the types the document gives them.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? bodies : parameters).compile(schema as object) as ValidateFunction;
