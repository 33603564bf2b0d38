import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, INCIDENT_REPORT } from '../../src/contract/documents.js';
import {
  type LocalPrism,
  MemoryStore,
  NotSupportedLocallyError,
  Prism,
  PrismError,
  ReviewFailedError,
  type ReviewProvider,
  UnknownFrameworkError,
  verifyAuditChain,
} from '../../src/index.js';

const HOOK_URL = 'https://hooks.example.com/prism';
const received: { headers: Record<string, string>; body: string }[] = [];
let hookStatus = 204;
const server = setupServer(
  http.post(HOOK_URL, async ({ request }) => {
    received.push({ headers: Object.fromEntries(request.headers), body: await request.text() });
    return new HttpResponse(null, { status: hookStatus });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => {
  received.length = 0;
  hookStatus = 204;
});
afterAll(() => server.close());

/** A provider that waits for `release()` before it reviews anything, or fails when told to. */
function gatedProvider(fail?: PrismError): ReviewProvider & { release(): void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const wait = async (signal?: AbortSignal) => {
    await Promise.race([
      gate,
      new Promise((_, reject) => signal?.addEventListener('abort', () => reject(signal.reason))),
    ]);
    if (fail) throw fail;
    return { findings: [] };
  };
  return {
    id: 'gated',
    release: () => release(),
    reviewSection: (_section, context) => wait(context.signal),
    reviewDocument: (context) => wait(context.signal),
  };
}

async function upload(prism: LocalPrism, text = INCIDENT_REPORT) {
  return prism.documents.create({ file: bytesOf(text), filename: 'scanner-outage.md' });
}

describe('Prism.local(): what needs a server', () => {
  it('says connections, watches and connected documents need a server, and what to do', async () => {
    const prism = Prism.local();
    for (const call of [
      prism.connections.create({ provider: 'microsoft' }),
      prism.watches.create({
        connectionId: 'con_1',
        kind: 'sharepoint',
        target: 'https://x.sharepoint.com/sites/a/Docs',
      }),
      prism.documents.create({
        source: { connectionId: 'con_1', url: 'https://x.sharepoint.com/a.docx' },
      }),
    ]) {
      const error = await call.catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(NotSupportedLocallyError);
      expect(error).toMatchObject({
        code: 'not_supported_locally',
        hint: expect.stringContaining('prism serve'),
      });
    }
  });
});

describe('Prism.local(): options', () => {
  it('refuses an unknown model or framework when it is created', () => {
    expect(() => Prism.local({ model: 'gemini:pro' })).toThrow(
      expect.objectContaining({ code: 'unknown_model', hint: expect.stringContaining('bedrock') }),
    );
    expect(() => Prism.local({ model: 'openai-compatible' })).toThrow(
      expect.objectContaining({ code: 'unknown_model' }),
    );
    expect(() => Prism.local({ framework: 'no-such-framework' })).toThrow(UnknownFrameworkError);
    expect(() => Prism.local({ concurrency: 0 })).toThrow(/concurrency/);
  });

  it('keeps tenants of one store apart', async () => {
    const store = new MemoryStore();
    const alpha = Prism.local({ store, tenantId: 'alpha' });
    const beta = Prism.local({ store, tenantId: 'beta' });
    const document = await upload(alpha);
    expect((await beta.documents.list()).data).toEqual([]);
    await expect(beta.documents.get(document.id)).rejects.toMatchObject({ status: 404 });
    expect((await alpha.documents.get(document.id)).tenantId).toBe('alpha');
  });

  it('refuses a file over the upload limit before reading it, storing nothing', async () => {
    const prism = Prism.local();
    const huge = new Uint8Array(25 * 1024 * 1024 + 1);
    await expect(prism.documents.create({ file: huge, filename: 'big.md' })).rejects.toMatchObject({
      code: 'file_too_large',
    });
    expect((await prism.documents.list()).data).toEqual([]);
  });
});

describe('Prism.local(): reviews that do not succeed', () => {
  it('cancels a running review: the handle fails, events end with canceled', async () => {
    const provider = gatedProvider();
    const prism = Prism.local({ model: provider });
    const document = await upload(prism);
    const handle = await prism.reviews.create({ documentId: document.id });
    const failed: string[] = [];
    handle.on('failed', (review) => failed.push(review.status));
    const canceled = await prism.reviews.cancel(handle.id);
    expect(canceled.status).toBe('canceled');
    await expect(handle.done()).rejects.toBeInstanceOf(ReviewFailedError);
    expect(failed).toEqual(['canceled']);
    const types = [];
    for await (const event of prism.reviews.events(handle.id)) types.push(event.type);
    expect(types).toEqual(['canceled']);
    expect((await prism.audit.list({ action: 'review.canceled' })).data).toHaveLength(1);
  });

  it("records a provider's failure with its code, and tells webhooks", async () => {
    const provider = gatedProvider(new PrismError('model_timeout', 'The model did not answer.'));
    const prism = Prism.local({ model: provider });
    const { secret } = await prism.webhooks.create({
      url: HOOK_URL,
      enabledEvents: ['review.failed'],
    });
    const handle = await prism.reviews.create({ documentId: (await upload(prism)).id });
    provider.release();
    const error = await handle.done().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ReviewFailedError);
    expect(await prism.reviews.get(handle.id)).toMatchObject({
      status: 'failed',
      error: { code: 'model_timeout', message: 'The model did not answer.' },
    });
    await prism.close();
    expect(received).toHaveLength(1);
    const [delivery] = received;
    const event = prism.webhooks.unwrap(delivery?.body ?? '', delivery?.headers ?? {}, secret);
    expect(event).toMatchObject({ type: 'review.failed', data: { review: { id: handle.id } } });
  });
});

describe('Prism.local(): webhooks', () => {
  it('signs each event for each subscribed endpoint, and logs the delivery', async () => {
    const prism = Prism.local();
    const { endpoint, secret } = await prism.webhooks.create({
      url: HOOK_URL,
      enabledEvents: ['review.completed', 'finding.rejected'],
    });
    const report = await prism.reviewFile(bytesOf(INCIDENT_REPORT), { filename: 'report.md' });
    await prism.findings.reject(report.findings[0]?.id ?? '', { reason: 'known' });
    await prism.close();
    const types = received.map(
      ({ body, headers }) => prism.webhooks.unwrap(body, headers, secret).type,
    );
    expect(types.sort()).toEqual(['finding.rejected', 'review.completed']);
    const completed = received
      .map(({ body, headers }) => prism.webhooks.unwrap(body, headers, secret))
      .find((event) => event.type === 'review.completed');
    expect(completed?.data).toMatchObject({ review: { id: report.review.id } });
    const deliveries = await prism.webhooks.listDeliveries(endpoint.id).toArray();
    expect(deliveries.map((delivery) => delivery.status)).toEqual(['succeeded', 'succeeded']);
    expect(deliveries[0]?.attempts[0]).toMatchObject({ responseStatus: 204, error: null });
  });

  it('keeps a failed delivery, and replays it with the same id and payload', async () => {
    const prism = Prism.local();
    const { endpoint, secret } = await prism.webhooks.create({
      url: HOOK_URL,
      enabledEvents: ['document.ingested'],
    });
    hookStatus = 503;
    await upload(prism);
    await prism.close();
    const [delivery] = await prism.webhooks
      .listDeliveries(endpoint.id, { status: 'failed' })
      .toArray();
    expect(delivery?.attempts).toMatchObject([{ responseStatus: 503, error: 'HTTP 503' }]);

    hookStatus = 200;
    const replayed = await prism.webhooks.replayDelivery(endpoint.id, delivery?.id ?? '');
    expect(replayed).toMatchObject({ status: 'succeeded', eventId: delivery?.eventId });
    expect(replayed.attempts.map((attempt) => attempt.responseStatus)).toEqual([503, 200]);
    const [first, second] = received;
    expect(second?.body).toBe(first?.body);
    expect(second?.headers['webhook-id']).toBe(first?.headers['webhook-id']);
    expect(() =>
      prism.webhooks.verify(second?.body ?? '', second?.headers ?? {}, secret),
    ).not.toThrow();
  });

  it('signs with the old and the new secret during a rotation, and not with a disabled endpoint', async () => {
    const prism = Prism.local();
    const { endpoint, secret: oldSecret } = await prism.webhooks.create({ url: HOOK_URL });
    const { secret: newSecret } = await prism.webhooks.rotateSecret(endpoint.id, {
      gracePeriodSeconds: 3600,
    });
    await upload(prism);
    await prism.close();
    const [delivery] = received;
    expect(delivery?.headers['webhook-signature']?.split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret]) {
      expect(() =>
        prism.webhooks.verify(delivery?.body ?? '', delivery?.headers ?? {}, secret),
      ).not.toThrow();
    }
    received.length = 0;
    await prism.webhooks.update(endpoint.id, { status: 'disabled' });
    await upload(prism);
    await prism.close();
    expect(received).toEqual([]);
  });
});

describe('Prism.local(): learning and audit', () => {
  it('demotes a kind of finding people keep rejecting, and says why', async () => {
    const prism = Prism.local();
    let report = await prism.reviewFile(bytesOf(INCIDENT_REPORT), { filename: 'one.md' });
    const kind = report.findings.find(
      (finding) => finding.severity !== 'critical' && finding.severity !== 'info',
    );
    expect(kind).toBeDefined();
    for (let round = 0; round < 5; round += 1) {
      const same = report.findings.find(
        (finding) => finding.category === kind?.category && finding.status === 'open',
      );
      await prism.findings.reject(same?.id ?? '', { reason: 'not how we work' });
      report = await prism.reviewFile(bytesOf(`${INCIDENT_REPORT}\n<!-- ${round} -->\n`), {
        filename: `r${round}.md`,
      });
    }
    const demoted = report.findings.find((finding) => finding.category === kind?.category);
    expect(demoted?.adjustment?.originalSeverity).toBe(kind?.severity);
    expect(demoted?.adjustment?.reason).toMatch(/rejected in 5 of 5/);
  });

  it('chains every change so that editing a stored event is detected', async () => {
    const prism = Prism.local();
    await prism.reviewFile(bytesOf(INCIDENT_REPORT), { filename: 'report.md' });
    const events = await prism.audit.list().toArray();
    expect(events.map((event) => event.action)).toEqual([
      'document.created',
      'review.created',
      'review.completed',
    ]);
    expect(verifyAuditChain(events)).toBeUndefined();
    const tampered = events.map((event) =>
      event.sequence === 2 ? { ...event, actor: { ...event.actor, id: 'someone-else' } } : event,
    );
    expect(verifyAuditChain(tampered)).toMatchObject({ sequence: 2 });
  });
});

describe('prism.reviewFile', () => {
  it('cancels the review when its signal aborts', async () => {
    const provider = gatedProvider();
    const prism = Prism.local({ model: provider });
    const abort = new AbortController();
    const pending = prism.reviewFile(bytesOf(INCIDENT_REPORT), {
      filename: 'report.md',
      signal: abort.signal,
      onProgress: () => abort.abort(),
    });
    await expect(pending).rejects.toBeInstanceOf(Error);
    await prism.close();
    const [review] = (await prism.reviews.list()).data;
    expect(review?.status).toBe('canceled');
  });
});
