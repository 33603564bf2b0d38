/**
 * Work run again and again, `intervalMs` after each run ends (runs never overlap), on a timer
 * that does not keep the process alive. A run's failure goes to `onError`; the next run comes
 * all the same.
 */
export class PeriodicTask {
  readonly #intervalMs: number;
  readonly #work: () => Promise<unknown>;
  readonly #onError: (error: unknown) => void;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = true;

  /** Runs `work` every `intervalMs` once started, telling `onError` of each failed run. */
  constructor(intervalMs: number, work: () => Promise<unknown>, onError: (error: unknown) => void) {
    this.#intervalMs = intervalMs;
    this.#work = work;
    this.#onError = onError;
  }

  /** Starts the runs: the first one at once when `immediately`, else after one interval. */
  start({ immediately = false }: { immediately?: boolean } = {}): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(immediately ? 0 : this.#intervalMs);
  }

  /** Stops the runs, waiting for the one going (if any) to end. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #schedule(delayMs: number): void {
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#run();
    }, delayMs);
    this.#timer.unref();
  }

  async #run(): Promise<void> {
    try {
      await this.#work();
    } catch (error) {
      this.#onError(error);
    }
    this.#running = undefined;
    if (!this.#stopped) this.#schedule(this.#intervalMs);
  }
}
