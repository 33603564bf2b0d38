import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DELTA_SELECT, fullDeltaLink, initialDeltaLink, runDelta } from '../../src/watch/index.js';
import {
  DRIVE_ID,
  deltaDeleted,
  deltaFile,
  deltaFolder,
  GRAPH,
  graphError,
  REPORTS_FOLDER_ID,
  testClient,
} from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const DELTA_URL = `${GRAPH}/drives/${DRIVE_ID}/root/delta`;
const CONTEXT = `${GRAPH}/$metadata#Collection(driveItem)`;
const OLD_TOKEN =
  'MzslMjM0OyUyMzE7MzsyM2YwNDVhMS1lNmRmLTQ1N2MtOGQ5NS1hNmViZDVmZWRhNWQ7NjM3OTQzNzQwODQ3NTcwMDAwOzU4NTk2OTY0NDslMjM7JTIzOyUyMzA';
const PAGE_TOKEN =
  'MzslMjM0OyUyMzE7MzsyM2YwNDVhMS1lNmRmLTQ1N2MtOGQ5NS1hNmViZDVmZWRhNWQ7NjM3OTQzNzQwODQ3NTcwMDAwOzU4NTk2OTY0NjslMjM7JTIzOyUyMzA';
const NEW_TOKEN =
  'MzslMjM0OyUyMzE7MzsyM2YwNDVhMS1lNmRmLTQ1N2MtOGQ5NS1hNmViZDVmZWRhNWQ7NjM3OTQzNzQwODQ3NTcwMDAwOzU4NTk2OTY1MDslMjM7JTIzOyUyMzA';
const linkFor = (token: string) => `${DELTA_URL}?$select=${DELTA_SELECT}&token=${token}`;

/** Serves delta pages by the `token` query parameter, counting the requests. */
function serveDelta(pages: Record<string, () => Response | Promise<Response>>): string[] {
  const seen: string[] = [];
  server.use(
    http.get(DELTA_URL, ({ request }) => {
      const token = new URL(request.url).searchParams.get('token') ?? '';
      seen.push(token);
      const page = pages[token];
      if (page === undefined) throw new Error(`unexpected delta token ${token}`);
      return page();
    }),
  );
  return seen;
}

describe('runDelta', () => {
  it('follows nextLink to the deltaLink and reports file changes and deletions, not folders', async () => {
    const seen = serveDelta({
      [OLD_TOKEN]: () =>
        HttpResponse.json({
          '@odata.context': CONTEXT,
          '@odata.nextLink': linkFor(PAGE_TOKEN),
          value: [
            deltaFolder(REPORTS_FOLDER_ID, 'Reports'),
            deltaFile('01A', 'Q1 Review.docx'),
            deltaFile('01B', 'Draft.docx', { cTag: '"c:{01B},1"' }),
          ],
        }),
      [PAGE_TOKEN]: () =>
        HttpResponse.json({
          '@odata.context': CONTEXT,
          '@odata.deltaLink': linkFor(NEW_TOKEN),
          value: [
            deltaDeleted('01C'),
            // The same item again: its last occurrence is its current state.
            deltaFile('01B', 'Draft v2.docx', { cTag: '"c:{01B},3"' }),
          ],
        }),
    });

    const outcome = await runDelta(testClient(), linkFor(OLD_TOKEN));

    expect(seen).toEqual([OLD_TOKEN, PAGE_TOKEN]);
    expect(outcome.status).toBe('complete');
    if (outcome.status !== 'complete') return;
    expect(outcome.deltaLink).toBe(linkFor(NEW_TOKEN));
    expect(outcome.changes).toEqual([
      {
        kind: 'file',
        itemId: '01A',
        name: 'Q1 Review.docx',
        cTag: '"c:{01A},2"',
        eTag: '"{01A},4"',
        size: 48213,
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        driveId: DRIVE_ID,
        parentId: REPORTS_FOLDER_ID,
        parentPath: `/drives/${DRIVE_ID}/root:/Reports`,
        webUrl:
          'https://contoso.sharepoint.com/sites/Legal/Shared%20Documents/Reports/Q1%20Review.docx',
        lastModifiedDateTime: '2024-05-02T09:14:31Z',
      },
      { kind: 'deleted', itemId: '01C' },
      expect.objectContaining({
        kind: 'file',
        itemId: '01B',
        name: 'Draft v2.docx',
        cTag: '"c:{01B},3"',
      }),
    ]);
  });

  it('waits out a 429 with Retry-After on a page, then carries on', async () => {
    let attempts = 0;
    serveDelta({
      [OLD_TOKEN]: () => {
        attempts += 1;
        return attempts === 1
          ? graphError(429, 'activityLimitReached', 'The request has been throttled', {
              'Retry-After': '0',
            })
          : HttpResponse.json({
              '@odata.context': CONTEXT,
              '@odata.deltaLink': linkFor(NEW_TOKEN),
              value: [deltaFile('01A', 'Q1 Review.docx')],
            });
      },
    });
    const outcome = await runDelta(testClient(), linkFor(OLD_TOKEN));
    expect(attempts).toBe(2);
    expect(outcome).toMatchObject({ status: 'complete', changes: [{ itemId: '01A' }] });
  });

  it('reports graph_unavailable when throttling outlasts the retries', async () => {
    serveDelta({
      [OLD_TOKEN]: () =>
        graphError(503, 'serviceNotAvailable', 'Service unavailable', { 'Retry-After': '0' }),
    });
    await expect(runDelta(testClient(), linkFor(OLD_TOKEN))).rejects.toMatchObject({
      code: 'graph_unavailable',
      status: 503,
    });
  });

  it('returns a resync outcome with Graph’s Location on 410 Gone', async () => {
    const restart = `${DELTA_URL}?token=${NEW_TOKEN}`;
    serveDelta({
      [OLD_TOKEN]: () =>
        graphError(
          410,
          'resyncRequired',
          'Resync required. Replace any local items with the server version (including deletes) if you are sure that the service was up to date with your local changes when you last synchronized.',
          { Location: restart },
          'resyncChangesApplyDifferences',
        ),
    });
    await expect(runDelta(testClient(), linkFor(OLD_TOKEN))).resolves.toEqual({
      status: 'resync',
      resyncLink: restart,
      reason: 'resyncChangesApplyDifferences',
    });
  });

  it('says to start afresh when a 410 comes without Location', async () => {
    serveDelta({ [OLD_TOKEN]: () => graphError(410, 'resyncRequired', 'Resync required.') });
    await expect(runDelta(testClient(), linkFor(OLD_TOKEN))).rejects.toMatchObject({
      code: 'delta_resync_required',
      hint: expect.stringContaining('fullDeltaLink'),
    });
  });

  it('stops after maxPages with the link to resume from', async () => {
    serveDelta({
      [OLD_TOKEN]: () =>
        HttpResponse.json({
          '@odata.context': CONTEXT,
          '@odata.nextLink': linkFor(PAGE_TOKEN),
          value: [deltaFile('01A', 'Q1 Review.docx')],
        }),
    });
    await expect(runDelta(testClient(), linkFor(OLD_TOKEN), { maxPages: 1 })).resolves.toEqual({
      status: 'partial',
      changes: [expect.objectContaining({ itemId: '01A' })],
      nextLink: linkFor(PAGE_TOKEN),
    });
  });

  it('enumerates the whole drive from fullDeltaLink', async () => {
    const seen = serveDelta({
      '': () =>
        HttpResponse.json({
          '@odata.context': CONTEXT,
          '@odata.deltaLink': linkFor(NEW_TOKEN),
          value: [
            { ...deltaFolder('01ROOT', 'root'), root: {} },
            deltaFile('01A', 'Q1 Review.docx'),
          ],
        }),
    });
    const outcome = await runDelta(testClient(), fullDeltaLink(DRIVE_ID));
    expect(seen).toEqual(['']);
    expect(outcome).toMatchObject({ status: 'complete', changes: [{ itemId: '01A' }] });
  });

  it.each([
    'https://attacker.example/v1.0/drives/x/root/delta?token=1',
    'http://graph.microsoft.com/v1.0/drives/x/root/delta?token=1',
    '//attacker.example/v1.0/drives/x/root/delta',
    'drives/x/root/delta',
  ])('refuses %s without sending anything', async (link) => {
    await expect(runDelta(testClient(), link)).rejects.toMatchObject({
      code: 'invalid_delta_link',
    });
  });

  it('refuses a page budget below one', async () => {
    await expect(runDelta(testClient(), linkFor(OLD_TOKEN), { maxPages: 0 })).rejects.toMatchObject(
      { code: 'invalid_watch_option' },
    );
  });

  it('maps a drive Graph no longer has to item_not_found', async () => {
    serveDelta({ [OLD_TOKEN]: () => graphError(404, 'itemNotFound', 'Item not found') });
    await expect(runDelta(testClient(), linkFor(OLD_TOKEN))).rejects.toMatchObject({
      code: 'item_not_found',
    });
  });

  it('stops when its signal is aborted, with the signal’s reason', async () => {
    const controller = new AbortController();
    const reason = new Error('watch stopped');
    serveDelta({
      [OLD_TOKEN]: async () => {
        controller.abort(reason);
        await delay('infinite');
        return HttpResponse.json({});
      },
    });
    await expect(
      runDelta(testClient(), linkFor(OLD_TOKEN), { signal: controller.signal }),
    ).rejects.toBe(reason);
    await expect(
      runDelta(testClient(), linkFor(OLD_TOKEN), { signal: controller.signal }),
    ).rejects.toBe(reason);
  });
});

describe('initialDeltaLink', () => {
  it('asks for the latest token and returns the delta link, reading no items', async () => {
    const seen = serveDelta({
      latest: () =>
        HttpResponse.json({
          '@odata.context': CONTEXT,
          '@odata.deltaLink': linkFor(NEW_TOKEN),
          value: [],
        }),
    });
    let select: string | null = null;
    server.events.on('request:start', ({ request }) => {
      select = new URL(request.url).searchParams.get('$select');
    });
    await expect(initialDeltaLink(testClient(), DRIVE_ID)).resolves.toBe(linkFor(NEW_TOKEN));
    server.events.removeAllListeners();
    expect(seen).toEqual(['latest']);
    expect(select).toBe(DELTA_SELECT);
  });
});
