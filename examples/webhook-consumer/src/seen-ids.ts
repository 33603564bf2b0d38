/** How many delivery ids {@link SeenIds} remembers by default. */
export const DEFAULT_SEEN_IDS_CAPACITY = 10_000;

/**
 * The `webhook-id`s already handled, the oldest forgotten first once `capacity` is reached.
 * Prism retries a delivery with the same id, so a repeated id is a retry to acknowledge, not a
 * new event.
 */
export class SeenIds {
  readonly #ids = new Set<string>();

  constructor(readonly capacity = DEFAULT_SEEN_IDS_CAPACITY) {}

  /** Whether `id` was added and not yet forgotten. */
  has(id: string): boolean {
    return this.#ids.has(id);
  }

  /** Remembers `id`, forgetting the oldest id when full. */
  add(id: string): void {
    this.#ids.delete(id);
    this.#ids.add(id);
    if (this.#ids.size > this.capacity) {
      const [oldest] = this.#ids;
      if (oldest !== undefined) this.#ids.delete(oldest);
    }
  }

  /** Forgets `id`, so that a retry of it is handled again. */
  delete(id: string): void {
    this.#ids.delete(id);
  }
}
