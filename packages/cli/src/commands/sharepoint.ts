import type { HttpPrism, WatchPreparation } from '@prism/sdk';
import { CONNECTION_OPTION_HELP, chooseConnection } from '../connection-choice.js';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { alignedColumns } from '../output/columns.js';
import {
  reportServerError,
  SERVER_API_OPTIONS,
  SERVER_API_OPTIONS_HELP,
  type ServerApiValues,
  serverClient,
} from '../server-api.js';

/** The `prism sharepoint --help` text. */
export const SHAREPOINT_USAGE = `Usage: prism sharepoint setup <library or folder URL> [options]

Prepares a SharePoint document library for Prism on a running Prism server, without watching
it: checks that the connected Microsoft account can open the library or folder (its address as
the browser shows it, or a sharing link) and creates the Prism columns the library lacks
(status, score, risk, finding counts, review link, error). Running it again creates nothing.
Creating columns needs the Microsoft Graph permission Sites.Manage.All; 'prism watch
sharepoint' does the same before it watches.

Options:
${CONNECTION_OPTION_HELP}
      --json                Print the result as JSON
${SERVER_API_OPTIONS_HELP}
  -h, --help                Show this help

Exit codes: 0 prepared; 1 failed (e.g. no such library, access denied); 2 bad usage.
`;

const OPTIONS = {
  connection: { type: 'string' },
  json: { type: 'boolean' },
  ...SERVER_API_OPTIONS,
} as const;

/** What `prism sharepoint` was given. */
interface SharePointValues extends ServerApiValues {
  connection?: string;
  json?: boolean;
}

/** `prism sharepoint setup <url>`: creates a library's missing Prism columns. */
export async function sharepoint(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<SharePointValues>(argv, io, OPTIONS, SHAREPOINT_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, target, ...extra] = positionals;
  if (action === undefined)
    return usageError(io, 'missing sharepoint command (setup)', SHAREPOINT_USAGE);
  if (action !== 'setup') {
    return usageError(io, `unknown sharepoint command '${action}'`, SHAREPOINT_USAGE);
  }
  if (target === undefined) {
    return usageError(io, 'missing the address of the library or folder', SHAREPOINT_USAGE);
  }
  if (extra.length > 0)
    return usageError(io, `unexpected argument '${extra[0]}'`, SHAREPOINT_USAGE);
  const prism = serverClient(values);
  if (typeof prism === 'string') return usageError(io, prism, SHAREPOINT_USAGE);

  try {
    const preparation = await setUp(prism, target, values.connection);
    io.stdout.write(
      values.json ? `${JSON.stringify(preparation, null, 2)}\n` : describePreparation(preparation),
    );
    return 0;
  } catch (error) {
    reportServerError(io, 'sharepoint setup', error);
    return 1;
  } finally {
    await prism.close();
  }
}

async function setUp(
  prism: HttpPrism,
  target: string,
  connection: string | undefined,
): Promise<WatchPreparation> {
  const connectionId = await chooseConnection(prism, 'microsoft', connection);
  return prism.watches.prepare({ connectionId, kind: 'sharepoint', target });
}

/** What was prepared: one line per column, then a count. */
function describePreparation(preparation: WatchPreparation): string {
  const fields = preparation.resultFields;
  const created = fields.filter((field) => field.created).length;
  const table = alignedColumns(
    ['COLUMN', 'SHOWN AS', 'STATE'],
    fields.map((field) => [field.name, field.displayName, field.created ? 'created' : 'present']),
  );
  const summary =
    created === 0
      ? `The library has every Prism column already (${fields.length}); nothing was changed.`
      : `Created ${created} of the ${fields.length} Prism columns.`;
  return `Prepared ${preparation.target} through connection ${preparation.connectionId}\n${table}${summary}\n`;
}
