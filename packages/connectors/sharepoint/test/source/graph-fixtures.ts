import type { Client } from '@microsoft/microsoft-graph-client';
import { HttpResponse } from 'msw';
import { createGraphClient, createGraphLimiter } from '../../src/graph/graph-client.js';

/** Graph's v1.0 endpoint, as the client calls it. */
export const GRAPH = 'https://graph.microsoft.com/v1.0';

/** The access token the test client sends; it must never reach another host or a message. */
export const ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6InRlc3QtdG9rZW4ifQ.payload.signature';

export const DRIVE_ID = 'b!kYBA-yN9hUKKbNZi_Hj1DFdtKy4f6A5NnAnw4Yn0umn28Jjaii6oTKrmbdg7rCsQ';
export const ITEM_ID = '01BYE5RZ5MYLM2SMX75ZBIPQZIHT6OAYPB';
export const FOLDER_ID = '01BYE5RZ4GWJMYA5IL6FBLPGK2ZBYUXQQE';
export const SITE_ID =
  'contoso.sharepoint.com,da60e844-ba1d-49bc-b4d4-d5e36bae9019,712a596e-90a1-49e3-9b48-bfa80bee8740';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** A SharePoint document library file as `GET /drives/{d}/items/{i}?$select=...` returns it. */
export function driveItem(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    '@odata.context': `${GRAPH}/$metadata#drives('${encodeURIComponent(DRIVE_ID)}')/items/$entity`,
    id: ITEM_ID,
    name: 'Master Services Agreement.docx',
    size: 48213,
    eTag: '"{1C9A6E5B-5B6F-4A3E-9F2B-7D8C1E0A4B21},3"',
    cTag: '"c:{1C9A6E5B-5B6F-4A3E-9F2B-7D8C1E0A4B21},2"',
    webUrl:
      'https://contoso.sharepoint.com/sites/Legal/_layouts/15/Doc.aspx?sourcedoc=%7B1C9A6E5B-5B6F-4A3E-9F2B-7D8C1E0A4B21%7D&file=Master%20Services%20Agreement.docx&action=default&mobileredirect=true',
    lastModifiedDateTime: '2024-05-02T09:14:31Z',
    lastModifiedBy: {
      user: {
        email: 'MeganB@contoso.com',
        id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
        displayName: 'Megan Bowen',
      },
    },
    parentReference: {
      driveType: 'documentLibrary',
      driveId: DRIVE_ID,
      id: FOLDER_ID,
      name: 'Contracts',
      path: `/drives/${DRIVE_ID}/root:/Contracts`,
      siteId: SITE_ID,
    },
    file: {
      mimeType: DOCX,
      hashes: { quickXorHash: 'jfc4GZxDNQzK2n2bsiY5iiQvC5M=' },
    },
    ...overrides,
  };
}

/** Graph's JSON error response, with its `request-id` also in the headers as Graph sends it. */
export function graphError(
  status: number,
  code: string,
  message: string,
  requestId = '8f0c9cb4-3d0f-4b8e-9a42-7c1a1d2e5f60',
  headers: Record<string, string> = {},
): HttpResponse<string> {
  const body = {
    error: {
      code,
      message,
      innerError: {
        date: '2024-05-02T09:15:02',
        'request-id': requestId,
        'client-request-id': requestId,
      },
    },
  };
  return new HttpResponse(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', 'request-id': requestId, ...headers },
  });
}

/** A Graph client for tests: the fixed token, retries without waiting unless Graph asks. */
export function testClient(options: { maxRetries?: number } = {}): Client {
  return createGraphClient({
    accessToken: async () => ACCESS_TOKEN,
    limiter: createGraphLimiter(1000, 10),
    maxRetries: options.maxRetries ?? 3,
    retryDelaySeconds: 0,
  });
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected the promise to reject.');
}
