import { describe, expect, it } from 'vitest';
import {
  classifyNotification,
  createClientState,
  type LifecycleEvent,
  parseNotifications,
  verifyClientState,
} from '../../src/watch/index.js';
import { DRIVE_ID, SUBSCRIPTION_ID, TENANT_ID } from './fixtures.js';

const SECRET = 'hA3v0x1Rk9c2uQe7Lm4Zs8Tn6Wp5Yb0Jd1Fg3Ki2Oq';

/** A drive change notification as Graph posts it: no resource data, read changes with delta. */
function changeNotification(clientState = SECRET): Record<string, unknown> {
  return {
    subscriptionId: SUBSCRIPTION_ID,
    clientState,
    changeType: 'updated',
    resource: `drives/${DRIVE_ID}/root`,
    subscriptionExpirationDateTime: '2024-05-31T17:00:00+00:00',
    tenantId: TENANT_ID,
    resourceData: null,
  };
}

/** A lifecycle notification as Graph posts it to the lifecycle URL. */
function lifecycleNotification(event: string, clientState = SECRET): Record<string, unknown> {
  return {
    subscriptionId: SUBSCRIPTION_ID,
    subscriptionExpirationDateTime: '2024-05-31T17:00:00.0000000Z',
    tenantId: TENANT_ID,
    clientState,
    lifecycleEvent: event,
  };
}

describe('parseNotifications', () => {
  it('reads every notification of a collection, parsed or raw', () => {
    const body = { value: [changeNotification(), lifecycleNotification('missed')] };
    const parsed = parseNotifications(body);
    expect(parsed).toHaveLength(2);
    expect(parsed[0]).toEqual(changeNotification());
    expect(parseNotifications(JSON.stringify(body))).toEqual(parsed);
  });

  it('keeps only well-typed fields, so a bad item is rejected on its own', () => {
    const parsed = parseNotifications({
      value: [{ subscriptionId: 42, clientState: SECRET, changeType: 'updated' }, 'junk'],
    });
    expect(parsed).toEqual([{ clientState: SECRET, changeType: 'updated' }, {}]);
    expect(parsed.map((n) => classifyNotification(n, SECRET))).toEqual([
      { kind: 'rejected', reason: 'malformed', subscriptionId: undefined },
      { kind: 'rejected', reason: 'malformed', subscriptionId: undefined },
    ]);
  });

  it.each([
    ['not JSON', '<xml/>'],
    ['no value array', { value: 'x' }],
    ['an array', [changeNotification()]],
    ['nothing', undefined],
  ])('rejects a body that is %s with invalid_notification', (_, body) => {
    expect(() => parseNotifications(body)).toThrowError(
      expect.objectContaining({ code: 'invalid_notification', hint: expect.any(String) }),
    );
  });
});

describe('classifyNotification', () => {
  it('classifies a change with the right clientState as a change', () => {
    const [notification] = parseNotifications({ value: [changeNotification()] });
    expect(notification && classifyNotification(notification, SECRET)).toEqual({
      kind: 'change',
      subscriptionId: SUBSCRIPTION_ID,
      tenantId: TENANT_ID,
      resource: `drives/${DRIVE_ID}/root`,
      changeType: 'updated',
    });
  });

  it('rejects a notification whose clientState differs from the secret', () => {
    const [forged, missing] = parseNotifications({
      value: [changeNotification('guess'), { ...changeNotification(), clientState: undefined }],
    });
    for (const notification of [forged, missing]) {
      expect(notification && classifyNotification(notification, SECRET)).toEqual({
        kind: 'rejected',
        reason: 'client_state_mismatch',
        subscriptionId: SUBSCRIPTION_ID,
      });
    }
  });

  it('rejects a notification for a subscription Prism does not hold', () => {
    const [notification] = parseNotifications({ value: [changeNotification()] });
    expect(notification && classifyNotification(notification, undefined)).toEqual({
      kind: 'rejected',
      reason: 'unknown_subscription',
      subscriptionId: SUBSCRIPTION_ID,
    });
  });

  it.each<LifecycleEvent>(['reauthorizationRequired', 'subscriptionRemoved', 'missed'])(
    'classifies a %s lifecycle notification',
    (event) => {
      const [notification] = parseNotifications({ value: [lifecycleNotification(event)] });
      expect(notification && classifyNotification(notification, SECRET)).toEqual({
        kind: 'lifecycle',
        event,
        subscriptionId: SUBSCRIPTION_ID,
        tenantId: TENANT_ID,
      });
    },
  );

  it('rejects a lifecycle notification with a wrong clientState', () => {
    const [notification] = parseNotifications({
      value: [lifecycleNotification('subscriptionRemoved', 'guess')],
    });
    expect(notification && classifyNotification(notification, SECRET)).toMatchObject({
      kind: 'rejected',
      reason: 'client_state_mismatch',
    });
  });

  it('rejects a lifecycle event Prism does not know', () => {
    const [notification] = parseNotifications({ value: [lifecycleNotification('paused')] });
    expect(notification && classifyNotification(notification, SECRET)).toMatchObject({
      kind: 'rejected',
      reason: 'unsupported_lifecycle_event',
    });
  });

  it('rejects a change notification without a resource', () => {
    const [notification] = parseNotifications({
      value: [{ ...changeNotification(), resource: undefined }],
    });
    expect(notification && classifyNotification(notification, SECRET)).toMatchObject({
      kind: 'rejected',
      reason: 'malformed',
    });
  });
});

describe('client state', () => {
  it('makes a fresh secret within Graph’s 128 characters each time', () => {
    const first = createClientState();
    expect(first).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(createClientState()).not.toBe(first);
  });

  it('verifies only the exact secret', () => {
    expect(verifyClientState({ clientState: SECRET }, SECRET)).toBe(true);
    expect(verifyClientState({ clientState: SECRET.slice(0, -1) }, SECRET)).toBe(false);
    expect(verifyClientState({ clientState: `${SECRET}x` }, SECRET)).toBe(false);
    expect(verifyClientState({}, SECRET)).toBe(false);
  });
});
