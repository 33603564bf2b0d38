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
