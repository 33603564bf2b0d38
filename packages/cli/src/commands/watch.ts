import type { HttpPrism, Watch, WatchCreate } from '@prism/sdk';
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

/** The `prism watch --help` text. */
export const WATCH_USAGE = `Usage: prism watch sharepoint <library or folder URL> [options]
       prism watch list [options]
       prism watch delete <watch id> [options]

Reviews every new or changed document in a SharePoint library or folder from now on, on a
running Prism server: each result is written to the file's Prism columns and, for a .docx, a
copy with the findings as Word comments is uploaded. The server needs Microsoft connections,
PRISM_ENCRYPTION_KEYS and an https PRISM_PUBLIC_URL that Microsoft Graph can reach.

Commands:
  sharepoint <url>          Watch a library or folder: its address as the browser shows it,
                            or a sharing link; subfolders are watched too
  list                      List the watches (the default)
  delete <watch id>         Stop watching; past reviews are kept

Options:
${CONNECTION_OPTION_HELP}
      --types <list>        File types reviewed, comma-separated, e.g. docx,pdf (default:
                            every format Prism reads: docx, pdf, md, txt, html)
      --results-folder <path>
                            The folder, from the library's root, reviewed copies go into;
                            created when missing (default: next to each original)
      --framework <id>      The framework reviews use (default: the server's)
      --model <spec>        The model reviews use (default: the server's)
      --json                Print the watch or the list as JSON
${SERVER_API_OPTIONS_HELP}
  -h, --help                Show this help

Exit codes: 0 done; 1 failed (e.g. no such library, no connection); 2 bad usage.
`;

const OPTIONS = {
  connection: { type: 'string' },
  types: { type: 'string' },
  'results-folder': { type: 'string' },
  framework: { type: 'string' },
  model: { type: 'string' },
  json: { type: 'boolean' },
  ...SERVER_API_OPTIONS,
} as const;

/** What `prism watch` was given. */
interface WatchValues extends ServerApiValues {
  connection?: string;
  types?: string;
  'results-folder'?: string;
  framework?: string;
  model?: string;
  json?: boolean;
}

/** The options only `prism watch sharepoint` takes. */
const CREATE_ONLY = ['connection', 'types', 'results-folder', 'framework', 'model'] as const;

/** `prism watch sharepoint <url>|list|delete <id>`: manages a tenant's watches. */
export async function watch(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<WatchValues>(argv, io, OPTIONS, WATCH_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action = 'list', ...operands] = positionals;
  const mistake = usageMistake(action, operands, values);
  if (mistake !== undefined) return usageError(io, mistake, WATCH_USAGE);
  const prism = serverClient(values);
  if (typeof prism === 'string') return usageError(io, prism, WATCH_USAGE);

  try {
    if (action === 'sharepoint') {
      const created = await createWatch(prism, operands[0] ?? '', values);
      io.stdout.write(
        values.json ? `${JSON.stringify(created, null, 2)}\n` : describeWatch(created),
      );
    } else if (action === 'list') {
      await listWatches(prism, values.json === true, io);
    } else {
      await prism.watches.delete(operands[0] ?? '');
      io.stdout.write(`Stopped watch ${operands[0]}; its past reviews are kept\n`);
    }
    return 0;
  } catch (error) {
    reportServerError(io, `watch ${action}`, error);
    return 1;
  } finally {
    await prism.close();
  }
}

/** What is wrong with how `action` was called, in one line; `undefined` when nothing is. */
function usageMistake(action: string, operands: string[], values: WatchValues): string | undefined {
  if (action !== 'sharepoint' && action !== 'list' && action !== 'delete') {
    return `unknown watch command '${action}'`;
  }
  const expected = action === 'list' ? 0 : 1;
  if (operands.length < expected) {
    return action === 'delete'
      ? 'missing the id of the watch to delete'
      : 'missing the address of the library or folder to watch';
  }
  if (operands.length > expected) return `unexpected argument '${operands[expected]}'`;
  if (action !== 'sharepoint') {
    const misplaced = CREATE_ONLY.find((name) => values[name] !== undefined);
    if (misplaced !== undefined) return `--${misplaced} is only for 'watch sharepoint'`;
  }
  if (action === 'delete' && values.json) return `--json is not for 'watch delete'`;
  if (values.types !== undefined && fileTypesOf(values.types).length === 0) {
    return '--types must name at least one file type, e.g. docx,pdf';
  }
  return undefined;
}

/** `--types` as a list: comma-separated, blanks dropped. */
function fileTypesOf(types: string): string[] {
  return types
    .split(',')
    .map((type) => type.trim())
    .filter((type) => type !== '');
}

async function createWatch(prism: HttpPrism, target: string, values: WatchValues): Promise<Watch> {
  const connectionId = await chooseConnection(prism, 'microsoft', values.connection);
  const params: WatchCreate = { connectionId, kind: 'sharepoint', target };
  if (values.types !== undefined) params.fileTypes = fileTypesOf(values.types);
  if (values['results-folder'] !== undefined) params.resultsFolder = values['results-folder'];
  if (values.framework !== undefined) params.framework = values.framework;
  if (values.model !== undefined) params.model = values.model;
  return prism.watches.create(params);
}

/** A new watch, and what happens from now on. */
function describeWatch(created: Watch): string {
  const types =
    created.fileTypes.length === 0 ? 'every format Prism reads' : created.fileTypes.join(', ');
  const copies =
    created.resultsFolder === undefined
      ? 'next to each original'
      : `into the folder '${created.resultsFolder}'`;
  return [
    `Watching ${created.target} (${created.id}) through connection ${created.connectionId}`,
    `  reviews:         ${types}, with ${created.framework} and ${created.model}`,
    `  results:         the library's Prism columns; reviewed .docx copies ${copies}`,
    `New and changed documents are reviewed from now on; 'prism watch delete ${created.id}' stops it.`,
    '',
  ].join('\n');
}

async function listWatches(prism: HttpPrism, json: boolean, io: CliIo): Promise<void> {
  const all = await prism.watches.list({ limit: 100 }).toArray();
  if (json) io.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
  else if (all.length === 0)
    io.stdout.write("No watches; 'prism watch sharepoint <url>' makes one\n");
  else io.stdout.write(formatWatches(all));
}

/** The watches as aligned columns, then why each one in error is. */
function formatWatches(all: Watch[]): string {
  const table = alignedColumns(
    ['ID', 'KIND', 'STATUS', 'TYPES', 'LAST RUN', 'TARGET'],
    all.map((row) => [
      row.id,
      row.kind,
      row.status,
      row.fileTypes.length === 0 ? '*' : row.fileTypes.join(','),
      row.lastRunAt ?? '-',
      row.target,
    ]),
  );
  const problems = all.flatMap((row) => {
    const error = row.lastError;
    if (row.status !== 'error' || error == null) return [];
    const hint = error.hint === undefined ? '' : `\n  hint: ${error.hint}`;
    return [`${row.id} failed at ${error.at}: ${error.message} [${error.code}]${hint}\n`];
  });
  return problems.length === 0 ? table : `${table}\n${problems.join('')}`;
}
