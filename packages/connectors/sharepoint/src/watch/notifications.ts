import { clientStatesMatch } from './client-state.js';
import { WatchError } from './watch-error.js';

/** The lifecycle events Graph sends to a subscription's `lifecycleNotificationUrl`. */
export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

const LIFECYCLE_EVENTS: ReadonlySet<string> = new Set<LifecycleEvent>([
  'reauthorizationRequired',
  'subscriptionRemoved',
  'missed',
]);

/**
 * One item of a Graph notification collection, with each field kept only when it has the type
 * Graph documents (`changeNotification`). A drive notification has `resourceData` null or absent:
 * what changed is read with a delta query.
 */
export interface ReceivedNotification {
  /** The subscription the notification belongs to. */
  subscriptionId?: string;
  /** The secret given when the subscription was created. */
  clientState?: string;
  /** `updated` for a drive root; absent on lifecycle notifications. */
  changeType?: string;
  /** The watched resource, e.g. `drives/{driveId}/root`; absent on lifecycle notifications. */
  resource?: string;
  /** The Microsoft tenant the change happened in. */
  tenantId?: string;
  /** When the subscription expires (ISO 8601). */
  subscriptionExpirationDateTime?: string;
  /** Present on lifecycle notifications only. */
  lifecycleEvent?: string;
  /** Resource data; null or absent for drive subscriptions. */
  resourceData?: Readonly<Record<string, unknown>> | null;
}

/** Why a notification was not acted on. */
export type RejectionReason =
  /** It lacks a subscription id, or is neither a change nor a lifecycle notification. */
  | 'malformed'
  /** Prism holds no subscription with this id (a stale one, or not Prism's). */
  | 'unknown_subscription'
  /** Its clientState differs from the subscription's secret: it did not come from Graph. */
  | 'client_state_mismatch'
  /** A lifecycle event Prism does not know. */
  | 'unsupported_lifecycle_event';

/** What a notification asks Prism to do. */
export type NotificationClass =
  | {
      /** Something changed under the watched drive: run a delta query for the subscription. */
      kind: 'change';
      subscriptionId: string;
      tenantId: string | undefined;
      resource: string;
      changeType: string;
    }
  | {
      /**
       * A lifecycle event: renew (`reauthorizationRequired`), recreate (`subscriptionRemoved`) or
       * resync with a delta query (`missed`).
       */
      kind: 'lifecycle';
      event: LifecycleEvent;
      subscriptionId: string;
      tenantId: string | undefined;
    }
  | {
      /** Not acted on; count it (a run of `client_state_mismatch` deserves an alert). */
      kind: 'rejected';
      reason: RejectionReason;
      subscriptionId: string | undefined;
    };

/**
 * Reads a Graph notification POST body (`{ "value": [ ... ] }`, as parsed JSON or raw text).
 * Items keep only well-typed fields, so {@link classifyNotification} can reject bad ones one by
 * one. Throws `invalid_notification` when the body is not a notification collection at all.
 */
export function parseNotifications(body: unknown): ReceivedNotification[] {
  const parsed = typeof body === 'string' ? parseJson(body) : body;
  const value = isRecord(parsed) ? parsed.value : undefined;
  if (!Array.isArray(value)) {
    throw new WatchError(
      'invalid_notification',
      'A Graph notification body is a JSON object with a "value" array.',
      { hint: 'Only Microsoft Graph should post to this endpoint; check who sent the request.' },
    );
  }
  return value.map(toReceivedNotification);
}

/** Whether the notification carries the subscription's secret (compared in constant time). */
export function verifyClientState(notification: ReceivedNotification, expected: string): boolean {
  return clientStatesMatch(notification.clientState, expected);
}

/**
 * Classifies one notification: a change, a lifecycle event, or rejected with a reason.
 * `expectedClientState` is the secret of the subscription named by `subscriptionId`, or
 * `undefined` when Prism holds no such subscription.
 */
export function classifyNotification(
  notification: ReceivedNotification,
  expectedClientState: string | undefined,
): NotificationClass {
  const { subscriptionId, tenantId } = notification;
  if (subscriptionId === undefined) {
    return { kind: 'rejected', reason: 'malformed', subscriptionId };
  }
  if (expectedClientState === undefined) {
    return { kind: 'rejected', reason: 'unknown_subscription', subscriptionId };
  }
  if (!verifyClientState(notification, expectedClientState)) {
    return { kind: 'rejected', reason: 'client_state_mismatch', subscriptionId };
  }
  const { lifecycleEvent } = notification;
  if (lifecycleEvent !== undefined) {
    return isLifecycleEvent(lifecycleEvent)
      ? { kind: 'lifecycle', event: lifecycleEvent, subscriptionId, tenantId }
      : { kind: 'rejected', reason: 'unsupported_lifecycle_event', subscriptionId };
  }
  const { resource, changeType } = notification;
  if (resource === undefined || changeType === undefined) {
    return { kind: 'rejected', reason: 'malformed', subscriptionId };
  }
  return { kind: 'change', subscriptionId, tenantId, resource, changeType };
}

function isLifecycleEvent(value: string): value is LifecycleEvent {
  return LIFECYCLE_EVENTS.has(value);
}

function toReceivedNotification(item: unknown): ReceivedNotification {
  if (!isRecord(item)) return {};
  const notification: ReceivedNotification = {};
  const strings = [
    'subscriptionId',
    'clientState',
    'changeType',
    'resource',
    'tenantId',
    'subscriptionExpirationDateTime',
    'lifecycleEvent',
  ] as const;
  for (const key of strings) {
    const value = item[key];
    if (typeof value === 'string') notification[key] = value;
  }
  const { resourceData } = item;
  if (resourceData === null || isRecord(resourceData)) notification.resourceData = resourceData;
  return notification;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
