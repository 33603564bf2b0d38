import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Connection,
  type ConnectionProvider,
  ConnectionProviderSchema,
  type HttpPrism,
  NotFoundError,
  PrismError,
} from '@prism/sdk';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { reportError } from '../report-error.js';
import {
  reportServerError,
  SERVER_API_OPTIONS,
  SERVER_API_OPTIONS_HELP,
  type ServerApiValues,
  serverClient,
} from '../server-api.js';

const PROVIDERS = ConnectionProviderSchema.options;

/** How long `prism connect` waits by default: the lifetime of an authorization link. */
const DEFAULT_TIMEOUT_SECONDS = 600;

/** The `prism connect --help` text. */
export const CONNECT_USAGE = `Usage: prism connect <${PROVIDERS.join('|')}> [options]

Connects an account on Microsoft 365, Salesforce or Slack to the tenant of the API key, on a
running Prism server: prints the provider's authorization link, to open in a browser and
approve there, then waits until the account is connected. With --connection, connects an
existing connection's account again (one that needs_reauth, say): it keeps its id, so its
watches carry on.

Options:
      --connection <id>     Connect this existing connection again instead of a new one
      --return-url <url>    Where the browser goes once connected (default: a page of the
                            server saying what happened)
      --timeout <seconds>   How long to wait (default ${DEFAULT_TIMEOUT_SECONDS}, the link's lifetime);
                            a new connection not completed by then is removed
${SERVER_API_OPTIONS_HELP}
  -h, --help                Show this help

Exit codes: 0 connected; 1 not connected (declined, failed or timed out); 2 bad usage.
`;

const OPTIONS = {
  connection: { type: 'string' },
  'return-url': { type: 'string' },
  timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_SECONDS) },
  ...SERVER_API_OPTIONS,
} as const;

/** What `prism connect` was given. */
interface ConnectValues extends ServerApiValues {
  connection?: string;
  'return-url'?: string;
  timeout: string;
}

/** How `prism connect` waits for the flow; tests pass a clock and a sleep that take no time. */
export interface ConnectWaiting {
  /** Time between two looks at the connection, in milliseconds. */
  intervalMs: number;
  /** Resolves after `ms` milliseconds. */
  sleep(ms: number): Promise<unknown>;
  /** The current time, in milliseconds. */
  now(): number;
}

/** Looks at the connection every second, on the real clock. */
export const REAL_TIME_WAITING: ConnectWaiting = {
  intervalMs: 1000,
  sleep: (ms) => sleep(ms),
  now: () => Date.now(),
};

function isProvider(word: string): word is ConnectionProvider {
  return (PROVIDERS as readonly string[]).includes(word);
}

/**
 * `prism connect <provider>`: starts connecting an account on the server, prints the
 * authorization link and waits (looking every `waiting.intervalMs`) until the connection is
 * active, is gone (declined or failed at the provider), or `--timeout` passes.
 */
export async function connect(
  argv: string[],
  io: CliIo,
  _version?: string,
  waiting: ConnectWaiting = REAL_TIME_WAITING,
): Promise<number> {
  const parsed = parseCommand<ConnectValues>(argv, io, OPTIONS, CONNECT_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [provider, ...operands] = positionals;
  if (provider === undefined) {
    return usageError(io, `missing provider (${PROVIDERS.join(', ')})`, CONNECT_USAGE);
  }
  if (!isProvider(provider)) {
    return usageError(
      io,
      `unknown provider '${provider}': use ${PROVIDERS.join(', ')}`,
      CONNECT_USAGE,
    );
  }
  if (operands.length > 0) {
    return usageError(io, `unexpected argument '${operands[0]}'`, CONNECT_USAGE);
  }
  const timeoutSeconds = Number(values.timeout);
  if (!(Number.isSafeInteger(timeoutSeconds) && timeoutSeconds >= 1)) {
    return usageError(io, '--timeout must be a whole number of seconds >= 1', CONNECT_USAGE);
  }
  const returnUrl = values['return-url'];
  if (returnUrl !== undefined && !URL.canParse(returnUrl)) {
    return usageError(io, '--return-url must be an absolute URL', CONNECT_USAGE);
  }
  const prism = serverClient(values);
  if (typeof prism === 'string') return usageError(io, prism, CONNECT_USAGE);

  const again = values.connection;
  try {
    const flow = returnUrl === undefined ? {} : { returnUrl };
    if (again !== undefined) await expectProvider(prism, again, provider);
    const started =
      again === undefined
        ? await prism.connections.create({ provider, ...flow })
        : await prism.connections.reauthorize(again, flow);
    io.stderr.write(
      `Open this link in a browser and approve Prism's access (it works once, until ${started.expiresAt}):\n`,
    );
    io.stdout.write(`${started.authorizationUrl}\n`);
    io.stderr.write('Waiting for the connection to complete (Ctrl-C to stop)...\n');
    const deadline = waiting.now() + timeoutSeconds * 1000;
    const outcome = await awaitConnection(prism, started.connection, deadline, waiting);
    if (outcome.status === 'active' && outcome.updatedAt !== started.connection.updatedAt) {
      const account = outcome.account?.name ?? outcome.account?.id ?? '(not named)';
      const verb = again === undefined ? 'Connected' : 'Connected again';
      io.stdout.write(`${verb} ${provider} account ${account} (${outcome.id})\n`);
      return 0;
    }
    if (outcome.status === 'pending') await removeUnfinished(prism, outcome.id);
    reportError(io, 'connect', notConnected(outcome, started.connection, timeoutSeconds));
    return 1;
  } catch (error) {
    reportServerError(io, 'connect', error);
    return 1;
  } finally {
    await prism.close();
  }
}

/** Refuses to connect `connectionId` again as a `provider` account when it is of another. */
async function expectProvider(
  prism: HttpPrism,
  connectionId: string,
  provider: ConnectionProvider,
): Promise<void> {
  const existing = await prism.connections.get(connectionId);
  if (existing.provider === provider) return;
  throw new PrismError(
    'connection_mismatch',
    `Connection ${connectionId} is a ${existing.provider} connection, not ${provider}.`,
    { hint: `Run 'prism connect ${existing.provider} --connection ${connectionId}'.` },
  );
}

/** Why a connection was not made: gone at the provider, no longer pending, or out of time. */
type Outcome = Connection | { status: 'gone'; id: string; provider: ConnectionProvider };

/**
 * The connection once its flow completed (a new one no longer pending, one connected again
 * changed), or `gone` once it no longer exists; as it was when `deadline` passes.
 */
async function awaitConnection(
  prism: HttpPrism,
  started: Connection,
  deadline: number,
  waiting: ConnectWaiting,
): Promise<Outcome> {
  let current = started;
  for (let left = deadline - waiting.now(); left > 0; left = deadline - waiting.now()) {
    await waiting.sleep(Math.min(waiting.intervalMs, left));
    try {
      current = await prism.connections.get(started.id);
    } catch (error) {
      if (error instanceof NotFoundError) {
        return { status: 'gone', id: started.id, provider: started.provider };
      }
      throw error;
    }
    if (current.status !== 'pending' && current.updatedAt !== started.updatedAt) return current;
  }
  return current;
}

/** Deletes a connection left pending, so that a late approval connects nothing; gone is fine. */
async function removeUnfinished(prism: HttpPrism, connectionId: string): Promise<void> {
  try {
    await prism.connections.delete(connectionId);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
}

/** The error line of a connection that did not become active. */
function notConnected(outcome: Outcome, started: Connection, timeoutSeconds: number): PrismError {
  const reconnecting = started.status !== 'pending';
  const again = reconnecting
    ? `Run 'prism connect ${outcome.provider} --connection ${started.id}' again`
    : `Run 'prism connect ${outcome.provider}' again`;
  if (reconnecting && outcome.status !== 'gone' && outcome.updatedAt === started.updatedAt) {
    return new PrismError(
      'connect_timeout',
      `The ${outcome.provider} connection ${outcome.id} was not connected again within ${timeoutSeconds} s; it is still ${outcome.status}.`,
      { hint: `${again}, and approve the access in the browser before it times out.` },
    );
  }
  if (outcome.status === 'gone') {
    return new PrismError(
      'connection_not_completed',
      `The ${outcome.provider} connection ${outcome.id} was not completed: access was declined, or the flow failed at ${outcome.provider} (the browser page says why).`,
      { hint: `${again}, and approve the access Prism asks for.` },
    );
  }
  if (outcome.status === 'pending') {
    return new PrismError(
      'connect_timeout',
      `The ${outcome.provider} connection ${outcome.id} was not completed within ${timeoutSeconds} s; it has been removed.`,
      { hint: `${again}, and approve the access in the browser before it times out.` },
    );
  }
  return new PrismError(
    'connection_not_active',
    `The ${outcome.provider} connection ${outcome.id} is ${outcome.status}, not active.`,
    { hint: `${again}; 'prism connections' shows the connections.` },
  );
}
