import { readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  generateWebhookSecret,
  type ReviewCompletedEvent,
  signWebhook,
  type WebhookEvent,
} from '@prism/sdk';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import { createWebhookConsumer } from '../src/index.js';

const spec = parse(readFileSync(new URL('../../../openapi/prism.yaml', import.meta.url), 'utf8'));
const reviewCompleted: ReviewCompletedEvent =
  spec.components.schemas.ReviewCompletedEvent.examples[0];
const payload = JSON.stringify(reviewCompleted);

const secret = generateWebhookSecret();
const servers: Server[] = [];

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))),
  );
});

/** Starts a consumer on 127.0.0.1, port 0; returns its URL and the events it handled. */
async function start(secrets: string | string[] = secret) {
  const events: WebhookEvent[] = [];
  const server = createWebhookConsumer({
    secret: secrets,
    onEvent: (event) => void events.push(event),
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/prism`, events };
}

function signed(
  options: { id?: string; body?: string; secrets?: string | string[]; timestamp?: Date } = {},
) {
  const body = options.body ?? payload;
  const headers = signWebhook({
    id: options.id ?? `msg_${crypto.randomUUID()}`,
    timestamp: options.timestamp ?? new Date(),
    payload: body,
    secrets: options.secrets ?? secret,
  });
  return { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body };
}

describe('webhook consumer', () => {
  it('answers 204 to a valid delivery and hands over the typed event', async () => {
    const { url, events } = await start();
    const response = await fetch(url, signed());
    expect(response.status).toBe(204);
    expect(events).toEqual([reviewCompleted]);
    const [event] = events;
    expect(event?.type === 'review.completed' && event.data.review.summary?.score).toBe(100);
  });

  it('verifies the raw bytes: a body with different whitespace is refused', async () => {
    const { url, events } = await start();
    const request = signed();
    const response = await fetch(url, {
      ...request,
      body: JSON.stringify(reviewCompleted, null, 2),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^webhook_invalid_signature: /);
    expect(events).toEqual([]);
  });

  it('refuses a tampered body with 400', async () => {
    const { url, events } = await start();
    const request = signed();
    const response = await fetch(url, { ...request, body: payload.replace('100', '10') });
    expect(response.status).toBe(400);
    expect(events).toEqual([]);
  });

  it('refuses a delivery signed with another secret with 400, without echoing the secret', async () => {
    const { url, events } = await start();
    const response = await fetch(url, signed({ secrets: generateWebhookSecret() }));
    expect(response.status).toBe(400);
    const text = await response.text();
    expect(text).toMatch(/^webhook_invalid_signature: /);
    expect(text).not.toContain(secret.slice('whsec_'.length));
    expect(events).toEqual([]);
  });

  it('refuses a stale timestamp with 400', async () => {
    const { url, events } = await start();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60 * 1000);
    const response = await fetch(url, signed({ timestamp: tenMinutesAgo }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^webhook_timestamp_too_old: /);
    expect(events).toEqual([]);
  });

  it('refuses a delivery without webhook headers with 400', async () => {
    const { url } = await start();
    const response = await fetch(url, { method: 'POST', body: payload });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^webhook_missing_headers: /);
  });

  it('refuses a signed body that is not a Prism event with 400', async () => {
    const { url, events } = await start();
    const body = JSON.stringify({ type: 'invoice.paid', timestamp: reviewCompleted.timestamp });
    const response = await fetch(url, signed({ body }));
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/^webhook_invalid_payload: .*invoice\.paid/);
    expect(events).toEqual([]);
  });

  it('acknowledges a repeated webhook-id with 204 but handles the event once', async () => {
    const { url, events } = await start();
    const first = await fetch(url, signed({ id: 'msg_retry' }));
    const retry = await fetch(url, signed({ id: 'msg_retry' }));
    expect([first.status, retry.status]).toEqual([204, 204]);
    expect(events).toHaveLength(1);
  });

  it('accepts deliveries signed with either secret during a rotation', async () => {
    const next = generateWebhookSecret();
    const { url, events } = await start([secret, next]);
    const oldOnly = await fetch(url, signed({ secrets: secret }));
    const newOnly = await fetch(url, signed({ secrets: next }));
    const both = await fetch(url, signed({ secrets: [next, secret] }));
    expect([oldOnly.status, newOnly.status, both.status]).toEqual([204, 204, 204]);
    expect(events).toHaveLength(3);
  });

  it('answers 405 to anything but POST', async () => {
    const { url } = await start();
    const response = await fetch(url);
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it('answers 413 to a body over 1 MB', async () => {
    const { url, events } = await start();
    const response = await fetch(url, signed({ body: 'x'.repeat(1024 * 1024 + 1) }));
    expect(response.status).toBe(413);
    expect(events).toEqual([]);
  });

  it('answers 500 when the handler fails, and handles the retry', async () => {
    const onEvent = vi.fn().mockRejectedValueOnce(new Error('database down'));
    const server = createWebhookConsumer({ secret, onEvent });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const first = await fetch(url, signed({ id: 'msg_flaky' }));
    const retry = await fetch(url, signed({ id: 'msg_flaky' }));
    errors.mockRestore();
    expect([first.status, retry.status]).toEqual([500, 204]);
    expect(onEvent).toHaveBeenCalledTimes(2);
  });

  it('logs one line per event by default', async () => {
    const server = createWebhookConsumer({ secret });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const response = await fetch(url, signed());
    const lines = [...log.mock.calls];
    log.mockRestore();
    expect(response.status).toBe(204);
    expect(lines).toEqual([['review.completed rev_3Nf8TgY1: score 100, 0 findings']]);
  });

  it('throws at once for a malformed secret', () => {
    expect(() => createWebhookConsumer({ secret: 'whsec_not base64!' })).toThrow(
      expect.objectContaining({ code: 'webhook_invalid_secret' }),
    );
  });
});
