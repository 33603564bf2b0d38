import { HttpPrism } from './http/prism.js';
import { LocalPrism, type LocalPrismOptions } from './local/prism.js';

/**
 * The Prism client. `new Prism({ baseUrl, apiKey })` talks to a Prism server over HTTP;
 * `Prism.local()` runs every operation in-process on the review engine. Both implement the same
 * `PrismClient`, so the rest of your code does not change.
 *
 * @example
 * const prism = Prism.local(); // or new Prism({ baseUrl, apiKey: process.env.PRISM_API_KEY })
 * const { review, findings } = await prism.reviewFile('report.docx');
 * console.log(review.summary?.score, findings.length);
 */
export class Prism extends HttpPrism {
  /** A Prism that runs in-process: the `rules` model and an in-memory store unless told otherwise. */
  static local(options: LocalPrismOptions = {}): LocalPrism {
    return new LocalPrism(options);
  }
}
