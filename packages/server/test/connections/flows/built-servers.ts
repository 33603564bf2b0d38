import type * as ServerModule from '../../../src/server.js';
import type { ServerOptions } from '../../../src/server.js';

/** What every `buildServer` call of the test file was given, in order. */
const built: ServerOptions[] = [];

/**
 * The server module with `buildServer` recording its options before building as usual: a
 * test file mocks `src/server.js` with it to reach the service and connection hub that
 * `startServer` assembled.
 */
export function recordBuiltServers(actual: typeof ServerModule): typeof ServerModule {
  return {
    ...actual,
    buildServer: (options) => {
      built.push(options);
      return actual.buildServer(options);
    },
  };
}

/** The options of the latest server built. */
export function latestServerOptions(): ServerOptions {
  const options = built.at(-1);
  if (options === undefined) {
    throw new Error('No server was built: mock src/server.js with recordBuiltServers first.');
  }
  return options;
}
