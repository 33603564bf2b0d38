import type { Client } from '@microsoft/microsoft-graph-client';
import { createClientState } from '../watch/client-state.js';
import { createSubscription, renewSubscription } from '../watch/subscriptions.js';
import { WatchError } from '../watch/watch-error.js';
import type { SharePointWatch } from './sharepoint-watch.js';
import type { WatchStore } from './watch-store.js';

/** What became of a watch's subscription. */
export type SubscriptionOutcome =
  | {
      /** Extended (and reauthorised) until `expirationDateTime`. */
      status: 'renewed';
      watchId: string;
      expirationDateTime: string;
    }
  | {
      /** Graph had lost it: a new one, with a new secret, replaces it. */
      status: 'recreated';
      watchId: string;
      subscriptionId: string;
      expirationDateTime: string;
    }
  | {
      /** Nothing done: the watch is gone, or its subscription was replaced meanwhile. */
      status: 'skipped';
      watchId: string;
    }
  | {
      /** Renewing or recreating failed; the error says why. */
      status: 'failed';
      watchId: string;
      error: unknown;
    };

/** What the upkeep of subscriptions needs. */
export interface SubscriptionUpkeepDeps {
  /** Where watches are read and their subscriptions saved. */
  store: WatchStore;
  /** The Graph client of a watch's connection. */
  graphFor: (watch: SharePointWatch) => Client | Promise<Client>;
  /** Where Graph posts change notifications. */
  notificationUrl: string;
  /** Where Graph posts lifecycle notifications. */
  lifecycleNotificationUrl: string;
  /** The lifetime asked for, in minutes; unset: the default of `createSubscription`. */
  subscriptionMinutes: number | undefined;
  /** The clock. */
  clock: () => Date;
}

/**
 * Renews the watch's subscription `subscriptionId` (which also reauthorises it), recreating it
 * when Graph no longer has it. Skipped when the watch has another subscription by now.
 */
export async function renewWatchSubscription(
  deps: SubscriptionUpkeepDeps,
  watchId: string,
  subscriptionId: string,
): Promise<SubscriptionOutcome> {
  const watch = await deps.store.get(watchId);
  if (watch === undefined || watch.subscriptionId !== subscriptionId) {
    return { status: 'skipped', watchId };
  }
  const client = await deps.graphFor(watch);
  try {
    const renewed = await renewSubscription(
      client,
      subscriptionId,
      deps.subscriptionMinutes,
      deps.clock(),
    );
    await deps.store.saveSubscription(watchId, {
      subscriptionId,
      clientState: watch.clientState,
      expirationDateTime: renewed.expirationDateTime,
    });
    return { status: 'renewed', watchId, expirationDateTime: renewed.expirationDateTime };
  } catch (error) {
    if (!(error instanceof WatchError && error.code === 'subscription_not_found')) throw error;
    return recreate(deps, client, watch);
  }
}

/**
 * Replaces the watch's subscription `subscriptionId`, which Graph removed, with a new one and a
 * new secret. Skipped when the watch has another subscription by now. Changes made while there
 * was none are read by the watch's next run.
 */
export async function recreateWatchSubscription(
  deps: SubscriptionUpkeepDeps,
  watchId: string,
  subscriptionId: string,
): Promise<SubscriptionOutcome> {
  const watch = await deps.store.get(watchId);
  if (watch === undefined || watch.subscriptionId !== subscriptionId) {
    return { status: 'skipped', watchId };
  }
  return recreate(deps, await deps.graphFor(watch), watch);
}

async function recreate(
  deps: SubscriptionUpkeepDeps,
  client: Client,
  watch: SharePointWatch,
): Promise<SubscriptionOutcome> {
  const clientState = createClientState();
  const created = await createSubscription(client, {
    driveId: watch.driveId,
    notificationUrl: deps.notificationUrl,
    lifecycleNotificationUrl: deps.lifecycleNotificationUrl,
    clientState,
    ...(deps.subscriptionMinutes === undefined
      ? {}
      : { expiresInMinutes: deps.subscriptionMinutes }),
    now: deps.clock(),
  });
  await deps.store.saveSubscription(watch.id, {
    subscriptionId: created.id,
    clientState,
    expirationDateTime: created.expirationDateTime,
  });
  return {
    status: 'recreated',
    watchId: watch.id,
    subscriptionId: created.id,
    expirationDateTime: created.expirationDateTime,
  };
}
