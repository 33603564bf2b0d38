import type { SharePointWatch, WatchSubscription } from './sharepoint-watch.js';
import type { WatchStore } from './watch-store.js';

/** A {@link WatchStore} in memory, for tests and single-process use; nothing survives the process. */
export class MemoryWatchStore implements WatchStore {
  readonly #watches = new Map<string, SharePointWatch>();

  /** Adds a watch, or replaces the one with its id. */
  put(watch: SharePointWatch): void {
    this.#watches.set(watch.id, { ...watch });
  }

  /** Forgets a watch. */
  delete(watchId: string): void {
    this.#watches.delete(watchId);
  }

  /** The watch with this id, or `undefined`. */
  async get(watchId: string): Promise<SharePointWatch | undefined> {
    const watch = this.#watches.get(watchId);
    return watch === undefined ? undefined : { ...watch };
  }

  /** The watch whose current subscription has this id, or `undefined`. */
  async bySubscriptionId(subscriptionId: string): Promise<SharePointWatch | undefined> {
    for (const watch of this.#watches.values()) {
      if (watch.subscriptionId === subscriptionId) return { ...watch };
    }
    return undefined;
  }

  /** The watches whose subscription expires before `time`, or whose expiry is unreadable. */
  async expiringBefore(time: Date): Promise<SharePointWatch[]> {
    return [...this.#watches.values()]
      .filter((watch) => !(Date.parse(watch.expirationDateTime) >= time.getTime()))
      .map((watch) => ({ ...watch }));
  }

  /** Records where the watch's next run reads changes from. */
  async saveDeltaLink(watchId: string, deltaLink: string): Promise<void> {
    const watch = this.#watches.get(watchId);
    if (watch !== undefined) watch.deltaLink = deltaLink;
  }

  /** Records the watch's renewed or recreated subscription. */
  async saveSubscription(watchId: string, subscription: WatchSubscription): Promise<void> {
    const watch = this.#watches.get(watchId);
    if (watch === undefined) return;
    watch.subscriptionId = subscription.subscriptionId;
    watch.clientState = subscription.clientState;
    watch.expirationDateTime = subscription.expirationDateTime;
  }
}
