import {
  generateEncryptionKey,
  openStore,
  rotateVault,
  Vault,
  type VaultRotation,
} from '@prism/server';
import { type CliIo, parseCommand, usageError } from '../io.js';
import { reportError } from '../report-error.js';
import {
  DATABASE_OPTIONS,
  DATABASE_OPTIONS_HELP,
  type DatabaseOptionValues,
  loadServerConfig,
} from '../server-database.js';

/** The `prism vault --help` text. */
export const VAULT_USAGE = `Usage: prism vault <command> [options]

Manages the keys connection tokens are encrypted with: PRISM_ENCRYPTION_KEYS lists them as
<key-id>:<32 bytes in base64>, comma-separated; the first encrypts, every one decrypts.

Commands:
  key      Print a new key line, to put first in PRISM_ENCRYPTION_KEYS
  rotate   Re-encrypt every stored secret that is under an older key with the first key,
           in the server's database (the data directory, or PostgreSQL with DATABASE_URL)

To change keys: list a new key first in PRISM_ENCRYPTION_KEYS on every server (keep the old
ones after it), run 'prism vault rotate', then remove the old keys. Rotating is safe while
servers on PostgreSQL run; the embedded database must not be in use.

Options:
      --id <id>         The new key's id (key; default key-<yyyymmdd>-<random>)
${DATABASE_OPTIONS_HELP}
  -h, --help            Show this help

Exit codes: 0 done; 1 failed, or secrets are left under older keys; 2 bad usage.
`;

const OPTIONS = { id: { type: 'string' }, ...DATABASE_OPTIONS } as const;

/** What `prism vault` was given. */
interface VaultValues extends DatabaseOptionValues {
  id?: string;
}

/** `prism vault key|rotate`: makes encryption keys and re-encrypts secrets under the current one. */
export async function vault(argv: string[], io: CliIo): Promise<number> {
  const parsed = parseCommand<VaultValues>(argv, io, OPTIONS, VAULT_USAGE);
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [action, ...operands] = positionals;
  if (action === undefined)
    return usageError(io, 'missing vault command (key or rotate)', VAULT_USAGE);
  if (action !== 'key' && action !== 'rotate') {
    return usageError(io, `unknown vault command '${action}'`, VAULT_USAGE);
  }
  if (operands.length > 0)
    return usageError(io, `unexpected argument '${operands[0]}'`, VAULT_USAGE);
  if (action === 'key') {
    if (values['data-dir'] !== undefined || values.config !== undefined) {
      return usageError(io, `--data-dir and --config are only for 'vault rotate'`, VAULT_USAGE);
    }
    return printKey(values.id, io);
  }
  if (values.id !== undefined) return usageError(io, `--id is only for 'vault key'`, VAULT_USAGE);
  return rotate(values, io);
}

function printKey(id: string | undefined, io: CliIo): number {
  let line: string;
  try {
    line = generateEncryptionKey(id);
  } catch (error) {
    reportError(io, 'vault key', error);
    return 1;
  }
  io.stdout.write(`${line}\n`);
  io.stderr.write(
    "Put it first in PRISM_ENCRYPTION_KEYS, keep the current keys after it, then run 'prism vault rotate'.\n",
  );
  return 0;
}

async function rotate(values: VaultValues, io: CliIo): Promise<number> {
  let rotation: VaultRotation;
  try {
    const config = loadServerConfig(values);
    const keyring = Vault.fromSetting(config.PRISM_ENCRYPTION_KEYS);
    const store = await openStore({
      ...(config.DATABASE_URL === undefined
        ? { dataDir: config.PRISM_DATA_DIR }
        : { databaseUrl: config.DATABASE_URL }),
      poolSize: config.DATABASE_POOL_SIZE,
    });
    try {
      rotation = await rotateVault(store.client, keyring);
    } finally {
      await store.close();
    }
  } catch (error) {
    reportError(io, 'vault rotate', error);
    return 1;
  }
  io.stdout.write(`${describeRotation(rotation)}\n`);
  if (rotation.remaining === 0) return 0;
  io.stderr.write(
    `prism: vault rotate: ${count(rotation.remaining, 'secret')} written meanwhile ${rotation.remaining === 1 ? 'is' : 'are'} still under older keys; run it again once every server lists key ${rotation.keyId} first\n`,
  );
  return 1;
}

/** One line saying how many secrets moved from which keys to which. */
function describeRotation(rotation: VaultRotation): string {
  const moved = Object.entries(rotation.fromKeys)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([keyId, records]) => `${keyId}: ${records}`);
  if (moved.length === 0 && rotation.remaining === 0) {
    return `Nothing to re-encrypt: every secret is under key ${rotation.keyId}`;
  }
  const what = [
    count(rotation.connectionSecrets, 'connection secret'),
    count(rotation.oauthStates, 'OAuth state'),
    count(rotation.sharePointWatches, 'SharePoint watch', 'SharePoint watches'),
  ].join(', ');
  const from = moved.length === 0 ? '' : ` (from ${moved.join(', ')})`;
  return `Re-encrypted ${what} under key ${rotation.keyId}${from}`;
}

function count(amount: number, noun: string, plural = `${noun}s`): string {
  return `${amount} ${amount === 1 ? noun : plural}`;
}
