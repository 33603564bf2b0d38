import type { SharePointWatch, WatchSubscription } from './sharepoint-watch.js';

/**
 * Where the auto-reviewer reads and updates the state of SharePoint watches. The server keeps
 * them in its database; {@link MemoryWatchStore} keeps them in memory.
 */
export interface WatchStore {
  /** The watch with this id, or `undefined`. */
  get(watchId: string): Promise<SharePointWatch | undefined>;
  /** The watch whose current subscription has this id, or `undefined`. */
  bySubscriptionId(subscriptionId: string): Promise<SharePointWatch | undefined>;
  /** The watches whose subscription expires before `time`. */
  expiringBefore(time: Date): Promise<SharePointWatch[]>;
  /** Records where the watch's next run reads changes from. */
  saveDeltaLink(watchId: string, deltaLink: string): Promise<void>;
  /** Records the watch's subscription after a renewal (new expiry) or a recreation (all new). */
  saveSubscription(watchId: string, subscription: WatchSubscription): Promise<void>;
}
