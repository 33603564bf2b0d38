import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { GraphFailure } from '../../src/graph/graph-errors.js';
import { SharePointFileError } from '../../src/source/file-error.js';
import { getFile } from '../../src/source/get-file.js';
import {
  ACCESS_TOKEN,
  DRIVE_ID,
  driveItem,
  FOLDER_ID,
  GRAPH,
  graphError,
  ITEM_ID,
  rejection,
  SITE_ID,
  testClient,
} from './graph-fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Serves one driveItem by ids and records the requests made for it. */
function serveItem(item: Record<string, unknown>, driveId = DRIVE_ID, itemId = ITEM_ID): Request[] {
  const requests: Request[] = [];
  server.use(
    http.get(`${GRAPH}/drives/:driveId/items/:itemId`, ({ request, params }) => {
      if (params.driveId !== driveId || params.itemId !== itemId) return undefined;
      requests.push(request);
      return HttpResponse.json(item);
    }),
  );
  return requests;
}

describe('getFile by ids', () => {
  it('reads the file with only the properties Prism uses', async () => {
    const requests = serveItem(driveItem());

    const file = await getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID });

    expect(file.name).toBe('Master Services Agreement.docx');
    expect(requests).toHaveLength(1);
    const url = new URL(requests[0]?.url ?? '');
    expect(url.pathname).toBe(`/v1.0/drives/${DRIVE_ID}/items/${ITEM_ID}`);
    expect(url.searchParams.get('$select')?.split(',')).toEqual(
      expect.arrayContaining(['id', 'name', 'size', 'eTag', 'cTag', 'file', 'parentReference']),
    );
    expect(requests[0]?.headers.get('Authorization')).toBe(`Bearer ${ACCESS_TOKEN}`);
  });

  it('maps every field of a SharePoint document library file', async () => {
    serveItem(driveItem());

    const file = await getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID });

    expect(file).toEqual({
      driveId: DRIVE_ID,
      itemId: ITEM_ID,
      name: 'Master Services Agreement.docx',
      size: 48213,
      eTag: '"{1C9A6E5B-5B6F-4A3E-9F2B-7D8C1E0A4B21},3"',
      cTag: '"c:{1C9A6E5B-5B6F-4A3E-9F2B-7D8C1E0A4B21},2"',
      webUrl: expect.stringContaining(
        'https://contoso.sharepoint.com/sites/Legal/_layouts/15/Doc.aspx',
      ),
      mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      lastModifiedBy: {
        kind: 'user',
        id: '48d31887-5fad-4d73-a9f5-3c356e68a038',
        displayName: 'Megan Bowen',
        email: 'MeganB@contoso.com',
      },
      lastModifiedDateTime: '2024-05-02T09:14:31Z',
      parentPath: `/drives/${DRIVE_ID}/root:/Contracts`,
      parentId: FOLDER_ID,
      siteId: SITE_ID,
    });
  });

  it("reports an application's own change as the application, not SharePoint's stand-in user", async () => {
    serveItem(
      driveItem({
        lastModifiedBy: {
          application: {
            id: 'e1d5767e-58c6-4ccc-bc39-aef03ebc7ffd',
            displayName: 'Contoso Records Sync',
          },
          user: { displayName: 'SharePoint App' },
        },
      }),
    );

    const file = await getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID });

    expect(file.lastModifiedBy).toEqual({
      kind: 'application',
      id: 'e1d5767e-58c6-4ccc-bc39-aef03ebc7ffd',
      displayName: 'Contoso Records Sync',
    });
  });

  it('reports the person when an application changed the file on their behalf', async () => {
    serveItem(
      driveItem({
        lastModifiedBy: {
          application: {
            id: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
            displayName: 'Microsoft Office',
          },
          user: {
            email: 'AlexW@contoso.com',
            id: '5d3e5a3c-1b1a-4c4f-9a3f-2f1c1b0e9d8a',
            displayName: 'Alex Wilber',
          },
        },
      }),
    );

    const file = await getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID });

    expect(file.lastModifiedBy).toMatchObject({ kind: 'user', email: 'AlexW@contoso.com' });
  });

  it('leaves out what Graph does not report (OneDrive for consumers: no site, no cTag)', async () => {
    serveItem(
      driveItem({
        cTag: undefined,
        lastModifiedBy: undefined,
        parentReference: { driveType: 'personal', driveId: DRIVE_ID, id: FOLDER_ID },
        file: {},
      }),
    );

    const file = await getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID });

    expect(file).toMatchObject({
      cTag: null,
      mimeType: null,
      lastModifiedBy: null,
      parentPath: null,
      siteId: null,
    });
  });

  it('follows a shared file added to a OneDrive to the file itself', async () => {
    const remoteDrive = 'b!remoteDriveOfTheOwner0000000000000000000000000000000000000000000';
    serveItem(
      driveItem({
        id: '01SHORTCUT000000000000000000000000',
        file: undefined,
        remoteItem: {
          id: 'RemoteItem01',
          parentReference: { driveId: remoteDrive, driveType: 'business' },
          file: { mimeType: 'application/pdf' },
        },
      }),
    );
    const target = serveItem(
      driveItem({
        id: 'RemoteItem01',
        name: 'Lease.pdf',
        file: { mimeType: 'application/pdf' },
        parentReference: { driveType: 'business', driveId: remoteDrive, id: 'RemoteFolder' },
      }),
      remoteDrive,
      'RemoteItem01',
    );

    const file = await getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID });

    expect(target).toHaveLength(1);
    expect(file).toMatchObject({ driveId: remoteDrive, itemId: 'RemoteItem01', name: 'Lease.pdf' });
  });
});

describe('getFile by link', () => {
  const link = 'https://contoso.sharepoint.com/:w:/s/Legal/EbF3kQ~?e=~aa';
  // From the sharing-url tests: unpadded base64url of the link, prefixed with u!.
  const encoded = 'u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tLzp3Oi9zL0xlZ2FsL0ViRjNrUX4_ZT1-YWE';

  it('resolves the link through /shares with the encoded link and redeems it', async () => {
    const requests: Request[] = [];
    server.use(
      http.get(`${GRAPH}/shares/:share/driveItem`, ({ request }) => {
        requests.push(request);
        return HttpResponse.json(
          driveItem({
            parentReference: {
              driveType: 'documentLibrary',
              driveId: DRIVE_ID,
              id: FOLDER_ID,
              siteId: SITE_ID,
            },
          }),
        );
      }),
    );

    const file = await getFile(testClient(), { sharingUrl: link });

    const url = new URL(requests[0]?.url ?? '');
    expect(url.pathname).toBe(`/v1.0/shares/${encoded}/driveItem`);
    expect(url.searchParams.get('$select')).toContain('parentReference');
    expect(requests[0]?.headers.get('Prefer')).toBe('redeemSharingLink');
    expect(file).toMatchObject({ driveId: DRIVE_ID, itemId: ITEM_ID, parentPath: null });
  });

  it('refuses a link that is not a URL before calling Graph', async () => {
    const error = await rejection(
      getFile(testClient(), { sharingUrl: 'Legal/Contracts/MSA.docx' }),
    );

    expect(error).toMatchObject({ code: 'invalid_sharing_url' });
  });

  it('does not put the link in the message when Graph refuses it', async () => {
    const secretLink =
      'https://contoso-my.sharepoint.com/:w:/g/personal/megan/EQsecretToken123?e=Zx9';
    server.use(
      http.get(`${GRAPH}/shares/:share/driveItem`, () =>
        graphError(
          404,
          'itemNotFound',
          'The sharing link no longer exists, or you do not have permission to access it.',
        ),
      ),
    );

    const error = await rejection(getFile(testClient(), { sharingUrl: secretLink }));

    expect(error).toMatchObject({ code: 'item_not_found' });
    expect((error as Error).message).not.toContain('EQsecretToken123');
  });
});

describe('getFile refusals and failures', () => {
  it('refuses a folder with not_a_file', async () => {
    serveItem(
      driveItem({
        name: 'Contracts',
        file: undefined,
        cTag: undefined,
        folder: { childCount: 12 },
      }),
    );

    const error = await rejection(getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID }));

    expect(error).toBeInstanceOf(SharePointFileError);
    expect(error).toMatchObject({ code: 'not_a_file', hint: expect.any(String) });
    expect((error as Error).message).toContain('folder');
  });

  it('refuses a OneNote notebook with not_a_file', async () => {
    serveItem(driveItem({ name: 'Board Notes', file: undefined, package: { type: 'oneNote' } }));

    const error = await rejection(getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID }));

    expect(error).toMatchObject({ code: 'not_a_file' });
    expect((error as Error).message).toContain('OneNote notebook');
  });

  it('reports 403 as access_denied with what to do, keeping Graph code and request-id', async () => {
    server.use(
      http.get(`${GRAPH}/drives/:driveId/items/:itemId`, () =>
        graphError(403, 'accessDenied', 'Access denied', '1e6a2f90-0c57-4d3a-8f0e-5a6b7c8d9e0f'),
      ),
    );

    const error = await rejection(getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID }));

    expect(error).toBeInstanceOf(GraphFailure);
    expect(error).toMatchObject({
      code: 'access_denied',
      status: 403,
      graphCode: 'accessDenied',
      requestId: '1e6a2f90-0c57-4d3a-8f0e-5a6b7c8d9e0f',
      hint: expect.stringMatching(/reconnect|permission/i),
    });
    const message = (error as Error).message;
    expect(message).toContain('accessDenied');
    expect(message).toContain('1e6a2f90-0c57-4d3a-8f0e-5a6b7c8d9e0f');
    expect(message).not.toContain(ACCESS_TOKEN);
  });

  it('throws the abort reason when the signal aborts', async () => {
    serveItem(driveItem());
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));

    const error = await rejection(
      getFile(testClient(), { driveId: DRIVE_ID, itemId: ITEM_ID }, { signal: controller.signal }),
    );

    expect(error).toMatchObject({ message: 'shutting down' });
  });
});
