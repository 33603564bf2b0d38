import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Client } from '@microsoft/microsoft-graph-client';
import { type LocalPrism, Prism, type ReviewProvider, type WebhookEvent } from '@prism/sdk';
import type Bottleneck from 'bottleneck';
import { type SetupServer, setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import {
  AutoReviewer,
  type AutoReviewerOptions,
  MemoryWatchStore,
  type SharePointWatch,
} from '../../src/auto-review/index.js';
import { createGraphClient, createGraphLimiter } from '../../src/graph/graph-client.js';
import { ensureColumns } from '../../src/sink/ensure-columns.js';
import { createClientState } from '../../src/watch/client-state.js';
import { initialDeltaLink } from '../../src/watch/delta.js';
import { createSubscription } from '../../src/watch/subscriptions.js';
import { MemorySeenVersions } from '../../src/watch/versions.js';
import { DRIVE_ID, FakeDrive } from './fake-drive.js';

/** The Prism server's public address, as review links show it. */
export const PUBLIC_BASE_URL = 'https://prism.contoso.com';
/** Where Graph posts notifications for the server. */
export const NOTIFICATION_URL = 'https://prism.contoso.com/hooks/graph/sharepoint';
/** Where Prism's own webhook deliveries go. */
export const HOOK_URL = 'https://hooks.contoso.com/prism';
/** The access token the connection's token provider hands out. */
export const ACCESS_TOKEN = 'eyJ0eXAiOiJKV1QiLCJub25jZSI6ImF1dG8tcmV2aWV3In0.e30.sig';

/** The bytes of a real investigation report in Word format, from the repository's examples. */
export function sampleDocx(): Uint8Array {
  return new Uint8Array(
    readFileSync(
      resolve(import.meta.dirname, '../../../../../examples/documents/cold-chain-excursion.docx'),
    ),
  );
}

/** A short report in Markdown, different for each `n`. */
export function sampleMarkdown(n: number): Uint8Array {
  return new TextEncoder().encode(
    `# Incident report ${n}\n\n## Summary\n\nScanner ${n} stopped at 09:14; the shift lead restarted it at 09:40.\n`,
  );
}

/** A Prism webhook delivery, as the endpoint received it, and its checked event. */
export interface Delivery {
  headers: Record<string, string>;
  body: string;
  event: WebhookEvent;
}

/** The webhook deliveries an endpoint received, their signatures checked. */
export class DeliveryLog {
  readonly received: Delivery[] = [];
  readonly #listeners = new Set<(delivery: Delivery) => void>();

  /** Records a delivery and tells the listeners. */
  add(delivery: Delivery): void {
    this.received.push(delivery);
    for (const listener of this.#listeners) listener(delivery);
  }

  /** Calls `listener` with each delivery from now on. */
  on(listener: (delivery: Delivery) => void): void {
    this.#listeners.add(listener);
  }

  /** The first delivery, received or to come, that `matches`. */
  waitFor(matches: (delivery: Delivery) => boolean): Promise<Delivery> {
    const found = this.received.find(matches);
    if (found !== undefined) return Promise.resolve(found);
    return new Promise((resolve) => {
      const listener = (delivery: Delivery): void => {
        if (!matches(delivery)) return;
        this.#listeners.delete(listener);
        resolve(delivery);
      };
      this.#listeners.add(listener);
    });
  }
}

/** What a test works with. */
export interface AutoReviewHarness {
  /** The msw server: `server.use(...)` puts a failure in front of the drive. */
  server: SetupServer;
  drive: FakeDrive;
  prism: LocalPrism;
  client: Client;
  limiter: Bottleneck;
  store: MemoryWatchStore;
  seen: MemorySeenVersions;
  reviewer: AutoReviewer;
  /** The watch as first stored; read the store for its current state. */
  watch: SharePointWatch;
  /** The webhook deliveries of every Prism event, their signatures checked. */
  deliveries: DeliveryLog;
}

/** How the harness is set up. */
export interface HarnessOptions {
  /** Who reviews. Default Prism's `rules`. */
  model?: ReviewProvider;
  /** The limiter of the tenant's Graph clients. Default: generous. */
  limiter?: () => Bottleneck;
  /** Changes to the auto-reviewer's options. */
  reviewer?: Partial<AutoReviewerOptions>;
  /** Changes to the watch. */
  watch?: Partial<SharePointWatch>;
}

/**
 * Starts msw for the file and gives each test a fresh library behind Graph, an in-process Prism
 * whose webhook deliveries (to one endpoint for every event) are captured and checked, and an
 * auto-reviewer (of that Prism's one tenant) with one watch on the library's Contracts folder,
 * set up as the server would:
 * the Prism columns created, a subscription made, the delta position taken from now.
 */
export function useAutoReview(options: HarnessOptions = {}): () => AutoReviewHarness {
  const server = setupServer();
  let current: AutoReviewHarness | undefined;
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  beforeEach(async () => {
    const drive = new FakeDrive();
    server.use(...drive.handlers());
    const limiter = options.limiter?.() ?? createGraphLimiter(1000, 8);
    const client = createGraphClient({
      accessToken: async () => ACCESS_TOKEN,
      limiter,
      maxRetries: 2,
      retryDelaySeconds: 0,
    });
    const deliveries = new DeliveryLog();
    let secret = '';
    const prism = Prism.local({
      ...(options.model === undefined ? {} : { model: options.model }),
      fetch: async (_url, init) => {
        const headers = Object.fromEntries(new Headers(init.headers).entries());
        const body = String(init.body);
        deliveries.add({ headers, body, event: prism.webhooks.unwrap(body, headers, secret) });
        return new Response(null, { status: 204 });
      },
    });
    secret = (await prism.webhooks.create({ url: HOOK_URL })).secret;
    await ensureColumns(client, { driveId: DRIVE_ID });
    const clientState = createClientState();
    const subscription = await createSubscription(client, {
      driveId: DRIVE_ID,
      notificationUrl: NOTIFICATION_URL,
      lifecycleNotificationUrl: NOTIFICATION_URL,
      clientState,
    });
    const watch: SharePointWatch = {
      id: 'wat_contracts',
      tenantId: 'local',
      connectionId: 'con_contoso',
      driveId: DRIVE_ID,
      folderPath: 'Contracts',
      fileTypes: [],
      subscriptionId: subscription.id,
      clientState,
      expirationDateTime: subscription.expirationDateTime,
      deltaLink: await initialDeltaLink(client, DRIVE_ID),
      ...options.watch,
    };
    const store = new MemoryWatchStore();
    store.put(watch);
    const seen = new MemorySeenVersions();
    const reviewer = new AutoReviewer({
      prismFor: () => prism,
      graphFor: () => client,
      store,
      seenFor: () => seen,
      publicBaseUrl: PUBLIC_BASE_URL,
      notificationUrl: NOTIFICATION_URL,
      ...options.reviewer,
    });
    current = { server, drive, prism, client, limiter, store, seen, reviewer, watch, deliveries };
  });
  afterEach(async () => {
    if (current !== undefined) {
      await current.reviewer.idle();
      await current.prism.close();
      await current.limiter.stop({ dropWaitingJobs: true });
    }
    current = undefined;
    server.resetHandlers();
  });
  afterAll(() => server.close());
  return () => {
    if (current === undefined) throw new Error('The harness is only ready inside a test.');
    return current;
  };
}

/** The current state of the harness's watch. */
export async function storedWatch(harness: AutoReviewHarness): Promise<SharePointWatch> {
  const watch = await harness.store.get(harness.watch.id);
  if (watch === undefined) throw new Error('the watch is gone');
  return watch;
}

/** Posts Graph's change notification for the watch's current subscription. */
export async function notifyChange(harness: AutoReviewHarness): Promise<void> {
  const watch = await storedWatch(harness);
  const reply = harness.reviewer.handleNotification({
    query: {},
    body: harness.drive.notification(watch.subscriptionId, watch.clientState),
  });
  if (reply.status !== 202) throw new Error(`notification answered ${reply.status}`);
}
