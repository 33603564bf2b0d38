import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/** Path of the OpenAPI contract. */
export const specPath = resolve(import.meta.dirname, '../../../openapi/prism.yaml');

interface SpecDocument {
  components: { schemas: Record<string, { examples?: unknown[] }> };
}

/** The parsed OpenAPI contract. */
export const spec = parse(readFileSync(specPath, 'utf8')) as SpecDocument;

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false });
addFormats.default(ajv);
// OpenAPI documents are not JSON Schemas, but their component schemas are (OAS 3.1 uses
// JSON Schema 2020-12): register the components under an id so `#/components/...` refs resolve.
ajv.addKeyword('components');
ajv.addSchema({ $id: 'prism.yaml', components: spec.components });

/** Validates `value` against the spec's component `name`; returns readable errors, empty when valid. */
export function validateWithSpec(name: string, value: unknown): string[] {
  const validate = ajv.getSchema(`prism.yaml#/components/schemas/${name}`);
  if (!validate) throw new Error(`no component schema ${name} in the spec`);
  return validate(value) ? [] : (validate.errors ?? []).map(describeAjvError);
}

function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath || '(root)';
  const allowed =
    'allowedValues' in error.params ? ` (${error.params.allowedValues.join(', ')})` : '';
  return `${where} ${error.message}${allowed}`;
}
