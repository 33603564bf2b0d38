import type { HttpRequest, HttpResponse } from 'jsforce';
import { Transport } from 'jsforce/lib/transport.js';
import { StreamPromise } from 'jsforce/lib/util/promise.js';
import { OAuthError } from '../types.js';

const UNAVAILABLE_HINT = 'Salesforce is unavailable or busy; try again in a few minutes.';

/**
 * How jsforce's `OAuth2` client reaches Salesforce's OAuth endpoints here: through the runtime's
 * `fetch` (the server's one HTTP stack, with its global dispatcher) instead of
 * jsforce's private HTTP agent, with a time limit, never following a redirect (a form holding a
 * secret goes only where it was addressed), and without jsforce's retries. Failures of the service
 * itself (no answer in time, network error, HTTP 5xx or 429) become an {@link OAuthError}
 * `provider_unavailable`; any other answer goes back to `OAuth2`, which reads its status and body.
 */
export class SalesforceOAuthTransport extends Transport {
  readonly #timeoutMs: number;

  /** @param timeoutMs How long to wait for each answer. */
  constructor(timeoutMs: number) {
    super();
    this.#timeoutMs = timeoutMs;
  }

  /** Sends one request (`OAuth2` sends its forms as strings) and resolves with the answer. */
  override httpRequest(request: HttpRequest): StreamPromise<HttpResponse> {
    return new StreamPromise<HttpResponse>((resolve, reject) => {
      this.#send(request).then(resolve, reject);
    });
  }

  async #send(request: HttpRequest): Promise<HttpResponse> {
    let response: Response;
    let body: string;
    try {
      response = await fetch(request.url, {
        method: request.method,
        headers: { accept: 'application/json', ...request.headers },
        body: typeof request.body === 'string' ? request.body : undefined,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      throw new OAuthError(
        'provider_unavailable',
        timedOut
          ? `Salesforce did not answer within ${this.#timeoutMs} ms.`
          : 'Salesforce could not be reached.',
        { hint: UNAVAILABLE_HINT, cause: error },
      );
    }
    if (response.status >= 500 || response.status === 429) {
      throw new OAuthError('provider_unavailable', `Salesforce answered HTTP ${response.status}.`, {
        hint: UNAVAILABLE_HINT,
      });
    }
    return { statusCode: response.status, headers: Object.fromEntries(response.headers), body };
  }
}
