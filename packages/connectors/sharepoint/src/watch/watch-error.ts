import { PrismError } from '@prism/sdk';

/**
 * An error of the SharePoint watch machinery (subscriptions, notifications, delta) that is not a
 * Graph failure: a bad option, a link Prism will not follow, a subscription Graph no longer has.
 */
export class WatchError extends PrismError {}
