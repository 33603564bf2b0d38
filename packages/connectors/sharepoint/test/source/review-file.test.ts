import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ExtractionError, Prism, type PrismClient } from '@prism/sdk';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphFailure } from '../../src/graph/graph-errors.js';
import { encodeSharingUrl } from '../../src/sharing-url.js';
import { SharePointFileError } from '../../src/source/file-error.js';
import { reviewSharePointFile } from '../../src/source/review-file.js';
import {
  DRIVE_ID,
  driveItem,
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

let prism: PrismClient;
beforeEach(() => {
  prism = Prism.local();
});
afterEach(() => prism.close());

const SHARING_URL =
  'https://contoso.sharepoint.com/:w:/s/Legal/EVtum8cRw4dKvUwEmRGo5wUBa2wPpW8DgFl2Y5XJwEeA7w?e=4Ntd2s';

/** Where SharePoint sends the download: a pre-authenticated URL on the tenant's host. */
const DOWNLOAD_URL =
  'https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx?UniqueId=1c9a6e5b-5b6f-4a3e-9f2b-7d8c1e0a4b21&Translate=false&tempauth=v1.eyJzaXRlaWQiOiJ0ZXN0In0.sig&ApiVersion=2.0';

const DOCX_BYTES = readFileSync(
  resolve(import.meta.dirname, '../../../../../examples/documents/injection-moulding-defect.docx'),
);

/**
 * Serves the link's driveItem and the file's content (Graph's 302 to the download URL, then the
 * bytes), counting every request for the content.
 */
function serveSharedFile(item: Record<string, unknown>): { contentRequests: () => number } {
  let contentRequests = 0;
  server.use(
    http.get(`${GRAPH}/shares/:shareId/driveItem`, ({ params }) => {
      expect(params.shareId).toBe(encodeSharingUrl(SHARING_URL));
      return HttpResponse.json(item);
    }),
    http.get(`${GRAPH}/drives/:driveId/items/:itemId/content`, () => {
      contentRequests += 1;
      return new HttpResponse(null, { status: 302, headers: { Location: DOWNLOAD_URL } });
    }),
    http.get('https://contoso.sharepoint.com/sites/Legal/_layouts/15/download.aspx', () => {
      contentRequests += 1;
      return new HttpResponse(DOCX_BYTES, {
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Length': String(DOCX_BYTES.byteLength),
        },
      });
    }),
  );
  return { contentRequests: () => contentRequests };
}

describe('reviewSharePointFile', () => {
  it('reviews a file by its sharing link, the document naming its source', async () => {
    const served = serveSharedFile(
      driveItem({ name: 'Injection moulding defect.docx', size: DOCX_BYTES.byteLength }),
    );

    const { file, document, review, findings, framework } = await reviewSharePointFile(
      prism,
      testClient(),
      { sharingUrl: SHARING_URL },
      { metadata: { matter: 'M-2024-117' } },
    );

    expect(served.contentRequests()).toBe(2);
    expect(file).toMatchObject({
      driveId: DRIVE_ID,
      itemId: ITEM_ID,
      name: 'Injection moulding defect.docx',
    });
    expect(review.status).toBe('succeeded');
    expect(review.documentId).toBe(document.id);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((finding) => finding.reviewId === review.id)).toBe(true);
    expect(framework.id).toBe(review.framework.id);
    expect(document.filename).toBe('Injection moulding defect.docx');
    expect(document.sizeBytes).toBe(DOCX_BYTES.byteLength);
    expect(document.metadata).toEqual({
      matter: 'M-2024-117',
      sourceKind: 'sharepoint',
      sourceRef: `${DRIVE_ID}/${ITEM_ID}`,
      sourceUrl: file.webUrl,
    });
    expect(await prism.documents.get(document.id)).toMatchObject({ metadata: document.metadata });
  });

  it.each([
    {
      what: 'a spreadsheet',
      item: {
        name: 'Budget 2024.xlsx',
        file: { mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' },
      },
      options: {},
      code: 'unsupported_format',
      kind: ExtractionError,
    },
    {
      what: 'a legacy Word document',
      item: { name: 'Old contract.doc', file: { mimeType: 'application/msword' } },
      options: {},
      code: 'legacy_format',
      kind: ExtractionError,
    },
    {
      what: 'a file over maxBytes',
      item: { size: 48213 },
      options: { maxBytes: 32 * 1024 },
      code: 'file_too_large',
      kind: SharePointFileError,
    },
  ])('refuses $what without downloading it', async ({ item, options, code, kind }) => {
    const served = serveSharedFile(driveItem(item));

    const error = await rejection(
      reviewSharePointFile(prism, testClient(), { sharingUrl: SHARING_URL }, options),
    );

    expect(error).toMatchObject({ code, hint: expect.any(String) });
    expect(error).toBeInstanceOf(kind);
    expect(served.contentRequests()).toBe(0);
    expect(await prism.documents.list().toArray()).toEqual([]);
  });

  it('fails with item_not_found for a link that leads nowhere', async () => {
    server.use(
      http.get(`${GRAPH}/shares/:shareId/driveItem`, () =>
        graphError(
          404,
          'itemNotFound',
          'The sharing link no longer exists, or you do not have permission to access it.',
        ),
      ),
    );

    const error = await rejection(
      reviewSharePointFile(prism, testClient(), { sharingUrl: SHARING_URL }),
    );

    expect(error).toBeInstanceOf(GraphFailure);
    expect(error).toMatchObject({ code: 'item_not_found', status: 404, graphCode: 'itemNotFound' });
    expect(await prism.documents.list().toArray()).toEqual([]);
  });
});
