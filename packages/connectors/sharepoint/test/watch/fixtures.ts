import type { Client } from '@microsoft/microsoft-graph-client';
import { HttpResponse } from 'msw';
import { createGraphClient, createGraphLimiter } from '../../src/graph/graph-client.js';

/** Graph's v1.0 endpoint, as the client calls it. */
export const GRAPH = 'https://graph.microsoft.com/v1.0';

export const ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6IndhdGNoLXRlc3QifQ.payload.signature';

/** A SharePoint document library's drive id, as Graph spells them. */
export const DRIVE_ID = 'b!kYBA-yN9hUKKbNZi_Hj1DFdtKy4f6A5NnAnw4Yn0umn28Jjaii6oTKrmbdg7rCsQ';
export const TENANT_ID = '84bd8158-6d4d-4958-8b9f-9d6445542f95';
export const SUBSCRIPTION_ID = '7f105c7d-2dc5-4530-97cd-4e7ae6534c07';
export const REPORTS_FOLDER_ID = '01BYE5RZ4GWJMYA5IL6FBLPGK2ZBYUXQQE';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A Graph client as the connector builds it, with retries that wait no longer than Graph asks. */
export function testClient(): Client {
  return createGraphClient({
    accessToken: async () => ACCESS_TOKEN,
    limiter: createGraphLimiter(1000, 10),
    maxRetries: 2,
    retryDelaySeconds: 0,
  });
}

/** A file in a SharePoint library as a delta page lists it (`$select`ed properties). */
export function deltaFile(
  id: string,
  name: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.driveItem',
    id,
    name,
    cTag: `"c:{${id}},2"`,
    eTag: `"{${id}},4"`,
    size: 48213,
    webUrl: `https://contoso.sharepoint.com/sites/Legal/Shared%20Documents/Reports/${encodeURIComponent(name)}`,
    lastModifiedDateTime: '2024-05-02T09:14:31Z',
    parentReference: {
      driveType: 'documentLibrary',
      driveId: DRIVE_ID,
      id: REPORTS_FOLDER_ID,
      name: 'Reports',
      path: `/drives/${DRIVE_ID}/root:/Reports`,
    },
    file: { mimeType: DOCX, hashes: { quickXorHash: 'jfc4GZxDNQzK2n2bsiY5iiQvC5M=' } },
    ...overrides,
  };
}

/** A folder as a delta page lists it. */
export function deltaFolder(id: string, name: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.driveItem',
    id,
    name,
    eTag: `"{${id}},1"`,
    size: 0,
    parentReference: {
      driveType: 'documentLibrary',
      driveId: DRIVE_ID,
      path: `/drives/${DRIVE_ID}/root:`,
    },
    folder: { childCount: 3 },
  };
}

/** A deleted item as SharePoint's delta lists it: an id, the deleted facet, no name or cTag. */
export function deltaDeleted(id: string): Record<string, unknown> {
  return {
    '@odata.type': '#microsoft.graph.driveItem',
    id,
    parentReference: { driveType: 'documentLibrary', driveId: DRIVE_ID, id: REPORTS_FOLDER_ID },
    deleted: { state: 'deleted' },
  };
}

/** Graph's JSON error response, with its `request-id` in the headers too, as Graph sends it. */
export function graphError(
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
  innerCode?: string,
): HttpResponse<Record<string, unknown>> {
  const requestId = '8f0c9cb4-3d0f-4b8e-9a42-7c1a1d2e5f60';
  return HttpResponse.json(
    {
      error: {
        code,
        message,
        innerError: {
          ...(innerCode === undefined ? {} : { code: innerCode }),
          date: '2024-05-02T09:15:02',
          'request-id': requestId,
          'client-request-id': requestId,
        },
      },
    },
    { status, headers: { 'request-id': requestId, 'client-request-id': requestId, ...headers } },
  );
}
