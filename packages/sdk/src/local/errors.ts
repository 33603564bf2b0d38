import { PrismError } from '../errors.js';

/**
 * An operation that needs a Prism server (OAuth connections and what depends on them) was
 * called on `Prism.local()`. The hint says what to do instead.
 */
export class NotSupportedLocallyError extends PrismError {
  declare readonly code: 'not_supported_locally';

  /** `what` cannot run in-process `because ...`. */
  constructor(what: string, because: string) {
    super('not_supported_locally', `${what} are not available in-process: ${because}.`, {
      hint: 'Run a Prism server (`prism serve`) and use `new Prism({ baseUrl, apiKey })` for this.',
    });
  }
}
