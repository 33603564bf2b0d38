import { GraphError } from '@microsoft/microsoft-graph-client';
import { PrismError } from '@prism/sdk';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphClient } from '../src/graph/graph-client.js';
import { GraphFailure, graphFailure, graphFailureFromResponse } from '../src/graph/graph-errors.js';
import { getFile } from '../src/source/get-file.js';

const network = setupServer();
beforeAll(() => network.listen({ onUnhandledRequest: 'error' }));
afterAll(() => network.close());

/** A GraphError as the Graph client builds it from Graph's JSON error body. */
function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphError {
  const error = new GraphError(status, message);
  error.code = code;
  error.requestId = 'c8b7a6d5-e4f3-4a2b-9c1d-0e9f8a7b6c5d';
  error.headers = new Headers(headers);
  return error;
}

describe('graphFailure', () => {
  it.each([
    [404, 'itemNotFound', 'item_not_found'],
    [410, 'resourceGone', 'item_not_found'],
    [401, 'unauthenticated', 'access_denied'],
    [403, 'accessDenied', 'access_denied'],
    [423, 'resourceLocked', 'item_locked'],
    [429, 'activityLimitReached', 'graph_unavailable'],
    [503, 'serviceNotAvailable', 'graph_unavailable'],
    [504, 'gatewayTimeout', 'graph_unavailable'],
    [507, 'quotaLimitReached', 'insufficient_storage'],
    [400, 'invalidRequest', 'graph_request_failed'],
    [500, 'generalException', 'graph_request_failed'],
  ])('maps %i %s to %s, with a hint', (status, code, expected) => {
    const failure = graphFailure(graphError(status, code, 'Graph said so.'));

    expect(failure).toBeInstanceOf(GraphFailure);
    expect(failure).toMatchObject({
      code: expected,
      status,
      graphCode: code,
      hint: expect.any(String),
    });
  });

  it("keeps Graph's code, message and request-id in the message", () => {
    const failure = graphFailure(
      graphError(404, 'itemNotFound', 'The resource could not be found.'),
      'Reading item 01ABC',
    );

    expect(failure.message).toBe(
      'Reading item 01ABC failed: Microsoft Graph answered 404 itemNotFound: The resource could not be found. (request-id c8b7a6d5-e4f3-4a2b-9c1d-0e9f8a7b6c5d)',
    );
  });

  it('hints at reauthorising or the missing permission for access_denied', () => {
    expect(
      graphFailure(graphError(401, 'InvalidAuthenticationToken', 'Access token has expired.')).hint,
    ).toMatch(/reconnect.*permission/i);
  });

  it('keeps the wait Graph asked for, in seconds or as a date', () => {
    const inSeconds = graphFailure(
      graphError(429, 'activityLimitReached', 'Throttled', { 'Retry-After': '120' }),
    );
    expect(inSeconds).toMatchObject({ retryAfterMs: 120_000 });

    const past = graphFailure(
      graphError(503, 'serviceNotAvailable', 'Busy', {
        'Retry-After': 'Wed, 21 Oct 2015 07:28:00 GMT',
      }),
    );
    expect(past).toMatchObject({ retryAfterMs: 0 });
  });

  it('reports a request that got no response as graph_unavailable', () => {
    const failure = graphFailure(new TypeError('fetch failed'), 'Reading item 01ABC');

    expect(failure).toMatchObject({ code: 'graph_unavailable', status: null });
    expect(failure.message).toContain('could not be reached (fetch failed)');
  });

  it('passes a Prism error through unchanged', () => {
    const original = new PrismError('not_a_file', 'A folder.');

    expect(graphFailure(original)).toBe(original);
  });
});

describe('graphFailureFromResponse', () => {
  it("reads Graph's JSON error body", async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          code: 'itemNotFound',
          message: 'The resource could not be found.',
          innerError: {
            date: '2024-05-02T09:15:02',
            'request-id': '0d4e2b6a-9c8f-4e1d-b3a5-7f6e5d4c3b2a',
            'client-request-id': '0d4e2b6a-9c8f-4e1d-b3a5-7f6e5d4c3b2a',
          },
        },
      }),
      { status: 404, statusText: 'Not Found', headers: { 'Content-Type': 'application/json' } },
    );

    const failure = await graphFailureFromResponse(response, 'Downloading MSA.docx');

    expect(failure).toMatchObject({
      code: 'item_not_found',
      graphCode: 'itemNotFound',
      requestId: '0d4e2b6a-9c8f-4e1d-b3a5-7f6e5d4c3b2a',
    });
    expect(failure.message).toContain('The resource could not be found.');
  });

  it('goes by the status alone when the body is not JSON, without echoing it', async () => {
    const response = new Response('<html><body>tempauth=SECRET expired</body></html>', {
      status: 403,
      statusText: 'Forbidden',
      headers: {
        'Content-Type': 'text/html',
        'request-id': '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
      },
    });

    const failure = await graphFailureFromResponse(response);

    expect(failure).toMatchObject({
      code: 'access_denied',
      graphCode: null,
      requestId: '7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d',
    });
    expect(failure.message).not.toContain('SECRET');
  });
});

describe('a failure of the access token source', () => {
  it('reaches the caller as it was thrown, not as Graph being unreachable', async () => {
    const refused = new PrismError('connection_not_active', 'Connection con_1 is needs_reauth.', {
      hint: 'Connect the account again.',
    });
    const client = createGraphClient({
      accessToken: async () => {
        throw refused;
      },
      maxRetries: 0,
    });
    let requests = 0;
    const counting = (event: { request: Request }) => {
      if (event.request.url.startsWith('https://graph.microsoft.com/')) requests += 1;
    };
    network.events.on('request:start', counting);

    const failure = await getFile(client, { driveId: 'b!drive', itemId: '01ITEM' }).catch(
      (error: unknown) => error,
    );

    network.events.removeListener('request:start', counting);
    expect(failure).toBe(refused);
    expect(requests).toBe(0);
  });
});
