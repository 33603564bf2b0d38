import { graphFailure } from '../graph/graph-errors.js';

/**
 * What to throw for a Graph call that failed: the abort reason when `signal` stopped it,
 * otherwise the Prism error {@link graphFailure} maps the failure to.
 */
export function sinkFailure(
  error: unknown,
  signal: AbortSignal | undefined,
  action: string,
): unknown {
  if (signal?.aborted) return signal.reason;
  return graphFailure(error, action);
}
