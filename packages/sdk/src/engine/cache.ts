import { createHash } from 'node:crypto';
import { PrismError } from '../errors.js';
import type { FrameworkRef } from '../schema/index.js';
import type { ProviderFinding, ReviewableDocument } from './types.js';

/**
 * What the cache keeps of a finished review: the provider's findings, before learning, so that
 * preferences changed since are still applied (learning and scoring are cheap and deterministic).
 */
export interface CachedReview {
  /** Every finding the provider reported, document-level first, then in section order. */
  findings: ProviderFinding[];
}

/** Where finished reviews are kept by {@link reviewCacheKey}; async so it can be remote. */
export interface ResultCache {
  /** The review stored under `key`, or undefined. */
  get(key: string): Promise<CachedReview | undefined>;
  /** Stores a review under `key`, replacing any. */
  set(key: string, review: CachedReview): Promise<void>;
}

/**
 * SHA-256 (hex) over what a review reads of a document: its title and each section's index,
 * heading, level and text, framed so that moving text across a section boundary changes it.
 */
export function documentContentHash(document: ReviewableDocument): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify(document.title));
  for (const section of document.sections) {
    hash.update(
      `\n${JSON.stringify([section.index, section.heading, section.level, section.text])}`,
    );
  }
  return hash.digest('hex');
}

/**
 * The cache key of a review: SHA-256 (hex) of the document's content hash, the framework's
 * `id@version` and the provider id (which names the model, e.g. `bedrock:anthropic.claude-...`).
 */
export function reviewCacheKey(
  document: ReviewableDocument,
  framework: FrameworkRef,
  providerId: string,
): string {
  return createHash('sha256')
    .update(`${documentContentHash(document)}\n${framework.id}@${framework.version}\n${providerId}`)
    .digest('hex');
}

/**
 * A {@link ResultCache} in memory that keeps the `maxEntries` (default 100) most recently used
 * reviews. Values are copied in and out, so callers cannot change what is stored.
 */
export class MemoryResultCache implements ResultCache {
  readonly #entries = new Map<string, CachedReview>();
  readonly #maxEntries: number;

  constructor(maxEntries = 100) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new PrismError(
        'invalid_argument',
        `maxEntries must be a positive integer, not ${maxEntries}.`,
        {
          hint: 'Give the cache room for at least one review.',
        },
      );
    }
    this.#maxEntries = maxEntries;
  }

  /** How many reviews are stored. */
  get size(): number {
    return this.#entries.size;
  }

  /** The review stored under `key` (now the most recently used), or undefined. */
  async get(key: string): Promise<CachedReview | undefined> {
    const review = this.#entries.get(key);
    if (review === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, review);
    return structuredClone(review);
  }

  /** Stores a review under `key`, dropping the least recently used beyond `maxEntries`. */
  async set(key: string, review: CachedReview): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, structuredClone(review));
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
