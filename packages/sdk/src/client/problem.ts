import { type Problem, ProblemSchema } from '../schema/common.js';
import { reasonPhrase } from './errors.js';

const LenientProblemSchema = ProblemSchema.partial();

/**
 * The RFC 9457 problem in an error response's body, or `undefined` when the body is not one
 * (an empty body, a proxy's HTML page). A body with a `code` but missing other members (a server
 * of another version) still counts: the missing ones are filled from the response.
 */
export function parseProblem(
  text: string,
  status: number,
  requestId: string | undefined,
): Problem | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const strict = ProblemSchema.safeParse(json);
  if (strict.success) return strict.data;
  const lenient = LenientProblemSchema.safeParse(json);
  if (!lenient.success || lenient.data.code === undefined) return undefined;
  return {
    ...lenient.data,
    type: lenient.data.type ?? 'about:blank',
    title: lenient.data.title ?? reasonPhrase(status),
    status: lenient.data.status ?? status,
    code: lenient.data.code,
    requestId: lenient.data.requestId ?? requestId ?? '',
  };
}
