import {
  AuthenticationHandler,
  Client,
  type Context,
  GraphClientError,
  HTTPMessageHandler,
  type Middleware,
  RedirectHandler,
  RetryHandler,
  RetryHandlerOptions,
} from '@microsoft/microsoft-graph-client';
import Bottleneck from 'bottleneck';

/** Gives a current access token for Microsoft Graph (a connection's, or an app-only one). */
export type AccessTokenSource = () => Promise<string>;

/** How a Graph client of the connector sends its requests. */
export interface GraphClientOptions {
  /** Where access tokens come from: the hub's token provider for one connection. */
  accessToken: AccessTokenSource;
  /**
   * The limiter every request of this client waits for: share one per Microsoft tenant, so a
   * burst of uploads never becomes a storm of requests. Default: {@link createGraphLimiter}().
   */
  limiter?: Bottleneck;
  /** Retries of a throttled (429) or unavailable (503, 504) request, honouring `Retry-After`. Default 3. */
  maxRetries?: number;
  /** The wait before a retry when Graph gives no `Retry-After`, in seconds. Default 3. */
  retryDelaySeconds?: number;
}

/** Graph's documented service limits leave room for this many requests a second per tenant. */
export const DEFAULT_GRAPH_REQUESTS_PER_SECOND = 10;

/** Requests in flight at once per tenant by default. */
export const DEFAULT_GRAPH_CONCURRENCY = 4;

/**
 * The window a limiter's rate counts over, in milliseconds: a second and a tenth of slack, so
 * that requests started within the rate still arrive within it at Graph despite network jitter.
 */
export const GRAPH_RATE_WINDOW_MS = 1100;

/**
 * A limiter for one Microsoft tenant's Graph requests: at most `requestsPerSecond` started in
 * any {@link GRAPH_RATE_WINDOW_MS} (each start takes one from a reservoir and gives it back a
 * window later: a sliding window, where a reservoir refilled each second would let twice the
 * rate through across a refill), and at most `concurrency` in flight.
 */
export function createGraphLimiter(
  requestsPerSecond = DEFAULT_GRAPH_REQUESTS_PER_SECOND,
  concurrency = DEFAULT_GRAPH_CONCURRENCY,
): Bottleneck {
  return new Bottleneck({ maxConcurrent: concurrency, reservoir: requestsPerSecond });
}

/** The middleware that makes each request (retries included) wait for the limiter. */
class LimiterHandler implements Middleware {
  readonly #limiter: Bottleneck;
  #next: Middleware | undefined;

  constructor(limiter: Bottleneck) {
    this.#limiter = limiter;
  }

  execute(context: Context): Promise<void> {
    const next = this.#next;
    if (next === undefined) throw new Error('LimiterHandler needs a next middleware.');
    return this.#limiter.schedule(() => {
      // What this start took from the reservoir comes back a window later.
      setTimeout(() => {
        this.#limiter.incrementReservoir(1).catch(() => undefined);
      }, GRAPH_RATE_WINDOW_MS);
      return next.execute(context);
    });
  }

  setNext(next: Middleware): void {
    this.#next = next;
  }
}

/**
 * The access token from `source`; its failure (a connection needing reauthorisation, say) is
 * carried through the Graph client as a `GraphClientError`, which the client throws as it is,
 * so `graphFailure` gives it back instead of a network failure.
 */
async function carryTokenFailure(source: AccessTokenSource): Promise<string> {
  try {
    return await source();
  } catch (error) {
    const carried = new GraphClientError(error instanceof Error ? error.message : String(error));
    carried.customError = error;
    throw carried;
  }
}

/**
 * A Microsoft Graph client (`@microsoft/microsoft-graph-client`) whose middleware chain is:
 * authentication from `accessToken`, Graph's retry handler (429, 503 and 504, honouring
 * `Retry-After`, exponential otherwise), redirects, then the per-tenant limiter in front of
 * every attempt, then the global `fetch`.
 */
export function createGraphClient(options: GraphClientOptions): Client {
  const authentication = new AuthenticationHandler({
    getAccessToken: () => carryTokenFailure(options.accessToken),
  });
  const retry = new RetryHandler(
    new RetryHandlerOptions(options.retryDelaySeconds ?? 3, options.maxRetries ?? 3),
  );
  const redirect = new RedirectHandler();
  const limiter = new LimiterHandler(options.limiter ?? createGraphLimiter());
  const http = new HTTPMessageHandler();
  authentication.setNext(retry);
  retry.setNext(redirect);
  redirect.setNext(limiter);
  limiter.setNext(http);
  return Client.initWithMiddleware({ middleware: authentication, defaultVersion: 'v1.0' });
}
