import { PrismError } from '../errors.js';
import { PaginationError } from './errors.js';

/** One page of a list, as every list operation answers. */
export interface Page<T> {
  /** The items of this page. */
  data: T[];
  /** Whether more items follow. */
  hasMore: boolean;
  /** The cursor of the next page, when `hasMore`. */
  nextCursor: string | null;
}

/** Fetches the page that starts at `cursor` (the first page when `undefined`). */
export type PageFetcher<T> = (cursor: string | undefined) => Promise<Page<T>>;

/** Options of {@link PagePromise.toArray}. */
export interface ToArrayOptions {
  /** Stop after this many items (and fetch no page beyond them). Default: every item. */
  limit?: number;
}

/**
 * What a list call returns: awaiting it gives the first page (`{ data, hasMore, nextCursor }`);
 * iterating it with `for await` gives every item of every page, fetching each page as the
 * previous one runs out. Nothing is fetched until it is awaited or iterated, and the first page
 * is fetched once however often it is used. Pagination follows `nextCursor` (sent as `cursor`)
 * while `hasMore` is true, and stops with a {@link PaginationError} rather than loop forever
 * when a cursor repeats, or when `hasMore` comes without a cursor.
 */
export class PagePromise<T> implements PromiseLike<Page<T>>, AsyncIterable<T> {
  readonly #fetchPage: PageFetcher<T>;
  readonly #startCursor: string | undefined;
  #firstPage: Promise<Page<T>> | undefined;

  constructor(fetchPage: PageFetcher<T>, startCursor?: string) {
    this.#fetchPage = fetchPage;
    this.#startCursor = startCursor;
  }

  #first(): Promise<Page<T>> {
    this.#firstPage ??= this.#fetchPage(this.#startCursor);
    return this.#firstPage;
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting a list call gives its first page.
  then<Fulfilled = Page<T>, Rejected = never>(
    onFulfilled?: ((page: Page<T>) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.#first().then(onFulfilled, onRejected);
  }

  /** The first page, or what `onRejected` makes of its failure. */
  catch<Rejected = never>(
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Page<T> | Rejected> {
    return this.#first().catch(onRejected);
  }

  /** Every page in order, starting with the first. */
  async *pages(): AsyncGenerator<Page<T>, void, undefined> {
    const used = new Set<string>();
    if (this.#startCursor !== undefined) used.add(this.#startCursor);
    let page = await this.#first();
    let fetched = 1;
    yield page;
    while (page.hasMore) {
      const cursor = page.nextCursor;
      if (cursor === null || cursor === '') {
        throw new PaginationError(
          'pagination_cursor_missing',
          `A page said more items follow (hasMore: true) but gave no nextCursor (page ${fetched}).`,
        );
      }
      if (used.has(cursor)) {
        throw new PaginationError(
          'pagination_cursor_repeated',
          `The server returned the cursor "${cursor}" a second time; following it would loop forever.`,
        );
      }
      used.add(cursor);
      page = await this.#fetchPage(cursor);
      fetched += 1;
      yield page;
    }
  }

  /** Every item of every page, in order. */
  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    for await (const page of this.pages()) yield* page.data;
  }

  /** Every item of every page (or the first `limit`) in one array. */
  async toArray(options: ToArrayOptions = {}): Promise<T[]> {
    const { limit = Number.POSITIVE_INFINITY } = options;
    if (!(limit >= 0) || (Number.isFinite(limit) && !Number.isInteger(limit))) {
      throw new PrismError('invalid_argument', `limit must be a whole number >= 0, not ${limit}.`);
    }
    const items: T[] = [];
    if (limit === 0) return items;
    for await (const item of this) {
      items.push(item);
      if (items.length >= limit) break;
    }
    return items;
  }
}
