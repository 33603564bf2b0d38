import type { Connection, HttpPrism } from '@prism/sdk';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { alignedColumns } from '../output/columns.js';
import {
  reportServerError,
  SERVER_API_OPTIONS,
  SERVER_API_OPTIONS_HELP,
  type ServerApiValues,
  serverClient,
} from '../server-api.js';

/** The `prism connections --help` text. */
export const CONNECTIONS_USAGE = `Usage: prism connections [list] [options]
       prism connections delete <connection id> [options]

Shows and removes the accounts on Microsoft 365, Salesforce and Slack connected to the tenant
of the API key, on a running Prism server ('prism connect' connects one).

Commands:
  list                      List the connections (the default)
  delete <connection id>    Disconnect: revoke Prism's access at the provider, then forget
                            the connection and its tokens

Options:
      --json                Print the list as JSON (list)
${SERVER_API_OPTIONS_HELP}
  -h, --help                Show this help

Exit codes: 0 done; 1 failed (e.g. no such connection); 2 bad usage.
`;

const OPTIONS = { json: { type: 'boolean' }, ...SERVER_API_OPTIONS } as const;

/** What `prism connections` was given. */
interface ConnectionsValues extends ServerApiValues {
  json?: boolean;
}

/** `prism connections [list]|delete <id>`: lists a tenant's connections or disconnects one. */
export async function connections(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<ConnectionsValues>(argv, io, OPTIONS, CONNECTIONS_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action = 'list', ...operands] = positionals;
  if (action !== 'list' && action !== 'delete') {
    return usageError(io, `unknown connections command '${action}'`, CONNECTIONS_USAGE);
  }
  const expected = action === 'delete' ? 1 : 0;
  if (operands.length < expected) {
    return usageError(io, 'missing the id of the connection to delete', CONNECTIONS_USAGE);
  }
  if (operands.length > expected) {
    return usageError(io, `unexpected argument '${operands[expected]}'`, CONNECTIONS_USAGE);
  }
  if (action === 'delete' && values.json) {
    return usageError(io, `--json is only for 'connections list'`, CONNECTIONS_USAGE);
  }
  const prism = serverClient(values);
  if (typeof prism === 'string') return usageError(io, prism, CONNECTIONS_USAGE);

  try {
    if (action === 'list') await listConnections(prism, values.json === true, io);
    else await deleteConnection(prism, operands[0] ?? '', io);
    return 0;
  } catch (error) {
    reportServerError(io, `connections ${action}`, error);
    return 1;
  } finally {
    await prism.close();
  }
}

async function listConnections(prism: HttpPrism, json: boolean, io: CliIo): Promise<void> {
  const all = await prism.connections.list({ limit: 100 }).toArray();
  if (json) io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  else if (all.length === 0) io.stdout.write("No connections; 'prism connect' makes one\n");
  else io.stdout.write(formatConnectionTable(all));
}

async function deleteConnection(prism: HttpPrism, connectionId: string, io: CliIo): Promise<void> {
  const connection = await prism.connections.get(connectionId);
  await prism.connections.delete(connectionId);
  if (connection.status === 'pending') {
    io.stdout.write(
      `Deleted the pending ${connection.provider} connection ${connection.id}; no account had been connected\n`,
    );
    return;
  }
  io.stdout.write(
    `Disconnected ${connection.provider} account ${accountLabel(connection)} (${connection.id}): Prism's access was revoked at ${connection.provider} and its tokens deleted\n`,
  );
}

/** The account's name, else its id; `-` before it is known. */
function accountLabel(connection: Connection): string {
  return connection.account?.name ?? connection.account?.id ?? '-';
}

/** The connections as aligned columns under a header; `-` for what is not known. */
function formatConnectionTable(all: Connection[]): string {
  return alignedColumns(
    ['ID', 'PROVIDER', 'STATUS', 'ACCOUNT', 'SCOPES', 'TOKEN EXPIRES'],
    all.map((connection) => [
      connection.id,
      connection.provider,
      connection.status,
      accountLabel(connection).replace(/\s+/g, ' '),
      connection.scopes.length === 0 ? '-' : connection.scopes.join(','),
      connection.expiresAt ?? '-',
    ]),
  );
}
