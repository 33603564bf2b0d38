import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createClientState,
  createSubscription,
  DRIVE_SUBSCRIPTION_MAX_MINUTES,
  deleteSubscription,
  renewalDue,
  renewSubscription,
} from '../../src/watch/index.js';
import {
  ACCESS_TOKEN,
  DRIVE_ID,
  GRAPH,
  graphError,
  SUBSCRIPTION_ID,
  testClient,
} from './fixtures.js';

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const NOW = new Date('2024-05-02T09:00:00.000Z');
const NOTIFY = 'https://prism.contoso.com/hooks/graph/notifications';
const LIFECYCLE = 'https://prism.contoso.com/hooks/graph/lifecycle';

/** Graph's answer to a created or renewed subscription. */
function subscriptionEntity(body: Record<string, unknown>): Record<string, unknown> {
  return {
    '@odata.context': `${GRAPH}/$metadata#subscriptions/$entity`,
    id: SUBSCRIPTION_ID,
    resource: `/drives/${DRIVE_ID}/root`,
    applicationId: '24d3b144-21ae-4080-943f-7067b395b913',
    changeType: 'updated',
    clientState: null,
    notificationUrl: NOTIFY,
    lifecycleNotificationUrl: LIFECYCLE,
    notificationQueryOptions: null,
    notificationUrlAppId: null,
    expirationDateTime: body.expirationDateTime,
    creatorId: '8ee44408-0679-472c-bc2a-692812af3437',
    includeResourceData: null,
    latestSupportedTlsVersion: 'v1_2',
    encryptionCertificate: null,
    encryptionCertificateId: null,
  };
}

async function captureError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('createSubscription', () => {
  it('subscribes to the drive root for updated changes, with both URLs and the secret', async () => {
    let sent: Record<string, unknown> | undefined;
    let authorization: string | null = null;
    server.use(
      http.post(`${GRAPH}/subscriptions`, async ({ request }) => {
        authorization = request.headers.get('Authorization');
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(subscriptionEntity(sent), { status: 201 });
      }),
    );
    const clientState = createClientState();

    const subscription = await createSubscription(testClient(), {
      driveId: DRIVE_ID,
      notificationUrl: NOTIFY,
      lifecycleNotificationUrl: LIFECYCLE,
      clientState,
      now: NOW,
    });

    expect(authorization).toBe(`Bearer ${ACCESS_TOKEN}`);
    expect(sent).toEqual({
      changeType: 'updated',
      notificationUrl: NOTIFY,
      lifecycleNotificationUrl: LIFECYCLE,
      resource: `/drives/${DRIVE_ID}/root`,
      // The driveItem maximum (42,300 minutes) less an hour: 29 days and 8 hours.
      expirationDateTime: new Date(NOW.getTime() + (42_300 - 60) * 60_000).toISOString(),
      clientState,
      latestSupportedTlsVersion: 'v1_2',
    });
    expect(subscription).toEqual({
      id: SUBSCRIPTION_ID,
      resource: `/drives/${DRIVE_ID}/root`,
      changeType: 'updated',
      notificationUrl: NOTIFY,
      lifecycleNotificationUrl: LIFECYCLE,
      expirationDateTime: '2024-05-31T17:00:00.000Z',
    });
  });

  it('asks for a shorter lifetime and a newer TLS version when told', async () => {
    let sent: Record<string, unknown> = {};
    server.use(
      http.post(`${GRAPH}/subscriptions`, async ({ request }) => {
        sent = (await request.json()) as Record<string, unknown>;
        return HttpResponse.json(subscriptionEntity(sent), { status: 201 });
      }),
    );
    await createSubscription(testClient(), {
      driveId: DRIVE_ID,
      notificationUrl: NOTIFY,
      lifecycleNotificationUrl: NOTIFY,
      clientState: 'secret',
      expiresInMinutes: 120,
      latestSupportedTlsVersion: 'v1_3',
      now: NOW,
    });
    expect(sent.expirationDateTime).toBe('2024-05-02T11:00:00.000Z');
    expect(sent.latestSupportedTlsVersion).toBe('v1_3');
  });

  it.each([
    ['an http notification URL', { notificationUrl: 'http://prism.contoso.com/hooks' }],
    ['a lifecycle URL that is no URL', { lifecycleNotificationUrl: 'prism/hooks' }],
    ['a clientState over 128 characters', { clientState: 'x'.repeat(129) }],
    ['an empty clientState', { clientState: '' }],
    [
      'a lifetime over the driveItem maximum',
      { expiresInMinutes: DRIVE_SUBSCRIPTION_MAX_MINUTES + 1 },
    ],
    ['a fractional lifetime', { expiresInMinutes: 1.5 }],
  ])('refuses %s without calling Graph', async (_, override) => {
    const error = await captureError(
      createSubscription(testClient(), {
        driveId: DRIVE_ID,
        notificationUrl: NOTIFY,
        lifecycleNotificationUrl: LIFECYCLE,
        clientState: 'secret',
        ...override,
      }),
    );
    expect(error).toMatchObject({ code: 'invalid_watch_option', hint: expect.any(String) });
  });

  it('reports a failed endpoint validation as Graph explains it', async () => {
    server.use(
      http.post(`${GRAPH}/subscriptions`, () =>
        graphError(
          400,
          'InvalidRequest',
          'Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.',
        ),
      ),
    );
    const error = await captureError(
      createSubscription(testClient(), {
        driveId: DRIVE_ID,
        notificationUrl: NOTIFY,
        lifecycleNotificationUrl: LIFECYCLE,
        clientState: 'secret',
      }),
    );
    expect(error).toMatchObject({ code: 'graph_request_failed', status: 400 });
    expect((error as Error).message).toContain('Subscription validation request failed');
  });

  it('maps a missing permission to access_denied', async () => {
    server.use(
      http.post(`${GRAPH}/subscriptions`, () =>
        graphError(403, 'ExtensionError', 'Operation: Create; Exception: [Status Code: Forbidden]'),
      ),
    );
    const error = await captureError(
      createSubscription(testClient(), {
        driveId: DRIVE_ID,
        notificationUrl: NOTIFY,
        lifecycleNotificationUrl: LIFECYCLE,
        clientState: 'secret',
      }),
    );
    expect(error).toMatchObject({ code: 'access_denied' });
  });
});

describe('renewSubscription', () => {
  it('patches only the new expiry and returns the renewed subscription', async () => {
    let sent: unknown;
    server.use(
      http.patch(`${GRAPH}/subscriptions/${SUBSCRIPTION_ID}`, async ({ request }) => {
        sent = await request.json();
        return HttpResponse.json(subscriptionEntity(sent as Record<string, unknown>));
      }),
    );
    const renewed = await renewSubscription(testClient(), SUBSCRIPTION_ID, undefined, NOW);
    expect(sent).toEqual({ expirationDateTime: '2024-05-31T17:00:00.000Z' });
    expect(renewed).toMatchObject({
      id: SUBSCRIPTION_ID,
      expirationDateTime: '2024-05-31T17:00:00.000Z',
    });
  });

  it('says to create a new subscription when Graph no longer has it', async () => {
    server.use(
      http.patch(`${GRAPH}/subscriptions/${SUBSCRIPTION_ID}`, () =>
        graphError(404, 'ResourceNotFound', `The object was not found.`),
      ),
    );
    const error = await captureError(renewSubscription(testClient(), SUBSCRIPTION_ID, 60, NOW));
    expect(error).toMatchObject({
      code: 'subscription_not_found',
      hint: expect.stringContaining('create a new one'),
    });
  });
});

describe('deleteSubscription', () => {
  it('deletes the subscription', async () => {
    let deleted = false;
    server.use(
      http.delete(`${GRAPH}/subscriptions/${SUBSCRIPTION_ID}`, () => {
        deleted = true;
        return new HttpResponse(null, { status: 204 });
      }),
    );
    await deleteSubscription(testClient(), SUBSCRIPTION_ID);
    expect(deleted).toBe(true);
  });

  it('treats a subscription Graph no longer has as deleted', async () => {
    server.use(
      http.delete(`${GRAPH}/subscriptions/${SUBSCRIPTION_ID}`, () =>
        graphError(404, 'ResourceNotFound', 'The object was not found.'),
      ),
    );
    await expect(deleteSubscription(testClient(), SUBSCRIPTION_ID)).resolves.toBeUndefined();
  });

  it('reports other failures', async () => {
    server.use(
      http.delete(`${GRAPH}/subscriptions/${SUBSCRIPTION_ID}`, () =>
        graphError(
          401,
          'InvalidAuthenticationToken',
          'Access token has expired or is not yet valid.',
        ),
      ),
    );
    const error = await captureError(deleteSubscription(testClient(), SUBSCRIPTION_ID));
    expect(error).toMatchObject({ code: 'access_denied' });
  });
});

describe('renewalDue', () => {
  const subscription = { expirationDateTime: '2024-05-31T09:00:00Z' };
  const day = 24 * 60 * 60 * 1000;

  it('is not due while the expiry is further away than the margin', () => {
    expect(renewalDue(subscription, NOW, day)).toBe(false);
  });

  it('is due within the margin, and after expiry', () => {
    expect(renewalDue(subscription, new Date('2024-05-30T10:00:00Z'), day)).toBe(true);
    expect(renewalDue(subscription, new Date('2024-06-01T00:00:00Z'), 0)).toBe(true);
  });

  it('is due when the expiry cannot be read', () => {
    expect(renewalDue({ expirationDateTime: 'soon' }, NOW, day)).toBe(true);
  });
});
