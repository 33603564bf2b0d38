import type { Review } from '@prism/sdk';
import { beforeEach, describe, expect, it } from 'vitest';
import { ensureColumns, writeReviewFields } from '../../src/sink/index.js';
import { CONTRACT_ID, DRIVE_ID, graphError } from './fake-library.js';
import { useFakeLibrary } from './harness.js';

const harness = useFakeLibrary();
const ITEM = { driveId: DRIVE_ID, itemId: CONTRACT_ID };
const FIELDS_URL = /\/items\/01BYE5RZ2KXWOTNNU3YVF2NDB6SBAS6PCN\/listItem\/fields$/;
const URL_OF_REVIEW = 'https://prism.contoso.com/reviews/rev_01JD3M8Q4T5X6Y7Z8A9B0C1D2E';

const succeeded: Pick<Review, 'status' | 'summary' | 'error'> = {
  status: 'succeeded',
  summary: { score: 72, riskLevel: 'medium', counts: { critical: 0, major: 2, minor: 5, info: 1 } },
  error: null,
};

describe('writeReviewFields', () => {
  beforeEach(async () => {
    await ensureColumns(harness().client, { driveId: DRIVE_ID });
  });

  it('writes a finished review into the Prism columns of the document', async () => {
    const { client, library } = harness();

    const written = await writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW });

    const [patch] = library.seen('PATCH', FIELDS_URL);
    expect(patch?.body).toEqual({
      PrismStatus: 'succeeded',
      PrismScore: 72,
      PrismRisk: 'medium',
      PrismCritical: 0,
      PrismMajor: 2,
      PrismMinor: 5,
      PrismInfo: 1,
      PrismReview: URL_OF_REVIEW,
      PrismError: null,
    });
    expect(patch?.headers.get('content-type')).toBe('application/json');
    expect(written).toEqual(patch?.body);
    expect(library.fields.get(CONTRACT_ID)).toMatchObject({
      Title: 'Supply contract',
      PrismScore: 72,
    });
  });

  it('clears the outcome of an earlier review when the new one failed', async () => {
    const { client, library } = harness();
    await writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW });

    await writeReviewFields(client, ITEM, {
      status: 'failed',
      summary: null,
      error: { code: 'extraction_failed', message: 'The document is password-protected.' },
      url: URL_OF_REVIEW,
    });

    expect(library.seen('PATCH', FIELDS_URL)[1]?.body).toEqual({
      PrismStatus: 'failed',
      PrismScore: null,
      PrismRisk: null,
      PrismCritical: null,
      PrismMajor: null,
      PrismMinor: null,
      PrismInfo: null,
      PrismReview: URL_OF_REVIEW,
      PrismError: 'The document is password-protected.',
    });
  });

  it('writes the same review twice without harm', async () => {
    const { client, library } = harness();
    await writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW });
    const after = { ...library.fields.get(CONTRACT_ID) };

    await writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW });

    const [first, second] = library.seen('PATCH', FIELDS_URL);
    expect(second?.body).toEqual(first?.body);
    expect(library.fields.get(CONTRACT_ID)).toEqual(after);
  });

  it('cuts an error message to what the column holds', async () => {
    const { client, library } = harness();

    await writeReviewFields(client, ITEM, {
      status: 'failed',
      summary: null,
      error: { code: 'provider_failed', message: 'x'.repeat(400) },
      url: URL_OF_REVIEW,
    });

    const [patch] = library.seen('PATCH', FIELDS_URL);
    const error = (patch?.body as Record<string, string> | undefined)?.PrismError;
    expect(error).toHaveLength(255);
    expect(error?.endsWith('…')).toBe(true);
  });

  it('fails with item_locked when the document is checked out or open for editing', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'PATCH',
      url: FIELDS_URL,
      response: () =>
        graphError(
          423,
          'accessDenied',
          'The file is currently checked out or locked for editing by another user.',
        ),
    });

    await expect(
      writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW }),
    ).rejects.toMatchObject({
      code: 'item_locked',
      status: 423,
      hint: expect.stringContaining('try again later'),
    });
    expect(library.seen('PATCH', FIELDS_URL)).toHaveLength(1);
  });

  it('waits out a 429 with Retry-After, then writes', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'PATCH',
      url: FIELDS_URL,
      response: () =>
        graphError(429, 'activityLimitReached', 'The request has been throttled', {
          'Retry-After': '0',
        }),
    });

    await writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW });

    const patches = library.seen('PATCH', FIELDS_URL);
    expect(patches).toHaveLength(2);
    expect(patches[1]?.headers.get('retry-attempt')).toBe('1');
    expect(library.fields.get(CONTRACT_ID)).toMatchObject({ PrismStatus: 'succeeded' });
  });

  it('says the columns are missing when the library lacks them', async () => {
    const { client, library } = harness();
    library.columns.splice(
      library.columns.findIndex((column) => column.name === 'PrismRisk'),
      1,
    );

    await expect(
      writeReviewFields(client, ITEM, { ...succeeded, url: URL_OF_REVIEW }),
    ).rejects.toMatchObject({
      code: 'columns_missing',
      hint: expect.stringContaining('ensureColumns'),
    });
  });

  it('refuses a review link longer than the column holds, before calling Graph', async () => {
    const { client, library } = harness();
    const before = library.requests.length;

    await expect(
      writeReviewFields(client, ITEM, {
        ...succeeded,
        url: `https://prism.contoso.com/${'r'.repeat(300)}`,
      }),
    ).rejects.toMatchObject({ code: 'invalid_argument' });
    expect(library.requests).toHaveLength(before);
  });
});
