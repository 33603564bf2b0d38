import { parseArgs } from 'node:util';
import packageJson from '../package.json' with { type: 'json' };

/** Where the CLI writes; tests pass their own to capture the output. */
export interface CliIo {
  /** Receives results and help. */
  stdout: { write(text: string): unknown };
  /** Receives errors. */
  stderr: { write(text: string): unknown };
}

/** The `prism --help` text. */
export const USAGE = `Usage: prism <command> [options]

Commands:
  review <file-or-link>  Review a document
  serve                  Run the Prism server
  help                   Show this help

Options:
  -h, --help             Show this help
  -v, --version          Print the version
`;

const OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

const PLANNED_COMMANDS = new Set(['review', 'serve']);

/**
 * Runs the `prism` command line with `argv` (the arguments after the executable and script) and
 * resolves to the process exit code: 0 on success, 1 when the command failed, 2 on a usage error.
 */
export async function main(
  argv: readonly string[],
  io: CliIo = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  const { values, positionals, tokens } = parseArgs({
    args: [...argv],
    options: OPTIONS,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (!Object.hasOwn(OPTIONS, token.name)) {
      return usageError(io, `unknown option '${token.rawName}'`);
    }
    if (token.value !== undefined) {
      return usageError(io, `option '${token.rawName}' takes no value`);
    }
  }

  if (values.version === true) {
    io.stdout.write(`${packageJson.version}\n`);
    return 0;
  }
  const [command] = positionals;
  if (values.help === true || command === 'help') {
    io.stdout.write(USAGE);
    return 0;
  }
  if (command === undefined) return usageError(io, 'missing command');
  if (PLANNED_COMMANDS.has(command)) {
    io.stderr.write(
      `prism: '${command}' is not available yet in this version (${packageJson.version}).\n`,
    );
    return 1;
  }
  return usageError(io, `unknown command '${command}'`);
}

function usageError(io: CliIo, message: string): number {
  io.stderr.write(`prism: ${message}\n\n${USAGE}`);
  return 2;
}
