import { describe, expect, it } from 'vitest';
import { type Page, PagePromise, PaginationError } from '../../src/client/index.js';

/** A fake list of `pages` keyed by cursor (`''` for the first), recording what was fetched. */
function fakeList(pages: Record<string, Page<number>>) {
  const fetched: (string | undefined)[] = [];
  const fetchPage = async (cursor: string | undefined) => {
    fetched.push(cursor);
    const page = pages[cursor ?? ''];
    if (!page) throw new Error(`no page ${cursor}`);
    return page;
  };
  return { fetched, fetchPage };
}

const threePages = {
  '': { data: [1, 2], hasMore: true, nextCursor: 'b' },
  b: { data: [3, 4], hasMore: true, nextCursor: 'c' },
  c: { data: [5], hasMore: false, nextCursor: null },
};

describe('PagePromise', () => {
  it('fetches nothing until used, and the first page once however often it is used', async () => {
    const { fetched, fetchPage } = fakeList(threePages);
    const list = new PagePromise(fetchPage);
    expect(fetched).toEqual([]);

    expect(await list).toEqual(threePages['']);
    expect((await list).data).toEqual([1, 2]);
    expect(await list.toArray()).toEqual([1, 2, 3, 4, 5]);
    expect(fetched).toEqual([undefined, 'b', 'c']);
  });

  it('iterates pages and items, and stops fetching when the loop stops', async () => {
    const { fetched, fetchPage } = fakeList(threePages);
    const sizes: number[] = [];
    for await (const page of new PagePromise(fetchPage).pages()) sizes.push(page.data.length);
    expect(sizes).toEqual([2, 2, 1]);

    fetched.length = 0;
    for await (const item of new PagePromise(fetchPage)) {
      if (item === 2) break;
    }
    expect(fetched).toEqual([undefined]);
  });

  it('starts at a given cursor', async () => {
    const { fetchPage } = fakeList(threePages);
    expect(await new PagePromise(fetchPage, 'b').toArray()).toEqual([3, 4, 5]);
  });

  it('toArray takes a limit and refuses a bad one', async () => {
    const { fetched, fetchPage } = fakeList(threePages);
    expect(await new PagePromise(fetchPage).toArray({ limit: 2 })).toEqual([1, 2]);
    expect(fetched).toEqual([undefined]);
    expect(await new PagePromise(fetchPage).toArray({ limit: 0 })).toEqual([]);
    await expect(new PagePromise(fetchPage).toArray({ limit: -1 })).rejects.toMatchObject({
      code: 'invalid_argument',
    });
  });

  it('stops with an error when a cursor comes back, instead of looping forever', async () => {
    const { fetched, fetchPage } = fakeList({
      '': { data: [1], hasMore: true, nextCursor: 'a' },
      a: { data: [2], hasMore: true, nextCursor: 'b' },
      b: { data: [3], hasMore: true, nextCursor: 'a' },
    });
    const items: number[] = [];
    const error = await (async () => {
      for await (const item of new PagePromise(fetchPage)) items.push(item);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PaginationError);
    expect(error).toMatchObject({ code: 'pagination_cursor_repeated' });
    expect((error as Error).message).toContain('"a"');
    expect(items).toEqual([1, 2, 3]);
    expect(fetched).toEqual([undefined, 'a', 'b']);
  });

  it('stops with an error when hasMore comes without a cursor', async () => {
    const { fetchPage } = fakeList({ '': { data: [1], hasMore: true, nextCursor: null } });
    await expect(new PagePromise(fetchPage).toArray()).rejects.toMatchObject({
      code: 'pagination_cursor_missing',
    });
  });

  it('passes the first page failure to await and to iteration', async () => {
    const list = new PagePromise<number>(async () => {
      throw new Error('down');
    });
    await expect(list).rejects.toThrow('down');
    await expect(list.catch((e: unknown) => (e as Error).message)).resolves.toBe('down');
    await expect(list.toArray()).rejects.toThrow('down');
  });
});
