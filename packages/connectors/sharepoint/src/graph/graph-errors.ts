import { GraphClientError, GraphError } from '@microsoft/microsoft-graph-client';
import { PrismError } from '@prism/sdk';

/** The stable codes of a Microsoft Graph request that failed. */
export type GraphFailureCode =
  | 'item_not_found'
  | 'access_denied'
  | 'item_locked'
  | 'graph_unavailable'
  | 'insufficient_storage'
  | 'graph_request_failed';

/** What Graph said about a failed request, kept on the {@link GraphFailure}. */
export interface GraphFailureDetails {
  /** The HTTP status; null when no response came (network failure). */
  status: number | null;
  /** Graph's own error code, e.g. `itemNotFound`, when the response had one. */
  graphCode: string | null;
  /** Graph's `request-id`, which Microsoft support asks for. */
  requestId: string | null;
  /** How long Graph asked to wait before trying again (`Retry-After`), when it said. */
  retryAfterMs: number | null;
}

/**
 * A Microsoft Graph request that failed, with a stable `code` and Graph's own details. The
 * message carries Graph's error code and request-id, never a token or a download URL.
 */
export class GraphFailure extends PrismError {
  declare readonly code: GraphFailureCode;
  /** The HTTP status; null when no response came. */
  readonly status: number | null;
  /** Graph's own error code, e.g. `accessDenied`. */
  readonly graphCode: string | null;
  /** Graph's `request-id` for the failed request. */
  readonly requestId: string | null;
  /** The wait Graph asked for before another attempt, in milliseconds. */
  readonly retryAfterMs: number | null;

  constructor(
    code: GraphFailureCode,
    message: string,
    details: GraphFailureDetails,
    options: { hint: string; cause: unknown },
  ) {
    super(code, message, options);
    this.status = details.status;
    this.graphCode = details.graphCode;
    this.requestId = details.requestId;
    this.retryAfterMs = details.retryAfterMs;
  }
}

const HINTS: Record<GraphFailureCode, string> = {
  item_not_found:
    'The item was deleted or moved, or the link no longer points to it: find it again in SharePoint or OneDrive.',
  access_denied:
    'Reconnect the SharePoint connection to renew its authorisation; if that does not help, the app lacks the Microsoft Graph permission (e.g. Files.Read.All or Sites.Read.All) or access to this site.',
  item_locked: 'The item is locked (checked out, or open for exclusive editing): try again later.',
  graph_unavailable:
    'Microsoft Graph is throttling requests or is unavailable even after retries: try again in a few minutes.',
  insufficient_storage:
    'The drive has reached its storage quota: free some space or raise the quota, then try again.',
  graph_request_failed:
    'If it keeps failing, report it to the administrator with the request-id in the message.',
};

/**
 * Maps a failure of a Microsoft Graph call to a Prism error: 404 and 410 → `item_not_found`,
 * 401 and 403 → `access_denied`, 423 → `item_locked`, 429, 502, 503, 504 and 509 (what is
 * left after the client's retries) and no response at all → `graph_unavailable`, 507 →
 * `insufficient_storage`, anything else → `graph_request_failed`. A {@link PrismError} is
 * returned unchanged, also one the access token source threw (e.g. `connection_not_active`).
 *
 * @param error what the Graph client threw (a `GraphError`, usually).
 * @param action what was being done, for the message, e.g. `Reading item 01ABC`.
 */
export function graphFailure(error: unknown, action = 'A Microsoft Graph request'): PrismError {
  if (error instanceof PrismError) return error;
  if (error instanceof GraphClientError && error.customError instanceof PrismError) {
    return error.customError;
  }
  if (!(error instanceof GraphError) || error.statusCode <= 0) {
    const reason = error instanceof Error ? error.message : String(error);
    return new GraphFailure(
      'graph_unavailable',
      `${action} failed: Microsoft Graph could not be reached (${reason}).`,
      { status: null, graphCode: null, requestId: null, retryAfterMs: null },
      {
        hint: 'Check the network connection to graph.microsoft.com, then try again.',
        cause: error,
      },
    );
  }
  const status = error.statusCode;
  const code = failureCode(status);
  const details: GraphFailureDetails = {
    status,
    graphCode: error.code || null,
    requestId: error.requestId || error.headers?.get('request-id') || null,
    retryAfterMs: retryAfterMs(error.headers?.get('Retry-After') ?? null),
  };
  return new GraphFailure(code, describe(action, error.message, details), details, {
    hint: HINTS[code],
    cause: error,
  });
}

/**
 * Turns an unsuccessful raw Graph response (a request made with `ResponseType.RAW`) into the
 * same Prism error {@link graphFailure} gives: Graph's JSON error body is read for its code,
 * message and request-id; any other body is discarded unread.
 */
export async function graphFailureFromResponse(
  response: Response,
  action?: string,
): Promise<PrismError> {
  const error = new GraphError(response.status, response.statusText);
  error.headers = response.headers;
  error.requestId = response.headers.get('request-id');
  const body = await readErrorBody(response);
  if (body !== null) {
    error.code = body.code ?? null;
    error.message = body.message ?? error.message;
    error.requestId = body.innerError?.['request-id'] ?? error.requestId;
    error.body = JSON.stringify(body);
  }
  return graphFailure(error, action);
}

/** The `error` object of Graph's JSON error body. */
interface GraphErrorBody {
  code?: string;
  message?: string;
  innerError?: { 'request-id'?: string };
}

async function readErrorBody(response: Response): Promise<GraphErrorBody | null> {
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) {
    // Not awaited: the refusal need not wait for the transfer to wind down.
    response.body?.cancel().catch(() => undefined);
    return null;
  }
  try {
    const parsed: unknown = await response.json();
    if (typeof parsed !== 'object' || parsed === null || !('error' in parsed)) return null;
    const inner = parsed.error;
    return typeof inner === 'object' && inner !== null ? (inner as GraphErrorBody) : null;
  } catch {
    return null;
  }
}

function failureCode(status: number): GraphFailureCode {
  switch (status) {
    case 404:
    case 410:
      return 'item_not_found';
    case 401:
    case 403:
      return 'access_denied';
    case 423:
      return 'item_locked';
    case 429:
    case 502:
    case 503:
    case 504:
    case 509:
      return 'graph_unavailable';
    case 507:
      return 'insufficient_storage';
    default:
      return 'graph_request_failed';
  }
}

function describe(action: string, message: string, details: GraphFailureDetails): string {
  const said = [String(details.status), details.graphCode].filter(Boolean).join(' ');
  const text = message ? `: ${message}` : '';
  const id = details.requestId ? ` (request-id ${details.requestId})` : '';
  return `${action} failed: Microsoft Graph answered ${said}${text}${id}`;
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
function retryAfterMs(header: string | null): number | null {
  if (header === null || header.trim() === '') return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}
