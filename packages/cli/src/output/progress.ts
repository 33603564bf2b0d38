import type { ReviewProgress } from '@prism/sdk';
import type { CliStream } from '../io.js';

/** A progress display for a run of reviews. */
export interface Progress {
  /** A file's review started. */
  start(path: string): void;
  /** Sections reviewed so far in the current file. */
  update(progress: ReviewProgress): void;
  /** The current file is finished (reviewed or failed). */
  done(): void;
  /** Clears the display. */
  finish(): void;
}

/**
 * A one-line progress bar on `stream` (stderr), redrawn in place: `[3/10] report.docx ████░░ 12/20`.
 * Only on a TTY; elsewhere (pipes, CI logs) it prints nothing.
 */
export function createProgress(stream: CliStream, fileCount: number): Progress {
  if (stream.isTTY !== true) {
    return { start() {}, update() {}, done() {}, finish() {} };
  }
  let index = 0;
  let name = '';
  const draw = (done: number, total: number) => {
    const width = 20;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const line = `[${index}/${fileCount}] ${name} ${bar} ${done}/${total}`;
    stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 80) - 1)}`);
  };
  return {
    start(path) {
      index += 1;
      name = path;
      draw(0, 0);
    },
    update({ sectionsDone, sectionsTotal }) {
      draw(sectionsDone, sectionsTotal);
    },
    done() {},
    finish() {
      stream.write('\r\x1b[2K');
    },
  };
}
