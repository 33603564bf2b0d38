import type { Client } from '@microsoft/microsoft-graph-client';
import type Bottleneck from 'bottleneck';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { createGraphClient, createGraphLimiter } from '../../src/graph/graph-client.js';
import { FakeLibrary } from './fake-library.js';

/** The access token the connection's token provider hands out. */
export const ACCESS_TOKEN =
  'eyJ0eXAiOiJKV1QiLCJub25jZSI6IkFRQUJBQUFBQUFEQ29NcGpKWHJ4VHE5Vkc5dGUtN0ZYIn0.e30.sig';

/** What each test works with: a fresh fake library and a Graph client pointed at it. */
export interface SinkHarness {
  library: FakeLibrary;
  client: Client;
  limiter: Bottleneck;
}

/** Starts msw for the file and gives each test a fresh library and client. */
export function useFakeLibrary(): () => SinkHarness {
  const server = setupServer();
  let current: SinkHarness | undefined;
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(() => {
    const library = new FakeLibrary();
    server.use(...library.handlers());
    const limiter = createGraphLimiter(1000, 4);
    const client = createGraphClient({
      accessToken: async () => ACCESS_TOKEN,
      limiter,
      retryDelaySeconds: 0,
    });
    current = { library, client, limiter };
  });
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return () => {
    if (current === undefined) throw new Error('The harness is only ready inside a test.');
    return current;
  };
}
