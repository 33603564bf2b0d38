import { type Connection, type ConnectionProvider, type HttpPrism, PrismError } from '@prism/sdk';

/** The help line of the `--connection` option of the commands that act through a connection. */
export const CONNECTION_OPTION_HELP = `      --connection <id>     The connection to act through (default: the tenant's only
                            active one of the platform; 'prism connections' lists them)`;

/**
 * The id of the connection a command acts through: `given`, else the tenant's one active
 * connection of `provider`.
 *
 * @throws {PrismError} `connection_missing` when the tenant has no active connection of
 *   `provider`; `connection_ambiguous` when it has several (naming them).
 */
export async function chooseConnection(
  prism: HttpPrism,
  provider: ConnectionProvider,
  given: string | undefined,
): Promise<string> {
  if (given !== undefined) return given;
  const active = (await prism.connections.list({ limit: 100 }).toArray()).filter(
    (connection) => connection.provider === provider && connection.status === 'active',
  );
  const [only, ...others] = active;
  if (only === undefined) {
    throw new PrismError('connection_missing', `The tenant has no active ${provider} connection.`, {
      hint: `Run 'prism connect ${provider}' first, then run this again.`,
    });
  }
  if (others.length > 0) {
    throw new PrismError(
      'connection_ambiguous',
      `The tenant has ${active.length} active ${provider} connections: ${active.map(describe).join(', ')}.`,
      { hint: 'Pass --connection <id> to choose one.' },
    );
  }
  return only.id;
}

function describe(connection: Connection): string {
  const account = connection.account?.name ?? connection.account?.id;
  return account === undefined ? connection.id : `${connection.id} (${account})`;
}
