import packageJson from '../package.json' with { type: 'json' };
import { AUDIT_USAGE, audit } from './commands/audit.js';
import { CONNECT_USAGE, connect } from './commands/connect.js';
import { CONNECTIONS_USAGE, connections } from './commands/connections.js';
import { KEYS_USAGE, keys } from './commands/keys.js';
import { MIGRATE_USAGE, migrateDatabase } from './commands/migrate.js';
import { REVIEW_USAGE, review } from './commands/review.js';
import { SERVE_USAGE, serve } from './commands/serve.js';
import { SHAREPOINT_USAGE, sharepoint } from './commands/sharepoint.js';
import { VAULT_USAGE, vault } from './commands/vault.js';
import { WATCH_USAGE, watch } from './commands/watch.js';
import { WORKER_USAGE, worker } from './commands/worker.js';
import { type CliIo, processIo, usageError } from './io.js';

/** The `prism --help` text. */
export const USAGE = `Usage: prism <command> [options]

Commands:
  review <files or globs...>  Review documents offline against a framework
  serve                       Run the Prism server
  worker                      Run queued reviews for Prism servers, without the API
  migrate                     Bring the server's database schema up to date
  keys <create|list|revoke>   Manage a tenant's API keys in the server's database
  audit verify                Check the hash chain of a tenant's audit log
  vault <key|rotate>          Make a token encryption key; re-encrypt stored tokens under it
  connect <provider>          Connect a Microsoft, Salesforce or Slack account on a server
  connections [list|delete]   List a server's connected accounts, or disconnect one
  sharepoint setup <url>      Create the Prism columns in a SharePoint library
  watch [sharepoint|list|delete]
                              Review every new document of a SharePoint library from now on
  help [command]              Show help

Options:
  -h, --help                  Show this help
  -v, --version               Print the version

Run 'prism <command> --help' for a command's options.
`;

type Command = (argv: string[], io: CliIo, version: string) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  review: { run: review, usage: REVIEW_USAGE },
  serve: { run: serve, usage: SERVE_USAGE },
  worker: { run: worker, usage: WORKER_USAGE },
  migrate: { run: migrateDatabase, usage: MIGRATE_USAGE },
  keys: { run: keys, usage: KEYS_USAGE },
  audit: { run: audit, usage: AUDIT_USAGE },
  vault: { run: vault, usage: VAULT_USAGE },
  connect: { run: connect, usage: CONNECT_USAGE },
  connections: { run: connections, usage: CONNECTIONS_USAGE },
  sharepoint: { run: sharepoint, usage: SHAREPOINT_USAGE },
  watch: { run: watch, usage: WATCH_USAGE },
};

/**
 * Runs the `prism` command line with `argv` (the arguments after the executable and script) and
 * resolves to the process exit code: 0 on success, 1 when the command failed (or, for
 * `review --fail-on`, found what it was told to fail on; for `audit verify`, found the chain
 * broken), 2 on a usage error.
 */
export async function main(argv: readonly string[], io: CliIo = processIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) return usageError(io, 'missing command', USAGE);
  if (first === '-v' || first === '--version') {
    if (rest.length > 0) return usageError(io, `unexpected argument '${rest[0]}'`, USAGE);
    io.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]];
    io.stdout.write(topic?.usage ?? USAGE);
    return 0;
  }
  if (first.startsWith('-')) {
    const [flag] = first.split('=');
    const known = flag === '--version' || flag === '--help';
    const message = known ? `option '${flag}' takes no value` : `unknown option '${flag}'`;
    return usageError(io, message, USAGE);
  }
  const command = COMMANDS[first];
  if (!command) return usageError(io, `unknown command '${first}'`, USAGE);
  return command.run(rest, io, packageJson.version);
}
