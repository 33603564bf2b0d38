/** The answer to Graph's endpoint validation request. */
export interface ValidationAnswer {
  /** Always 200. */
  status: 200;
  /** Always `text/plain`: Graph rejects any other content type. */
  contentType: 'text/plain';
  /** The decoded validation token, exactly as Graph sent it. */
  body: string;
}

/** A request's query: its raw query string (or URL), parsed parameters, or `URLSearchParams`. */
export type NotificationQuery =
  | string
  | URLSearchParams
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The answer to Graph's validation handshake, or `undefined` when the request is not one. When
 * Prism creates a subscription, Graph posts `?validationToken=...` to the notification (and
 * lifecycle) URL and expects the URL-decoded token back as `text/plain` with status 200 within 10
 * seconds; answer at once, before reading any body.
 *
 * A raw query string or URL is URL-decoded here; parsed parameters (`Record`, `URLSearchParams`)
 * are taken as already decoded.
 */
export function validationResponse(query: NotificationQuery): ValidationAnswer | undefined {
  const token = validationToken(query);
  if (token === undefined || token.length === 0) return undefined;
  return { status: 200, contentType: 'text/plain', body: token };
}

function validationToken(query: NotificationQuery): string | undefined {
  if (typeof query === 'string') {
    const start = query.indexOf('?');
    return (
      new URLSearchParams(start === -1 ? query : query.slice(start + 1)).get('validationToken') ??
      undefined
    );
  }
  if (query instanceof URLSearchParams) return query.get('validationToken') ?? undefined;
  const value = query.validationToken;
  return typeof value === 'string' ? value : value?.[0];
}
