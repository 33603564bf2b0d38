import { describe, expect, it } from 'vitest';
import { CONTRACTS_ID, ROOT_ID } from './fake-drive.js';
import { sampleDocx, sampleMarkdown, storedWatch, useAutoReview } from './harness.js';

const harness = useAutoReview({ reviewer: { maxFileBytes: 64 * 1024 } });

describe('AutoReviewer.processWatch, changes that are not reviewed', () => {
  it('takes a deletion in the delta in its stride', async () => {
    const { drive, reviewer, prism } = harness();
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    await reviewer.processWatch('wat_contracts');

    drive.deleteFile(itemId);
    const run = await reviewer.processWatch('wat_contracts');

    expect(run).toMatchObject({ started: [], skipped: [], deleted: [itemId] });
    expect((await storedWatch(harness())).deltaLink).toBe(run.deltaLink);
    expect((await prism.reviews.list()).data).toHaveLength(1);
    expect(reviewer.stats().deletions).toBe(1);
  });

  it('skips a file deleted between the delta and its download, and reviews the rest', async () => {
    const { drive, reviewer, prism } = harness();
    const gone = drive.addFile('Withdrawn draft.md', sampleMarkdown(1));
    const kept = drive.addFile('Supply agreement.md', sampleMarkdown(2));
    drive.afterDelta = () => drive.deleteFile(gone);
    const startLink = (await storedWatch(harness())).deltaLink;

    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started.map((review) => review.itemId)).toEqual([kept]);
    expect(run.skipped).toEqual([
      {
        itemId: gone,
        name: 'Withdrawn draft.md',
        reason: 'item_not_found',
        message: expect.stringContaining('itemNotFound'),
      },
    ]);
    expect(run.deltaLink).not.toBe(startLink);
    expect((await storedWatch(harness())).deltaLink).toBe(run.deltaLink);
    expect((await prism.documents.list()).data.map((doc) => doc.filename)).toEqual([
      'Supply agreement.md',
    ]);
  });

  it('skips what it cannot or need not review, each with its reason', async () => {
    const { drive, reviewer, prism } = harness();
    const ids = {
      image: drive.addFile('Site plan.png', new Uint8Array([0x89, 0x50, 0x4e, 0x47])),
      legacy: drive.addFile('Old terms.doc', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0])),
      copy: drive.addFile('Lease (Prism review).docx', sampleDocx()),
      large: drive.addFile('Scanned annex.pdf', new Uint8Array(65 * 1024)),
      elsewhere: drive.addFile('Team lunch.md', sampleMarkdown(1), ROOT_ID),
      corrupt: drive.addFile('Broken.docx', new TextEncoder().encode('not a zip at all')),
      good: drive.addFile('Supply agreement.md', sampleMarkdown(2), CONTRACTS_ID),
    };

    const run = await reviewer.processWatch('wat_contracts');

    const reasons = Object.fromEntries(run.skipped.map((skip) => [skip.itemId, skip.reason]));
    expect(reasons).toEqual({
      [ids.image]: 'unsupported_format',
      [ids.legacy]: 'legacy_format',
      [ids.copy]: 'reviewed_copy',
      [ids.large]: 'file_too_large',
      [ids.elsewhere]: 'out_of_scope',
      [ids.corrupt]: 'document_rejected',
    });
    expect(run.skipped.find((skip) => skip.itemId === ids.legacy)?.message).toContain('.docx');
    expect(run.started.map((review) => review.itemId)).toEqual([ids.good]);
    expect((await prism.documents.list()).data).toHaveLength(1);
    expect(reviewer.stats().skipped).toMatchObject({
      unsupported_format: 1,
      legacy_format: 1,
      reviewed_copy: 1,
      file_too_large: 1,
      out_of_scope: 1,
      document_rejected: 1,
    });
    expect((await storedWatch(harness())).deltaLink).toBe(run.deltaLink);
  });

  it('reads the item when the delta leaves out its folder path or its cTag', async () => {
    const { drive, reviewer } = harness();
    drive.deltaOmits = ['path', 'cTag'];
    const inside = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    const outside = drive.addFile('Team lunch.md', sampleMarkdown(2), ROOT_ID);

    const run = await reviewer.processWatch('wat_contracts');

    expect(run.started.map((review) => review.itemId)).toEqual([inside]);
    expect(run.started[0]?.versionKey).toMatch(new RegExp(`^${inside}:"c:\\{`));
    expect(run.skipped).toEqual([
      { itemId: outside, name: 'Team lunch.md', reason: 'out_of_scope' },
    ]);
    const reads = drive.calls.filter((call) => /\/items\/[^/]+\?/.test(call.url));
    expect(reads).toHaveLength(2);
  });

  it('reviews a file again when its content changes, not when only its fields do', async () => {
    const { drive, reviewer, prism } = harness();
    const itemId = drive.addFile('Supply agreement.md', sampleMarkdown(1));
    await reviewer.processWatch('wat_contracts');

    drive.library.fields.set(itemId, { Title: 'Supply agreement, signed' });
    const fieldsOnly = await reviewer.processWatch('wat_contracts');
    drive.editFile(itemId, sampleMarkdown(3));
    const edited = await reviewer.processWatch('wat_contracts');

    expect(fieldsOnly.skipped).toEqual([
      { itemId, name: 'Supply agreement.md', reason: 'already_reviewed' },
    ]);
    expect(edited.started).toHaveLength(1);
    expect(edited.started[0]?.versionKey).toMatch(/,2"$/);
    expect((await prism.reviews.list()).data).toHaveLength(2);
  });
});
