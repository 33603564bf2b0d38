/** Options shared by every Prism error. */
export interface PrismErrorOptions {
  /** What the caller can do about it, in one sentence. */
  hint?: string;
  /** The underlying error, when this one wraps another. */
  cause?: unknown;
}

/**
 * The base class of every error Prism throws on purpose. `code` is stable across
 * releases (match on it, not on the message); `hint` says what to do about it.
 */
export class PrismError extends Error {
  /** Stable, machine-readable error code, e.g. `invalid_argument`. */
  readonly code: string;
  /** What the caller can do about it, when there is something to do. */
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: PrismErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
  }
}
