import { type AuditEvent, verifyAuditChain } from '@prism/sdk';
import { type CliIo, parseCommand, usageError } from '../io.js';
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

/** The `prism audit --help` text. */
export const AUDIT_USAGE = `Usage: prism audit verify [options]

Checks a tenant's audit log in the server's database (the embedded database in the data
directory, or PostgreSQL with DATABASE_URL): every event must carry the hash of its own
fields and of the event before it, so an event changed or removed afterwards shows.

Options:
${TENANT_OPTION_HELP}
${DATABASE_OPTIONS_HELP}
  -h, --help            Show this help

Exit codes: 0 the chain is intact; 1 it is broken, or could not be read; 2 bad usage.
`;

const OPTIONS = { ...TENANT_OPTION, ...DATABASE_OPTIONS } as const;

/** What `prism audit` was given. */
interface AuditValues extends DatabaseOptionValues {
  tenant: string;
}

/** `prism audit verify`: verifies the hash chain of a tenant's audit log. */
export async function audit(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<AuditValues>(argv, io, OPTIONS, AUDIT_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...operands] = positionals;
  if (action === undefined) return usageError(io, 'missing audit command (verify)', AUDIT_USAGE);
  if (action !== 'verify') return usageError(io, `unknown audit command '${action}'`, AUDIT_USAGE);
  if (operands.length > 0)
    return usageError(io, `unexpected argument '${operands[0]}'`, AUDIT_USAGE);
  if (values.tenant === '') return usageError(io, '--tenant must not be empty', AUDIT_USAGE);

  let events: AuditEvent[];
  try {
    const config = loadServerConfig(values);
    events = await withTenantApi(config, values.tenant, 'prism audit', (api) =>
      api.audit.list({ limit: 100 }).toArray(),
    );
  } catch (error) {
    reportError(io, 'audit verify', error);
    return 1;
  }
  const broken = verifyAuditChain(events);
  const count = `${events.length} event${events.length === 1 ? '' : 's'}`;
  const head = `Audit log of tenant ${values.tenant}: ${count}`;
  if (broken === undefined) {
    io.stdout.write(`${head}, chain intact\n`);
    return 0;
  }
  io.stdout.write(`${head}, chain broken at event #${broken.sequence}: ${broken.reason}\n`);
  return 1;
}
