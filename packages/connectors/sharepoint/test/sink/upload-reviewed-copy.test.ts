import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  DOCX_CONTENT_TYPE,
  SIMPLE_UPLOAD_MAX_BYTES,
  UPLOAD_FRAGMENT_UNIT,
  uploadReviewedCopy,
} from '../../src/sink/index.js';
import { CONTRACTS_ID, DRIVE_ID, graphError, ROOT_ID, SHAREPOINT } from './fake-library.js';
import { ACCESS_TOKEN, useFakeLibrary } from './harness.js';

const harness = useFakeLibrary();
const COPY = 'Contract (Prism review).docx';
const FRAGMENT = 4 * UPLOAD_FRAGMENT_UNIT; // 1,310,720 bytes
const LARGE = SIMPLE_UPLOAD_MAX_BYTES + 1000; // 4,195,304 bytes: four fragments
const FAST = { fragmentSize: FRAGMENT, fragmentRetryDelayMs: 0 };
const SESSION_URL = new RegExp(`^${SHAREPOINT}/sites/Legal/_api/v2\\.0/drives/.+/uploadSession\\?`);

function docx(size: number): Uint8Array {
  return new Uint8Array(randomBytes(size));
}

function contentRanges(): (string | null)[] {
  return harness()
    .library.seen('PUT', SESSION_URL)
    .map((request) => request.headers.get('content-range'));
}

describe('uploadReviewedCopy, simple upload', () => {
  it('puts a small copy next to the original, named after it', async () => {
    const { client, library } = harness();
    const bytes = docx(48_213);

    const copy = await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes,
    });

    const [put] = library.seen('PUT', /:\/content/);
    expect(put?.url).toBe(
      `https://graph.microsoft.com/v1.0/drives/${DRIVE_ID}/items/${CONTRACTS_ID}:/${COPY}:/content?@microsoft.graph.conflictBehavior=replace`,
    );
    expect(put?.headers.get('content-type')).toBe(DOCX_CONTENT_TYPE);
    expect(put?.headers.get('authorization')).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(Buffer.from(library.file(CONTRACTS_ID, COPY)?.bytes ?? [])).toEqual(Buffer.from(bytes));
    expect(copy).toEqual({
      id: library.file(CONTRACTS_ID, COPY)?.id,
      name: COPY,
      webUrl: `${SHAREPOINT}/sites/Legal/Shared%20Documents/Contracts/Contract%20(Prism%20review).docx`,
    });
  });

  it('sends only the bytes of a view into a larger buffer', async () => {
    const { client, library } = harness();
    const backing = docx(10_000);
    const bytes = backing.subarray(1_000, 3_000);

    await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes,
    });

    expect(Buffer.from(library.file(CONTRACTS_ID, COPY)?.bytes ?? [])).toEqual(Buffer.from(bytes));
  });

  it('replaces the earlier copy when the review is uploaded again', async () => {
    const { client, library } = harness();
    const target = { driveId: DRIVE_ID, parentItemId: CONTRACTS_ID, name: 'Contract.docx' };

    const first = await uploadReviewedCopy(client, { ...target, bytes: docx(1_000) });
    const again = docx(2_000);
    const second = await uploadReviewedCopy(client, { ...target, bytes: again });

    expect(second.id).toBe(first.id);
    expect(library.file(CONTRACTS_ID, COPY)?.bytes).toEqual(again);
  });

  it('waits out a 429 with Retry-After, then uploads', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'PUT',
      url: /:\/content/,
      response: () =>
        graphError(429, 'activityLimitReached', 'The request has been throttled', {
          'Retry-After': '0',
        }),
    });

    await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes: docx(5_000),
    });

    expect(library.seen('PUT', /:\/content/)).toHaveLength(2);
    expect(library.file(CONTRACTS_ID, COPY)?.bytes?.byteLength).toBe(5_000);
  });

  it('fails with insufficient_storage when the drive is full', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'PUT',
      url: /:\/content/,
      response: () => graphError(507, 'quotaLimitReached', 'Insufficient Space Available'),
    });

    await expect(
      uploadReviewedCopy(client, {
        driveId: DRIVE_ID,
        parentItemId: CONTRACTS_ID,
        name: 'Contract.docx',
        bytes: docx(10),
      }),
    ).rejects.toMatchObject({ code: 'insufficient_storage' });
  });
});

describe('uploadReviewedCopy, into a folder', () => {
  it('creates the folder once and reuses it', async () => {
    const { client, library } = harness();
    const upload = { driveId: DRIVE_ID, folderPath: 'Prism reviews', bytes: docx(100) };

    const first = await uploadReviewedCopy(client, { ...upload, name: 'Contract.docx' });
    const second = await uploadReviewedCopy(client, { ...upload, name: 'NDA.docx' });

    const creates = library.seen('POST', /\/children$/);
    expect(creates).toHaveLength(1);
    expect(creates[0]?.url).toBe(
      `https://graph.microsoft.com/v1.0/drives/${DRIVE_ID}/items/root/children`,
    );
    expect(creates[0]?.body).toEqual({
      name: 'Prism reviews',
      folder: {},
      '@microsoft.graph.conflictBehavior': 'fail',
    });
    expect(first.webUrl).toBe(
      `${SHAREPOINT}/sites/Legal/Shared%20Documents/Prism%20reviews/Contract%20(Prism%20review).docx`,
    );
    expect(second.name).toBe('NDA (Prism review).docx');
  });

  it('creates each missing folder of a nested path', async () => {
    const { client, library } = harness();

    const copy = await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      folderPath: '/Contracts/Reviewed/2025/',
      name: 'Contract.docx',
      bytes: docx(100),
    });

    expect(library.seen('POST', /\/children$/).map((request) => request.body)).toEqual([
      { name: 'Contracts', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' },
      { name: 'Reviewed', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' },
      { name: '2025', folder: {}, '@microsoft.graph.conflictBehavior': 'fail' },
    ]);
    expect(copy.webUrl).toBe(
      `${SHAREPOINT}/sites/Legal/Shared%20Documents/Contracts/Reviewed/2025/Contract%20(Prism%20review).docx`,
    );
  });

  it('uses a folder someone else created meanwhile (409 nameAlreadyExists)', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'GET',
      url: /\/root:\/Prism reviews/,
      response: () => graphError(404, 'itemNotFound', 'The resource could not be found.'),
    });
    library.items.set('01BYE5RZOTHERWORKERFOLDER0000000', {
      id: '01BYE5RZOTHERWORKERFOLDER0000000',
      name: 'Prism reviews',
      parentId: ROOT_ID,
      folder: true,
      version: 1,
    });

    const copy = await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      folderPath: 'Prism reviews',
      name: 'Contract.docx',
      bytes: docx(100),
    });

    expect(library.seen('POST', /\/children$/)).toHaveLength(1);
    expect(library.file('01BYE5RZOTHERWORKERFOLDER0000000', COPY)?.id).toBe(copy.id);
  });

  it('refuses a folder path that names a file', async () => {
    const { client } = harness();

    await expect(
      uploadReviewedCopy(client, {
        driveId: DRIVE_ID,
        folderPath: 'Contracts/Contract.docx',
        name: 'Contract.docx',
        bytes: docx(100),
      }),
    ).rejects.toMatchObject({ code: 'not_a_folder' });
  });
});

describe('uploadReviewedCopy, upload session', () => {
  it('sends a large copy in 320 KiB-multiple fragments with Content-Range', async () => {
    const { client, library } = harness();
    const bytes = docx(LARGE);

    const copy = await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes,
      ...FAST,
    });

    const [create] = library.seen('POST', /createUploadSession$/);
    expect(create?.url).toBe(
      `https://graph.microsoft.com/v1.0/drives/${DRIVE_ID}/items/${CONTRACTS_ID}:/${COPY}:/createUploadSession`,
    );
    expect(create?.body).toEqual({
      item: { '@microsoft.graph.conflictBehavior': 'replace', name: COPY },
    });
    expect(contentRanges()).toEqual([
      'bytes 0-1310719/4195304',
      'bytes 1310720-2621439/4195304',
      'bytes 2621440-3932159/4195304',
      'bytes 3932160-4195303/4195304',
    ]);
    const puts = library.seen('PUT', SESSION_URL);
    expect(puts.map((request) => request.headers.get('authorization'))).toEqual([
      null,
      null,
      null,
      null,
    ]);
    expect(puts.map((request) => request.headers.get('content-length'))).toEqual([
      '1310720',
      '1310720',
      '1310720',
      '263144',
    ]);
    expect(library.seen('PUT', /:\/content/)).toHaveLength(0);
    expect(
      Buffer.from(library.file(CONTRACTS_ID, COPY)?.bytes ?? []).equals(Buffer.from(bytes)),
    ).toBe(true);
    expect(copy.id).toBe(library.file(CONTRACTS_ID, COPY)?.id);
  });

  it('uploads through a session from just above 4 MiB, in one request below', async () => {
    const { client, library } = harness();
    const target = {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      ...FAST,
    };

    await uploadReviewedCopy(client, { ...target, bytes: docx(SIMPLE_UPLOAD_MAX_BYTES) });
    expect(library.seen('POST', /createUploadSession$/)).toHaveLength(0);

    await uploadReviewedCopy(client, { ...target, bytes: docx(SIMPLE_UPLOAD_MAX_BYTES + 1) });
    expect(library.seen('POST', /createUploadSession$/)).toHaveLength(1);
  });

  it('resumes from nextExpectedRanges after a fragment fails with a 5xx', async () => {
    const { client, library } = harness();
    const bytes = docx(LARGE);
    // The second fragment arrives, but its answer is lost in a 500.
    library.fail({
      method: 'PUT',
      url: SESSION_URL,
      skip: 1,
      after: true,
      response: () => graphError(500, 'generalException', 'An unspecified error has occurred.'),
    });

    await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes,
      ...FAST,
    });

    expect(library.seen('GET', SESSION_URL)).toHaveLength(1);
    expect(contentRanges()).toEqual([
      'bytes 0-1310719/4195304',
      'bytes 1310720-2621439/4195304',
      'bytes 2621440-3932159/4195304',
      'bytes 3932160-4195303/4195304',
    ]);
    expect(
      Buffer.from(library.file(CONTRACTS_ID, COPY)?.bytes ?? []).equals(Buffer.from(bytes)),
    ).toBe(true);
  });

  it('sends a fragment again when the session did not keep it', async () => {
    const { client, library } = harness();
    const bytes = docx(LARGE);
    library.fail({
      method: 'PUT',
      url: SESSION_URL,
      skip: 2,
      response: () => graphError(500, 'generalException', 'An unspecified error has occurred.'),
    });

    await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes,
      ...FAST,
    });

    expect(contentRanges()).toEqual([
      'bytes 0-1310719/4195304',
      'bytes 1310720-2621439/4195304',
      'bytes 2621440-3932159/4195304',
      'bytes 2621440-3932159/4195304',
      'bytes 3932160-4195303/4195304',
    ]);
    expect(
      Buffer.from(library.file(CONTRACTS_ID, COPY)?.bytes ?? []).equals(Buffer.from(bytes)),
    ).toBe(true);
  });

  it('starts a new session when the old one is gone', async () => {
    const { client, library } = harness();
    const bytes = docx(LARGE);
    library.fail({
      method: 'PUT',
      url: SESSION_URL,
      skip: 1,
      response: () => {
        library.sessions.clear();
        return graphError(404, 'itemNotFound', 'The upload session was not found.');
      },
    });

    await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes,
      ...FAST,
    });

    expect(library.seen('POST', /createUploadSession$/)).toHaveLength(2);
    expect(contentRanges().slice(2)).toEqual([
      'bytes 0-1310719/4195304',
      'bytes 1310720-2621439/4195304',
      'bytes 2621440-3932159/4195304',
      'bytes 3932160-4195303/4195304',
    ]);
    expect(
      Buffer.from(library.file(CONTRACTS_ID, COPY)?.bytes ?? []).equals(Buffer.from(bytes)),
    ).toBe(true);
  });

  it('gives up after the allowed fragment failures in a row', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'PUT',
      url: SESSION_URL,
      times: 100,
      response: () => graphError(500, 'generalException', 'An unspecified error has occurred.'),
    });

    await expect(
      uploadReviewedCopy(client, {
        driveId: DRIVE_ID,
        parentItemId: CONTRACTS_ID,
        name: 'Contract.docx',
        bytes: docx(LARGE),
        ...FAST,
        fragmentRetries: 2,
      }),
    ).rejects.toMatchObject({ code: 'graph_request_failed', status: 500 });
    expect(library.seen('PUT', SESSION_URL)).toHaveLength(3);
    expect(library.file(CONTRACTS_ID, COPY)).toBeUndefined();
  });

  it('makes every request, fragments included, wait for the tenant limiter', async () => {
    const { client, library, limiter } = harness();
    let scheduled = 0;
    limiter.on('executing', () => {
      scheduled += 1;
    });

    await uploadReviewedCopy(client, {
      driveId: DRIVE_ID,
      parentItemId: CONTRACTS_ID,
      name: 'Contract.docx',
      bytes: docx(LARGE),
      ...FAST,
    });

    expect(scheduled).toBe(library.requests.length);
    expect(scheduled).toBe(5);
  });

  it('refuses a fragment size that is not a multiple of 320 KiB', async () => {
    const { client, library } = harness();

    await expect(
      uploadReviewedCopy(client, {
        driveId: DRIVE_ID,
        parentItemId: CONTRACTS_ID,
        name: 'Contract.docx',
        bytes: docx(LARGE),
        fragmentSize: 1024 * 1024,
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(library.requests).toHaveLength(0);
  });

  it('does nothing once the signal is aborted', async () => {
    const { client, library } = harness();
    const controller = new AbortController();
    const reason = new Error('The review was canceled.');
    controller.abort(reason);

    await expect(
      uploadReviewedCopy(client, {
        driveId: DRIVE_ID,
        folderPath: 'Prism reviews',
        name: 'Contract.docx',
        bytes: docx(LARGE),
        ...FAST,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(library.requests).toHaveLength(0);
  });

  it('stops between fragments when the signal is aborted', async () => {
    const { client, library } = harness();
    const controller = new AbortController();
    const reason = new Error('The review was canceled.');
    library.fail({
      method: 'PUT',
      url: SESSION_URL,
      after: true,
      response: () => {
        controller.abort(reason);
        return undefined;
      },
    });

    await expect(
      uploadReviewedCopy(client, {
        driveId: DRIVE_ID,
        parentItemId: CONTRACTS_ID,
        name: 'Contract.docx',
        bytes: docx(LARGE),
        ...FAST,
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(contentRanges()).toEqual(['bytes 0-1310719/4195304']);
  });
});
