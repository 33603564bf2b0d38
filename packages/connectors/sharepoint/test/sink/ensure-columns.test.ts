import { describe, expect, it } from 'vitest';
import { ensureColumns, PRISM_COLUMNS } from '../../src/sink/index.js';
import { DRIVE_ID, graphError, LIST_ID, SITE_ID } from './fake-library.js';
import { useFakeLibrary } from './harness.js';

const harness = useFakeLibrary();
const COLUMNS_URL = `https://graph.microsoft.com/v1.0/sites/${SITE_ID}/lists/${LIST_ID}/columns`;

describe('ensureColumns', () => {
  it('creates the Prism columns in the library once, and nothing on a second run', async () => {
    const { client, library } = harness();

    const first = await ensureColumns(client, { driveId: DRIVE_ID });
    const second = await ensureColumns(client, { driveId: DRIVE_ID });

    expect(first).toMatchObject({ siteId: SITE_ID, listId: LIST_ID });
    expect(first.created.map((column) => column.displayName)).toEqual([
      'Prism status',
      'Prism score',
      'Prism risk',
      'Prism critical',
      'Prism major',
      'Prism minor',
      'Prism info',
      'Prism review',
      'Prism error',
    ]);
    expect(second.created).toEqual([]);
    expect(library.seen('POST', /\/columns$/)).toHaveLength(9);
    expect(library.seen('GET', /\/drives\/.+\/list\?\$select=id,parentReference$/)).toHaveLength(2);
  });

  it('sends Graph column definitions of the right type', async () => {
    const { client, library } = harness();

    await ensureColumns(client, { driveId: DRIVE_ID });

    const bodies = library.seen('POST', /\/columns$/).map((request) => request.body);
    expect(bodies[0]).toEqual({
      name: 'PrismStatus',
      displayName: 'Prism status',
      description: PRISM_COLUMNS.status.description,
      choice: {
        allowTextEntry: false,
        choices: ['queued', 'running', 'succeeded', 'failed', 'canceled'],
        displayAs: 'dropDownMenu',
      },
    });
    expect(bodies[1]).toEqual({
      name: 'PrismScore',
      displayName: 'Prism score',
      description: PRISM_COLUMNS.score.description,
      number: { decimalPlaces: 'none', displayAs: 'number', minimum: 0, maximum: 100 },
    });
    expect(bodies[2]).toMatchObject({
      name: 'PrismRisk',
      choice: { choices: ['low', 'medium', 'high', 'critical'] },
    });
    expect(bodies[3]).toMatchObject({ name: 'PrismCritical', number: { minimum: 0 } });
    expect(bodies[3]).not.toHaveProperty('number.maximum');
    expect(bodies[7]).toEqual({
      name: 'PrismReview',
      displayName: 'Prism review',
      description: PRISM_COLUMNS.review.description,
      text: { allowMultipleLines: false, maxLength: 255 },
    });
    expect(
      library.requests.every((r) => r.headers.get('authorization')?.startsWith('Bearer ')),
    ).toBe(true);
  });

  it('creates only the columns missing, counting hidden ones as present', async () => {
    const { client, library } = harness();
    library.columns.push(
      { id: 'a1', name: 'PrismStatus', displayName: 'Prism status', hidden: false },
      { id: 'a2', name: 'PrismError', displayName: 'Prism error', hidden: true },
    );

    const result = await ensureColumns(client, { driveId: DRIVE_ID });

    expect(result.created.map((column) => column.name)).not.toContain('PrismStatus');
    expect(result.created.map((column) => column.name)).not.toContain('PrismError');
    expect(result.created).toHaveLength(7);
    expect(library.seen('GET', /\/columns\?\$select=id,name,displayName,hidden$/)).toHaveLength(1);
  });

  it('asks for Sites.Manage.All when Graph refuses to create a column', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'POST',
      url: /\/columns$/,
      response: () => graphError(403, 'accessDenied', 'Access denied'),
    });

    const failure = ensureColumns(client, { driveId: DRIVE_ID });

    await expect(failure).rejects.toMatchObject({
      code: 'access_denied',
      status: 403,
      hint: expect.stringContaining('Sites.Manage.All'),
    });
    await expect(failure).rejects.toMatchObject({ hint: expect.stringContaining('site owner') });
    expect(library.seen('POST', /\/columns$/)).toHaveLength(1);
  });

  it('says so when the drive has no list behind it', async () => {
    const { client, library } = harness();
    library.fail({
      method: 'GET',
      url: /\/list\?/,
      response: () => graphError(404, 'itemNotFound', 'The resource could not be found.'),
    });

    await expect(ensureColumns(client, { driveId: DRIVE_ID })).rejects.toMatchObject({
      code: 'item_not_found',
    });
    expect(library.seen('GET', new RegExp(`^${COLUMNS_URL}`))).toHaveLength(0);
  });
});
