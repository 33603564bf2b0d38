import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, INCIDENT_REPORT } from '../../src/contract/documents.js';
import { type LocalPrism, Prism, type WebhookDelivery } from '../../src/index.js';

const HOOK_URL = 'https://hooks.example.com/retries';
const received: { id: string; body: string }[] = [];
/** The statuses the endpoint answers with, in turn; then 204 for good. */
let answers: number[] = [];
const server = setupServer(
  http.post(HOOK_URL, async ({ request }) => {
    received.push({ id: request.headers.get('webhook-id') ?? '', body: await request.text() });
    return new HttpResponse(null, { status: answers.shift() ?? 204 });
  }),
);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  received.length = 0;
  answers = [];
});
afterAll(() => server.close());

/** A Prism whose failed deliveries are retried after 20, 20 and 20 ms. */
function fastRetrying(disableAfterDead = 5): LocalPrism {
  return Prism.local({
    webhookRetries: { scheduleMs: [20, 20, 20], pollMs: 10, disableAfterDead },
  });
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('webhook retries', () => {
  it('retries a failing endpoint on the schedule with the same id and payload until it answers', async () => {
    const prism = fastRetrying();
    const { endpoint } = await prism.webhooks.create({
      url: HOOK_URL,
      enabledEvents: ['document.ingested'],
    });
    answers = [503, 500];
    await prism.documents.create({ file: bytesOf(INCIDENT_REPORT), filename: 'a.md' });
    const [delivery] = await until(
      () => prism.webhooks.listDeliveries(endpoint.id).toArray(),
      (list) => list[0]?.status === 'succeeded',
    );
    expect(delivery?.attempts.map((attempt) => attempt.responseStatus)).toEqual([503, 500, 204]);
    expect(delivery?.nextAttemptAt).toBeNull();
    expect(new Set(received.map((message) => message.id)).size).toBe(1);
    expect(new Set(received.map((message) => message.body)).size).toBe(1);
    await prism.close();
  });

  it('marks a delivery dead when the schedule is used up, keeping every attempt', async () => {
    const prism = fastRetrying();
    const { endpoint } = await prism.webhooks.create({
      url: HOOK_URL,
      enabledEvents: ['document.ingested'],
    });
    answers = [500, 500, 500, 500];
    await prism.documents.create({ file: bytesOf(INCIDENT_REPORT), filename: 'a.md' });
    const [dead] = await until(
      () => prism.webhooks.listDeliveries(endpoint.id, { status: 'dead' }).toArray(),
      (list) => list.length === 1,
    );
    expect(dead?.attempts).toHaveLength(4);
    expect(dead?.nextAttemptAt).toBeNull();
    const replayed = await prism.webhooks.replayDelivery(endpoint.id, dead?.id ?? '');
    expect(replayed.status).toBe('succeeded');
    await prism.close();
  });

  it('disables an endpoint whose deliveries die several times in a row, saying why', async () => {
    const prism = fastRetrying(2);
    const { endpoint } = await prism.webhooks.create({
      url: HOOK_URL,
      enabledEvents: ['document.ingested'],
    });
    answers = Array(8).fill(500);
    for (const name of ['a.md', 'b.md']) {
      await prism.documents.create({ file: bytesOf(INCIDENT_REPORT), filename: name });
    }
    const disabled = await until(
      () => prism.webhooks.get(endpoint.id),
      (found) => found.status === 'disabled',
    );
    expect(disabled.disabledReason).toMatch(/last 2 deliveries failed every attempt/);
    const deliveries: WebhookDelivery[] = await prism.webhooks
      .listDeliveries(endpoint.id)
      .toArray();
    expect(deliveries.map((delivery) => delivery.status)).toEqual(['dead', 'dead']);
    received.length = 0;
    await prism.documents.create({ file: bytesOf(INCIDENT_REPORT), filename: 'c.md' });
    await prism.close();
    expect(received).toEqual([]);
  });
});
