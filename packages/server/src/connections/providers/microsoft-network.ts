import {
  AuthError,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';

/**
 * The `errorCode` of the MSAL error {@link createMicrosoftNetwork} throws when Microsoft Entra
 * ID could not be reached or failed (a 5xx or 429 answer, a timeout, a connection error).
 */
export const MICROSOFT_UNAVAILABLE = 'prism_microsoft_unavailable';

/** How long a request to Microsoft Entra ID may take, unless the settings say otherwise. */
export const MICROSOFT_DEFAULT_TIMEOUT_MS = 10_000;

/**
 * MSAL's network client for Prism: `fetch` with a timeout on every request (MSAL's own client
 * has none for token requests, so a hung token endpoint would hold a connection's refresh lock
 * for ever), and an answer Prism cannot use (a 5xx or 429 status, a body that is not JSON, no
 * answer at all) thrown as an MSAL `AuthError` coded {@link MICROSOFT_UNAVAILABLE}, which MSAL
 * passes through unchanged. MSAL's own handling would keep only the error body of a 5xx answer,
 * not its status, and could not tell an outage from a refusal.
 */
export function createMicrosoftNetwork(timeoutMs: number): INetworkModule {
  async function send<T>(
    url: string,
    method: 'GET' | 'POST',
    options: NetworkRequestOptions | undefined,
  ): Promise<NetworkResponse<T>> {
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        headers: options?.headers ?? {},
        ...(method === 'POST' ? { body: options?.body ?? '' } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      throw unavailable(
        error instanceof Error && error.name === 'TimeoutError'
          ? `did not answer within ${timeoutMs} ms`
          : 'could not be reached',
      );
    }
    if (response.status >= 500 || response.status === 429) {
      // Read to the end, so the connection can be reused; what it says does not matter.
      await response.arrayBuffer().catch(() => undefined);
      throw unavailable(`answered HTTP ${response.status}`);
    }
    let body: T;
    try {
      body = (await response.json()) as T;
    } catch {
      throw unavailable(`answered HTTP ${response.status} with a body that is not JSON`);
    }
    return { headers: Object.fromEntries(response.headers), body, status: response.status };
  }

  return {
    sendGetRequestAsync: (url, options) => send(url, 'GET', options),
    sendPostRequestAsync: (url, options) => send(url, 'POST', options),
  };
}

function unavailable(what: string): AuthError {
  return new AuthError(MICROSOFT_UNAVAILABLE, '', `Microsoft Entra ID ${what}`);
}
