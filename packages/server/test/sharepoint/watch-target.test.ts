import { GraphFailure } from '@prism/connector-sharepoint';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DRIVE_ID,
  GRAPH,
  graphError,
  testClient,
} from '../../../connectors/sharepoint/test/watch/fixtures.js';
import { resolveWatchTarget, WatchTargetError } from '../../src/sharepoint/watch-target.js';

const LIBRARY = 'https://contoso.sharepoint.com/sites/Legal/Shared%20Documents';
const FOLDER_ID = '01BYE5RZ4GWJMYA5IL6FBLPGK2ZBYUXQQE';
const OTHER_DRIVE = 'b!3sB2mZ9tC0q0x7bZ8yJ3gH1vF0uN8kR6qW2eT4yU5iO7pA9sD1fG3hJ5kL7zX9cV';
const parent = { driveType: 'documentLibrary', driveId: DRIVE_ID };

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** Graph answering `/shares/.../driveItem` for `link` with `item`, recording the requests. */
function shares(link: string, item: () => Response, seen: Request[] = []) {
  const share = `u!${Buffer.from(link).toString('base64url')}`;
  return http.get(`${GRAPH}/shares/${share}/driveItem`, ({ request }) => {
    seen.push(request);
    return item();
  });
}

describe('resolveWatchTarget', () => {
  it('resolves a library to its drive, redeeming the link', async () => {
    const seen: Request[] = [];
    server.use(
      shares(
        LIBRARY,
        () =>
          HttpResponse.json({
            id: '01ROOT',
            name: 'root',
            root: {},
            folder: {},
            parentReference: parent,
          }),
        seen,
      ),
    );

    expect(await resolveWatchTarget(testClient(), LIBRARY)).toEqual({ driveId: DRIVE_ID });
    expect(seen[0]?.headers.get('prefer')).toBe('redeemSharingLink');
    expect(new URL(seen[0]?.url ?? '').searchParams.get('$select')).toBe(
      'id,name,root,folder,remoteItem,parentReference',
    );
  });

  it('resolves a folder to its path, reading the path by id when the link left it out', async () => {
    const link = `${LIBRARY}/Legal%20Docs`;
    server.use(
      shares(link, () =>
        HttpResponse.json({
          id: FOLDER_ID,
          name: 'Legal Docs',
          folder: { childCount: 4 },
          parentReference: parent,
        }),
      ),
      http.get(`${GRAPH}/drives/:drive/items/:item`, ({ params }) =>
        params.item === FOLDER_ID
          ? HttpResponse.json({
              id: FOLDER_ID,
              name: 'Legal Docs',
              folder: { childCount: 4 },
              parentReference: { ...parent, id: '01ROOT', path: `/drives/${DRIVE_ID}/root:` },
            })
          : graphError(404, 'itemNotFound', 'The resource could not be found.'),
      ),
    );

    expect(await resolveWatchTarget(testClient(), link)).toEqual({
      driveId: DRIVE_ID,
      folderPath: `/drives/${DRIVE_ID}/root:/Legal%20Docs`,
    });
  });

  it('follows a folder shared from another drive to that drive', async () => {
    const link = 'https://contoso-my.sharepoint.com/:f:/g/personal/megan/EkX2';
    server.use(
      shares(link, () =>
        HttpResponse.json({
          id: '01SHORTCUT',
          name: 'Board papers',
          folder: { childCount: 2 },
          remoteItem: {
            id: FOLDER_ID,
            parentReference: { driveType: 'business', driveId: OTHER_DRIVE },
          },
          parentReference: parent,
        }),
      ),
      http.get(`${GRAPH}/drives/${OTHER_DRIVE}/items/${FOLDER_ID}`, () =>
        HttpResponse.json({
          id: FOLDER_ID,
          name: 'Board papers',
          folder: { childCount: 2 },
          parentReference: {
            driveType: 'business',
            driveId: OTHER_DRIVE,
            path: `/drives/${OTHER_DRIVE}/root:/Shared`,
          },
        }),
      ),
    );

    expect(await resolveWatchTarget(testClient(), link)).toEqual({
      driveId: OTHER_DRIVE,
      folderPath: `/drives/${OTHER_DRIVE}/root:/Shared/Board%20papers`,
    });
  });

  it('refuses a file, and a target that is no link', async () => {
    const link = `${LIBRARY}/Contract.docx`;
    server.use(
      shares(link, () =>
        HttpResponse.json({
          id: '01FILE',
          name: 'Contract.docx',
          file: { mimeType: 'application/pdf' },
          parentReference: parent,
        }),
      ),
    );

    await expect(resolveWatchTarget(testClient(), link)).rejects.toMatchObject({
      code: 'watch_target_not_a_folder',
      message: "'Contract.docx' is a file, not a library or folder.",
    });
    const notALink = await resolveWatchTarget(testClient(), 'Shared Documents/Contracts').catch(
      (error: unknown) => error,
    );
    expect(notALink).toBeInstanceOf(WatchTargetError);
    expect(notALink).toMatchObject({ code: 'watch_target_invalid' });
  });

  it('says what Graph answered when it cannot open the target', async () => {
    server.use(
      shares(LIBRARY, () => graphError(404, 'itemNotFound', 'The resource could not be found.')),
    );
    const missing = await resolveWatchTarget(testClient(), LIBRARY).catch(
      (error: unknown) => error,
    );
    expect(missing).toBeInstanceOf(GraphFailure);
    expect(missing).toMatchObject({
      code: 'item_not_found',
      status: 404,
      graphCode: 'itemNotFound',
      message: expect.stringContaining('404 itemNotFound'),
    });

    server.use(shares(LIBRARY, () => graphError(403, 'accessDenied', 'Access denied.')));
    await expect(resolveWatchTarget(testClient(), LIBRARY)).rejects.toMatchObject({
      code: 'access_denied',
      status: 403,
    });
  });
});
