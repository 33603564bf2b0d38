import { type ParseArgsOptionsConfig, parseArgs } from 'node:util';

/** A stream the CLI writes to; a TTY gets colours and a progress bar. */
export interface CliStream {
  /** Writes text. */
  write(text: string): unknown;
  /** Whether the stream is an interactive terminal. */
  isTTY?: boolean;
  /** The terminal's width, when it is one. */
  columns?: number;
}

/** Where the CLI writes; tests pass their own to capture the output. */
export interface CliIo {
  /** Receives results and help. */
  stdout: CliStream;
  /** Receives errors and progress. */
  stderr: CliStream;
}

/** The process's own streams. */
export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/** A usage error: the message, then the usage text, on stderr; exit code 2. */
export function usageError(io: CliIo, message: string, usage: string): number {
  io.stderr.write(`prism: ${message}\n\n${usage}`);
  return 2;
}

/** A command line parsed by {@link parseCommand}: its options' values and its operands. */
export interface ParsedCommand<Values> {
  /** The options given, by long name. */
  values: Values;
  /** The words that are not options, in order. */
  positionals: string[];
}

/**
 * Parses a command's arguments against `options` (plus `-h, --help`, which every command has).
 * Resolves to the exit code instead when nothing is left to do: 0 after printing `usage` for
 * `--help`, 2 after a usage error (an unknown option, a missing value, or an operand when
 * `operands` is false), stated as `describeError` words parseArgs's error (default: its message).
 */
export function parseCommand<Values>(
  argv: readonly string[],
  io: CliIo,
  options: ParseArgsOptionsConfig,
  usage: string,
  {
    operands = true,
    describeError = (error) => error.message,
  }: { operands?: boolean; describeError?: (error: Error) => string } = {},
): ParsedCommand<Values> | number {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: operands,
      strict: true,
    });
  } catch (error) {
    return usageError(io, describeError(error as Error), usage);
  }
  if (parsed.values.help === true) {
    io.stdout.write(usage);
    return 0;
  }
  return { values: parsed.values as Values, positionals: parsed.positionals };
}
