import { APIError, PrismError } from '@prism/sdk';
import type { CliIo } from './io.js';

/** One error line naming the subject, the message and the code; the hint on the next line. */
export function reportError(io: CliIo, subject: string, error: unknown): void {
  if (error instanceof PrismError) {
    // In-process calls fail as a server would answer; the problem's detail is the message here.
    const message =
      error instanceof APIError ? (error.problem?.detail ?? error.message) : error.message;
    io.stderr.write(`prism: ${subject}: ${message} [${error.code}]\n`);
    if (error.hint) io.stderr.write(`  hint: ${error.hint}\n`);
    return;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`prism: ${subject}: ${message}\n`);
}
