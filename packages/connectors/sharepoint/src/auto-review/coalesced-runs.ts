interface Waiter<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function waiter<T>(): Waiter<T> {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

interface Slot<T> {
  /** The run asked for while another was going: it starts when that one ends. */
  queued: Waiter<T> | undefined;
}

/**
 * Runs a task per key, one at a time per key, coalescing requests: a request while no run of its
 * key is going starts one; requests while one is going share a single run that starts when it
 * ends. However many requests come in a burst, at most one run is going and one is queued, and
 * every request is answered by a run that began after it was made.
 */
export class CoalescedRuns<T> {
  readonly #run: (key: string) => Promise<T>;
  readonly #slots = new Map<string, Slot<T>>();

  constructor(run: (key: string) => Promise<T>) {
    this.#run = run;
  }

  /** The result of a run of `key` that begins after this call. */
  request(key: string): Promise<T> {
    const slot = this.#slots.get(key);
    if (slot !== undefined) {
      slot.queued ??= waiter<T>();
      return slot.queued.promise;
    }
    const first = waiter<T>();
    const fresh: Slot<T> = { queued: undefined };
    this.#slots.set(key, fresh);
    void this.#drive(key, fresh, first);
    return first.promise;
  }

  /** Whether a run of `key` is queued behind the one going, so a new request would share it. */
  hasQueued(key: string): boolean {
    return this.#slots.get(key)?.queued !== undefined;
  }

  async #drive(key: string, slot: Slot<T>, first: Waiter<T>): Promise<void> {
    for (let current: Waiter<T> | undefined = first; current !== undefined; ) {
      try {
        current.resolve(await this.#run(key));
      } catch (error) {
        current.reject(error);
      }
      current = slot.queued;
      slot.queued = undefined;
    }
    this.#slots.delete(key);
  }
}
