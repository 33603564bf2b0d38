import type { Dispatcher } from 'undici';
import type { AttemptAbort } from './attempt-abort.js';
import { fetchWire, globalFetch } from './wire-fetch.js';
import { undiciWire } from './wire-undici.js';

/** A `fetch` function: the global one, or any implementation with its signature. */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** One HTTP attempt, ready to send. */
export interface WireRequest {
  /** The HTTP method, upper case. */
  method: string;
  /** The server's origin: `https://prism.example.com`. */
  origin: string;
  /** The request target after the origin: the path and the query, `/v2/reviews?limit=10`. */
  target: string;
  /** The request headers, names lower case. */
  headers: Record<string, string>;
  /** A JSON text, a multipart form, or nothing. */
  body: string | FormData | undefined;
}

/** The response to one attempt; its body is read once, until the attempt ends. */
export interface WireResponse {
  /** The HTTP status. */
  readonly status: number;
  /** All the response headers. */
  readonly headers: Headers;
  /** One response header by its lower-case name (values of a repeated one joined by `, `). */
  header(name: string): string | undefined;
  /** Reads the whole body as text. */
  text(): Promise<string>;
  /** Reads the whole body as bytes. */
  bytes(): Promise<Uint8Array>;
  /** The body's chunks as they arrive. */
  stream(): AsyncIterable<Uint8Array>;
}

/** Sends attempts over some HTTP client. */
export interface Wire {
  /**
   * Sends one attempt, which `abort` ends (sending it and reading its body); rejects when no
   * response arrives (connection failure, or the attempt ended).
   */
  send(request: WireRequest, abort: AttemptAbort): Promise<WireResponse>;
  /** Closes the connections this wire opened (not a caller's dispatcher). */
  close(): Promise<void>;
}

/** How the transport reaches the server. */
export interface WireOptions {
  /** A `fetch` to use instead of undici (for tests with msw, or runtimes without undici). */
  fetch?: Fetch | undefined;
  /** An undici dispatcher (an `Agent`, a `ProxyAgent`, a `MockAgent`...) to send through. */
  dispatcher?: Dispatcher | undefined;
}

/**
 * The wire for `options`: the caller's `fetch`; else, in Node (or with a caller's undici
 * dispatcher), undici: the caller's dispatcher or one keep-alive `Pool` per origin; else (browsers,
 * workers, edge functions) the global `fetch`, without loading undici at all.
 */
export function createWire(options: WireOptions): Wire {
  if (options.fetch) return fetchWire(options.fetch);
  if (options.dispatcher || isNode()) return undiciWire(options.dispatcher);
  return fetchWire(globalFetch);
}

/** Whether this runs in Node (or a runtime that presents itself as Node, as Bun and Deno do). */
function isNode(): boolean {
  return typeof globalThis.process?.versions?.node === 'string';
}
