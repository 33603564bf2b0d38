import { createHash } from 'node:crypto';
import { PrismError } from '../../../errors.js';
import type { FrameworkRef, Section } from '../../../schema/index.js';
import { documentContentHash } from '../../cache.js';
import type { ProviderReply, ReviewableDocument } from '../../types.js';
import { PROMPT_VERSION } from './prompts.js';

/**
 * Where a model provider keeps the model's answers (its own findings, before the `rules`
 * findings are merged in) by {@link modelAnswerKey}, so that an unchanged section is not sent
 * to the model again. Async so it can be remote. Degraded answers are never stored.
 */
export interface ModelAnswerCache {
  /** The answer stored under `key`, or undefined. */
  get(key: string): Promise<ProviderReply | undefined>;
  /** Stores an answer under `key`, replacing any. */
  set(key: string, reply: ProviderReply): Promise<void>;
}

/**
 * The cache key of a model's answer: SHA-256 (hex) of the model client's id, the
 * {@link PROMPT_VERSION}, the framework's `id@version`, and the content hash of what was
 * reviewed: for a section its index, heading and text; for a document (the document-level
 * pass) the hash of its title and every section.
 */
export function modelAnswerKey(
  clientId: string,
  framework: FrameworkRef,
  reviewed: Section | ReviewableDocument,
): string {
  const content =
    'sections' in reviewed
      ? `document:${documentContentHash(reviewed)}`
      : `section:${createHash('sha256')
          .update(JSON.stringify([reviewed.index, reviewed.heading, reviewed.text]))
          .digest('hex')}`;
  return createHash('sha256')
    .update(
      JSON.stringify([clientId, PROMPT_VERSION, `${framework.id}@${framework.version}`, content]),
    )
    .digest('hex');
}

/**
 * A {@link ModelAnswerCache} in memory that keeps the `maxEntries` (default 1,000) most
 * recently used answers. Values are copied in and out, so callers cannot change what is stored.
 *
 * @throws {PrismError} `invalid_argument` when `maxEntries` is not a positive integer.
 */
export class MemoryModelAnswerCache implements ModelAnswerCache {
  readonly #entries = new Map<string, ProviderReply>();
  readonly #maxEntries: number;

  constructor(maxEntries = 1000) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new PrismError(
        'invalid_argument',
        `maxEntries must be a positive integer, not ${maxEntries}.`,
        { hint: 'Give the cache room for at least one answer.' },
      );
    }
    this.#maxEntries = maxEntries;
  }

  /** How many answers are stored. */
  get size(): number {
    return this.#entries.size;
  }

  /** The answer stored under `key` (now the most recently used), or undefined. */
  async get(key: string): Promise<ProviderReply | undefined> {
    const reply = this.#entries.get(key);
    if (reply === undefined) return undefined;
    this.#entries.delete(key);
    this.#entries.set(key, reply);
    return structuredClone(reply);
  }

  /** Stores an answer under `key`, dropping the least recently used beyond `maxEntries`. */
  async set(key: string, reply: ProviderReply): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, structuredClone(reply));
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
