import { type ApiKey, type PrismApi, type Role, RoleSchema } from '@prism/sdk';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { alignedColumns } from '../output/columns.js';
import { reportError } from '../report-error.js';
import {
  DATABASE_OPTIONS,
  DATABASE_OPTIONS_HELP,
  type DatabaseOptionValues,
  loadServerConfig,
  TENANT_OPTION,
  TENANT_OPTION_HELP,
  withTenantApi,
} from '../server-database.js';

/** The roles from least to most allowed, as the usage lists them. */
const ROLES: readonly Role[] = [...RoleSchema.options].reverse();

/** The `prism keys --help` text. */
export const KEYS_USAGE = `Usage: prism keys <command> [options]

Manages a tenant's API keys directly in the server's database: the embedded database in the
data directory, or PostgreSQL with DATABASE_URL. Each change is recorded in the tenant's audit
log as done by 'prism keys'.

Commands:
  create --name <name> --role <role>  Create a key; its secret is printed only this once
  list                                List the keys (prefixes only, never secrets)
  revoke <key id>                     Revoke a key at once

Options:
  -n, --name <name>     The new key's name (create)
  -r, --role <role>     The new key's role (create): ${ROLES.join(', ')}
${TENANT_OPTION_HELP}
${DATABASE_OPTIONS_HELP}
  -h, --help            Show this help

Exit codes: 0 done; 1 failed (e.g. no such key); 2 bad usage.
`;

const OPTIONS = {
  name: { type: 'string', short: 'n' },
  role: { type: 'string', short: 'r' },
  ...TENANT_OPTION,
  ...DATABASE_OPTIONS,
} as const;

/** What `prism keys` was given. */
interface KeysValues extends DatabaseOptionValues {
  name?: string;
  role?: string;
  tenant: string;
}

const ACTIONS = ['create', 'list', 'revoke'] as const;
type KeysAction = (typeof ACTIONS)[number];

function isAction(word: string): word is KeysAction {
  return (ACTIONS as readonly string[]).includes(word);
}

/** `prism keys create|list|revoke`: manages a tenant's API keys. */
export async function keys(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<KeysValues>(argv, io, OPTIONS, KEYS_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...operands] = positionals;
  if (action === undefined) {
    return usageError(io, 'missing keys command (create, list or revoke)', KEYS_USAGE);
  }
  if (!isAction(action)) return usageError(io, `unknown keys command '${action}'`, KEYS_USAGE);
  const mistake = usageMistake(action, values, operands);
  if (mistake !== undefined) return usageError(io, mistake, KEYS_USAGE);

  const tenant = values.tenant;
  try {
    const config = loadServerConfig(values);
    await withTenantApi(config, tenant, 'prism keys', async (api) => {
      if (action === 'create') {
        await createKey(api, tenant, { name: values.name ?? '', role: values.role as Role }, io);
      } else if (action === 'list') {
        await listKeys(api, tenant, io);
      } else {
        await revokeKey(api, tenant, operands[0] ?? '', io);
      }
    });
    return 0;
  } catch (error) {
    reportError(io, `keys ${action}`, error);
    return 1;
  }
}

/** What is wrong with how `action` was called, in one line; `undefined` when nothing is. */
function usageMistake(
  action: KeysAction,
  values: KeysValues,
  operands: string[],
): string | undefined {
  if (values.tenant === '') return '--tenant must not be empty';
  const expected = action === 'revoke' ? 1 : 0;
  if (operands.length < expected) return 'missing the id of the key to revoke';
  if (operands.length > expected) return `unexpected argument '${operands[expected]}'`;
  if (action !== 'create') {
    if (values.name !== undefined) return `--name is only for 'keys create'`;
    if (values.role !== undefined) return `--role is only for 'keys create'`;
    return undefined;
  }
  if (values.name === undefined) return 'keys create needs --name';
  if (values.role === undefined) return 'keys create needs --role';
  if (!(ROLES as readonly string[]).includes(values.role)) {
    return `--role must be one of ${ROLES.join(', ')}`;
  }
  return undefined;
}

async function createKey(
  api: PrismApi,
  tenant: string,
  params: { name: string; role: Role },
  io: CliIo,
): Promise<void> {
  const { apiKey, secret } = await api.apiKeys.create(params);
  io.stdout.write(
    `Created API key ${apiKey.id} in tenant ${tenant}: role ${apiKey.role}, prefix ${apiKey.prefix}\n` +
      'Its secret, shown only now and never again — store it safely:\n' +
      `  ${secret}\n`,
  );
}

async function listKeys(api: PrismApi, tenant: string, io: CliIo): Promise<void> {
  const all = await api.apiKeys.list({ limit: 100 }).toArray();
  if (all.length === 0) {
    io.stdout.write(`No API keys in tenant ${tenant}\n`);
    return;
  }
  io.stdout.write(formatKeyTable(all));
}

async function revokeKey(api: PrismApi, tenant: string, keyId: string, io: CliIo): Promise<void> {
  const apiKey = await api.apiKeys.revoke(keyId);
  io.stdout.write(`API key ${apiKey.id} of tenant ${tenant} revoked at ${apiKey.revokedAt}\n`);
}

/** The keys as aligned columns under a header; `-` for a time that has not come. */
function formatKeyTable(apiKeys: ApiKey[]): string {
  return alignedColumns(
    ['ID', 'NAME', 'PREFIX', 'ROLE', 'CREATED', 'LAST USED', 'REVOKED'],
    apiKeys.map((key) => [
      key.id,
      key.name.replace(/\s+/g, ' '),
      key.prefix,
      key.role,
      key.createdAt,
      key.lastUsedAt ?? '-',
      key.revokedAt ?? '-',
    ]),
  );
}
