import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { downloadFile } from '../../src/source/download-file.js';
import { SharePointFileError } from '../../src/source/file-error.js';
import type { SharePointFile } from '../../src/source/sharepoint-file.js';
import {
  ACCESS_TOKEN,
  DRIVE_ID,
  GRAPH,
  graphError,
  ITEM_ID,
  rejection,
  testClient,
} from './graph-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const CONTENT = `${GRAPH}/drives/:driveId/items/:itemId/content`;

/** Where SharePoint sends the download: a pre-authenticated URL on the tenant's host. */
const DOWNLOAD_URL =
  'https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx?UniqueId=1c9a6e5b-5b6f-4a3e-9f2b-7d8c1e0a4b21&Translate=false&tempauth=v1.eyJzaXRlaWQiOiJ0ZXN0In0.sig&ApiVersion=2.0';

const file: Pick<SharePointFile, 'driveId' | 'itemId' | 'name' | 'size'> = {
  driveId: DRIVE_ID,
  itemId: ITEM_ID,
  name: 'Master Services Agreement.docx',
  size: 11,
};

/** Graph's answer to `/content`: 302 Found to the pre-authenticated download URL. */
function redirectToDownload(): HttpResponse<null> {
  return new HttpResponse(null, { status: 302, headers: { Location: DOWNLOAD_URL } });
}

/** A body of `chunks` chunks of `chunkBytes`, produced only as it is read; counts what was read. */
function meteredBody(
  chunks: number,
  chunkBytes: number,
): { body: ReadableStream<Uint8Array>; pulled: () => number } {
  let pulled = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (pulled === chunks) {
          controller.close();
          return;
        }
        pulled += 1;
        controller.enqueue(new Uint8Array(chunkBytes).fill(0x41));
      },
    },
    { highWaterMark: 0 },
  );
  return { body, pulled: () => pulled };
}

describe('downloadFile', () => {
  it('follows the 302 to the download host without sending the Authorization header there', async () => {
    const seen: { graph: string | null; download: string | null; downloads: number } = {
      graph: null,
      download: null,
      downloads: 0,
    };
    server.use(
      http.get(CONTENT, ({ request, params }) => {
        expect(params).toEqual({ driveId: DRIVE_ID, itemId: ITEM_ID });
        seen.graph = request.headers.get('Authorization');
        return redirectToDownload();
      }),
      http.get(
        'https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx',
        ({ request }) => {
          seen.downloads += 1;
          seen.download = request.headers.get('Authorization');
          expect(new URL(request.url).searchParams.get('tempauth')).toBe(
            'v1.eyJzaXRlaWQiOiJ0ZXN0In0.sig',
          );
          return new HttpResponse('hello world', {
            headers: { 'Content-Type': 'application/octet-stream', 'Content-Length': '11' },
          });
        },
      ),
    );

    const bytes = await downloadFile(testClient(), file);

    expect(new TextDecoder().decode(bytes)).toBe('hello world');
    expect(seen.graph).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(seen.downloads).toBe(1);
    expect(seen.download).toBeNull();
  });

  it('stops reading a body that passes the limit, without reading the rest', async () => {
    const metered = meteredBody(1000, 64 * 1024);
    server.use(
      http.get(CONTENT, redirectToDownload),
      http.get(
        'https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx',
        () =>
          new HttpResponse(metered.body, {
            headers: { 'Content-Type': 'application/octet-stream' },
          }),
      ),
    );

    // The details said 11 bytes; the content turned out far larger (it changed meanwhile).
    const error = await rejection(downloadFile(testClient(), file, { maxBytes: 1024 * 1024 }));

    expect(error).toBeInstanceOf(SharePointFileError);
    expect(error).toMatchObject({ code: 'file_too_large', hint: expect.any(String) });
    expect(metered.pulled()).toBeGreaterThan(16);
    expect(metered.pulled()).toBeLessThan(40);
  });

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const metered = meteredBody(100, 1024);
    server.use(
      http.get(CONTENT, redirectToDownload),
      http.get(
        'https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx',
        () =>
          new HttpResponse(metered.body, {
            headers: {
              'Content-Type': 'application/octet-stream',
              'Content-Length': String(100 * 1024),
            },
          }),
      ),
    );

    const error = await rejection(downloadFile(testClient(), file, { maxBytes: 10 * 1024 }));

    expect(error).toMatchObject({ code: 'file_too_large' });
    expect(metered.pulled()).toBeLessThan(10);
  });

  it('refuses a file its details already show too large, without any request', async () => {
    let requests = 0;
    server.use(
      http.get(CONTENT, () => {
        requests += 1;
        return redirectToDownload();
      }),
    );

    const error = await rejection(downloadFile(testClient(), { ...file, size: 30 * 1024 * 1024 }));

    expect(error).toMatchObject({ code: 'file_too_large' });
    expect((error as Error).message).toContain('30.0 MB');
    expect(requests).toBe(0);
  });

  it('reports a file deleted or moved since it was seen as item_not_found', async () => {
    server.use(
      http.get(CONTENT, () =>
        graphError(
          404,
          'itemNotFound',
          'The resource could not be found.',
          '2b1d4c6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e',
        ),
      ),
    );

    const error = await rejection(downloadFile(testClient(), file));

    expect(error).toMatchObject({
      code: 'item_not_found',
      status: 404,
      graphCode: 'itemNotFound',
      requestId: '2b1d4c6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e',
      hint: expect.any(String),
    });
    expect((error as Error).message).toContain('itemNotFound');
    expect((error as Error).message).toContain('2b1d4c6e-8f0a-4b2c-9d4e-6f8a0b2c4d6e');
  });

  it('reports 410 Gone as item_not_found', async () => {
    server.use(http.get(CONTENT, () => graphError(410, 'resourceGone', 'The resource is gone.')));

    const error = await rejection(downloadFile(testClient(), file));

    expect(error).toMatchObject({ code: 'item_not_found', status: 410 });
  });

  it('waits out a 429 with Retry-After and then downloads', async () => {
    let attempts = 0;
    server.use(
      http.get(CONTENT, () => {
        attempts += 1;
        if (attempts === 1) {
          return graphError(
            429,
            'activityLimitReached',
            'The request has been throttled',
            undefined,
            {
              'Retry-After': '0',
            },
          );
        }
        return redirectToDownload();
      }),
      http.get('https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx', () =>
        HttpResponse.text('hello world'),
      ),
    );

    const bytes = await downloadFile(testClient(), file);

    expect(new TextDecoder().decode(bytes)).toBe('hello world');
    expect(attempts).toBe(2);
  });

  it('reports graph_unavailable once the retries are spent, with the wait Graph asked for', async () => {
    let attempts = 0;
    server.use(
      http.get(CONTENT, () => {
        attempts += 1;
        return graphError(
          429,
          'activityLimitReached',
          'The request has been throttled',
          undefined,
          {
            'Retry-After': '0',
          },
        );
      }),
    );

    const error = await rejection(downloadFile(testClient({ maxRetries: 2 }), file));

    expect(attempts).toBe(3);
    expect(error).toMatchObject({
      code: 'graph_unavailable',
      status: 429,
      graphCode: 'activityLimitReached',
      retryAfterMs: 0,
    });
  });

  it('reports 403 as access_denied with what to do', async () => {
    server.use(http.get(CONTENT, () => graphError(403, 'accessDenied', 'Access denied')));

    const error = await rejection(downloadFile(testClient(), file));

    expect(error).toMatchObject({
      code: 'access_denied',
      hint: expect.stringMatching(/reconnect/i),
    });
    expect((error as Error).message).not.toContain(ACCESS_TOKEN);
  });

  it('throws the abort reason when the signal aborts', async () => {
    const controller = new AbortController();
    controller.abort(new Error('review canceled'));
    server.use(http.get(CONTENT, redirectToDownload));

    const error = await rejection(downloadFile(testClient(), file, { signal: controller.signal }));

    expect(error).toMatchObject({ message: 'review canceled' });
  });
});
