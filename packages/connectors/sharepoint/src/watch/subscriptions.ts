import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { Subscription } from '@microsoft/microsoft-graph-types';
import { graphFailure } from '../graph/graph-errors.js';
import { MAX_CLIENT_STATE_LENGTH } from './client-state.js';
import { WatchError } from './watch-error.js';

/** The longest lifetime Graph allows a driveItem subscription: 42,300 minutes (under 30 days). */
export const DRIVE_SUBSCRIPTION_MAX_MINUTES = 42_300;

/**
 * The lifetime Prism asks for by default: the driveItem maximum less one hour, so clock skew
 * between Prism and Graph never makes a request exceed the maximum.
 */
export const DEFAULT_SUBSCRIPTION_MINUTES = DRIVE_SUBSCRIPTION_MAX_MINUTES - 60;

/** TLS versions Graph accepts for `latestSupportedTlsVersion`; Graph assumes `v1_2` when unset. */
export type NotificationTlsVersion = 'v1_2' | 'v1_3';

/** What {@link createSubscription} needs to watch one drive. */
export interface CreateSubscriptionOptions {
  /** The drive (a SharePoint document library or a OneDrive for Business) to watch. */
  driveId: string;
  /** The HTTPS endpoint that receives change notifications (and Graph's validation request). */
  notificationUrl: string;
  /** The HTTPS endpoint that receives lifecycle notifications; it may equal `notificationUrl`. */
  lifecycleNotificationUrl: string;
  /** The secret Graph echoes in every notification (at most 128 characters): see `createClientState`. */
  clientState: string;
  /** Lifetime in minutes, at most {@link DRIVE_SUBSCRIPTION_MAX_MINUTES}. Default {@link DEFAULT_SUBSCRIPTION_MINUTES}. */
  expiresInMinutes?: number;
  /** The newest TLS version the notification endpoint supports. Default `v1_2`. */
  latestSupportedTlsVersion?: NotificationTlsVersion;
  /** The current time, from which the expiry is counted. Default: now. */
  now?: Date;
}

/** A Graph subscription on a drive, as Prism keeps it. */
export interface DriveSubscription {
  /** Graph's subscription id: notifications carry it as `subscriptionId`. */
  id: string;
  /** The watched resource, `/drives/{driveId}/root`. */
  resource: string;
  /** Always `updated`: the only change type Graph supports for a drive root. */
  changeType: string;
  /** Where change notifications go. */
  notificationUrl: string;
  /** Where lifecycle notifications go, when Graph reports it. */
  lifecycleNotificationUrl: string | undefined;
  /** When Graph deletes the subscription unless it is renewed (ISO 8601, UTC). */
  expirationDateTime: string;
}

/** The resource path Graph documents for changes within the hierarchy of a drive's root folder. */
export function driveRootResource(driveId: string): string {
  return `/drives/${encodeURIComponent(driveId)}/root`;
}

/**
 * Subscribes to changes anywhere under a drive's root folder (`POST /subscriptions`). Before it
 * answers, Graph validates both URLs by posting a `validationToken` to them: they must already
 * answer with `validationResponse`. Graph failures become `PrismError`s.
 */
export async function createSubscription(
  client: Client,
  options: CreateSubscriptionOptions,
): Promise<DriveSubscription> {
  checkHttpsUrl('notificationUrl', options.notificationUrl);
  checkHttpsUrl('lifecycleNotificationUrl', options.lifecycleNotificationUrl);
  checkClientState(options.clientState);
  const body = {
    changeType: 'updated',
    notificationUrl: options.notificationUrl,
    lifecycleNotificationUrl: options.lifecycleNotificationUrl,
    resource: driveRootResource(options.driveId),
    expirationDateTime: expiryFrom(options.now ?? new Date(), options.expiresInMinutes),
    clientState: options.clientState,
    latestSupportedTlsVersion: options.latestSupportedTlsVersion ?? 'v1_2',
  } satisfies Subscription;
  try {
    const created: Subscription = await client.api('/subscriptions').post(body);
    return toDriveSubscription(created, body);
  } catch (error) {
    throw graphFailure(error, `Subscribing to changes in drive ${options.driveId}`);
  }
}

/**
 * Extends a subscription (`PATCH /subscriptions/{id}`), which also reauthorises it: the answer to
 * a `reauthorizationRequired` lifecycle notification. Throws `subscription_not_found` when Graph
 * has already removed it (create a new one then).
 */
export async function renewSubscription(
  client: Client,
  id: string,
  expiresInMinutes?: number,
  now: Date = new Date(),
): Promise<DriveSubscription> {
  const body = { expirationDateTime: expiryFrom(now, expiresInMinutes) } satisfies Subscription;
  try {
    const renewed: Subscription = await client
      .api(`/subscriptions/${encodeURIComponent(id)}`)
      .patch(body);
    return toDriveSubscription({ ...renewed, id: renewed.id ?? id }, renewed);
  } catch (error) {
    if (error instanceof GraphError && error.statusCode === 404) {
      throw new WatchError('subscription_not_found', `Graph has no subscription ${id} to renew.`, {
        hint: 'The subscription expired or was removed: create a new one and run a delta query to catch up.',
        cause: error,
      });
    }
    throw graphFailure(error, `Renewing subscription ${id}`);
  }
}

/**
 * Deletes a subscription (`DELETE /subscriptions/{id}`). One Graph no longer has (404) counts as
 * deleted, so stopping a watch twice is harmless.
 */
export async function deleteSubscription(client: Client, id: string): Promise<void> {
  try {
    await client.api(`/subscriptions/${encodeURIComponent(id)}`).delete();
  } catch (error) {
    if (error instanceof GraphError && error.statusCode === 404) return;
    throw graphFailure(error, `Deleting subscription ${id}`);
  }
}

/**
 * Whether a subscription should be renewed now: it expires within `marginMs` of `now` (or has
 * expired, or its expiry is unreadable).
 */
export function renewalDue(
  subscription: Pick<DriveSubscription, 'expirationDateTime'>,
  now: Date,
  marginMs: number,
): boolean {
  const expiresAt = Date.parse(subscription.expirationDateTime);
  if (Number.isNaN(expiresAt)) return true;
  return expiresAt - now.getTime() <= marginMs;
}

function expiryFrom(now: Date, expiresInMinutes = DEFAULT_SUBSCRIPTION_MINUTES): string {
  if (
    !Number.isInteger(expiresInMinutes) ||
    expiresInMinutes < 1 ||
    expiresInMinutes > DRIVE_SUBSCRIPTION_MAX_MINUTES
  ) {
    throw new WatchError(
      'invalid_watch_option',
      `A drive subscription lasts 1 to ${DRIVE_SUBSCRIPTION_MAX_MINUTES} whole minutes, not ${expiresInMinutes}.`,
      { hint: 'Leave expiresInMinutes unset to use the longest lifetime Graph allows.' },
    );
  }
  return new Date(now.getTime() + expiresInMinutes * 60_000).toISOString();
}

function checkHttpsUrl(name: string, value: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:') {
    throw new WatchError('invalid_watch_option', `${name} must be an https:// URL, not ${value}.`, {
      hint: 'Graph delivers notifications only over HTTPS: give the public HTTPS address of the Prism server.',
    });
  }
}

function checkClientState(clientState: string): void {
  if (clientState.length === 0 || clientState.length > MAX_CLIENT_STATE_LENGTH) {
    throw new WatchError(
      'invalid_watch_option',
      `clientState must have 1 to ${MAX_CLIENT_STATE_LENGTH} characters, not ${clientState.length}.`,
      { hint: 'Use createClientState() to make a fresh secret for each subscription.' },
    );
  }
}

function toDriveSubscription(
  answer: Subscription,
  requested: Pick<
    Subscription,
    | 'resource'
    | 'changeType'
    | 'notificationUrl'
    | 'lifecycleNotificationUrl'
    | 'expirationDateTime'
  >,
): DriveSubscription {
  const id = answer.id;
  const expirationDateTime = answer.expirationDateTime ?? requested.expirationDateTime;
  if (typeof id !== 'string' || typeof expirationDateTime !== 'string') {
    throw new WatchError(
      'unexpected_graph_response',
      'Graph answered a subscription request without an id or an expiry.',
      { hint: 'Retry; if it persists, check the Graph service health for the tenant.' },
    );
  }
  return {
    id,
    resource: answer.resource ?? requested.resource ?? '',
    changeType: answer.changeType ?? requested.changeType ?? 'updated',
    notificationUrl: answer.notificationUrl ?? requested.notificationUrl ?? '',
    lifecycleNotificationUrl:
      answer.lifecycleNotificationUrl ?? requested.lifecycleNotificationUrl ?? undefined,
    expirationDateTime,
  };
}
