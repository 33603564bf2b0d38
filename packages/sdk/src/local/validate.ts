import type { z } from 'zod';
import type { FieldError } from '../schema/common.js';
import { type Operation, problem } from './problems.js';

/**
 * `value` parsed by `schema`, or the 422 `validation_failed` a server would answer, listing each
 * invalid field by JSON Pointer.
 */
export function parseInput<S extends z.ZodType>(
  operation: Operation,
  schema: S,
  value: unknown,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = parsed.error.issues.map((issue) => ({
    path: issue.path.length === 0 ? '' : `/${issue.path.map(String).join('/')}`,
    message: issue.message,
  }));
  const count = errors.length === 1 ? '1 invalid field' : `${errors.length} invalid fields`;
  const first = errors[0];
  return fail(
    operation,
    `The request has ${count}${first ? `: ${first.path || 'body'} ${first.message}` : ''}.`,
    errors,
  );
}

function fail(operation: Operation, detail: string, errors: FieldError[]): never {
  throw problem(
    operation,
    422,
    'validation_failed',
    detail,
    'Fix the fields listed in `errors` (`fieldErrors` of the SDK error) and send it again.',
    errors,
  );
}

/** The page size of a list: 1-100, default 20, as the API takes it; else a 422. */
export function pageLimit(operation: Operation, limit: number | undefined): number {
  if (limit === undefined) return 20;
  if (Number.isInteger(limit) && limit >= 1 && limit <= 100) return limit;
  return fail(operation, `limit must be a whole number from 1 to 100, not ${limit}.`, [
    { path: '/limit', message: 'must be a whole number from 1 to 100' },
  ]);
}
