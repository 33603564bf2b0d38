import { readFileSync } from 'node:fs';
import { type Connection, NotFoundError, type Review, type Watch } from '@prism/sdk';
import { http, passthrough } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type ExampleServer, startExampleServer } from './example-server.js';
import { APP, CONTOSO, FakeEntra, LOGIN } from './fake-entra.js';
import { FakeGraph } from './fake-graph.js';
import { DRIVE_ID, LIBRARY_URL } from './library.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js';

// Creating the embedded database takes several seconds; a review and its write-back a few more.
vi.setConfig({ hookTimeout: 60_000, testTimeout: 60_000 });

/** How long the loop may take to show a result: reviews run and write back in seconds. */
const PATIENCE = { timeout: 30_000, interval: 100 };

/** The folder the admin watches, as its address shows in the browser. */
const INVESTIGATIONS_URL = `${LIBRARY_URL}/Investigations`;
/** The columns Prism writes a review into, by their internal names. */
const PRISM_COLUMNS = [
  'PrismStatus',
  'PrismScore',
  'PrismRisk',
  'PrismCritical',
  'PrismMajor',
  'PrismMinor',
  'PrismInfo',
  'PrismReview',
  'PrismError',
] as const;
const UPLOADED = 'Injection moulding defect.docx';
const REVIEWED_COPY = 'Injection moulding defect (Prism review).docx';
const DOCX = readFileSync(
  new URL('../../documents/injection-moulding-defect.docx', import.meta.url),
);

let server: ExampleServer;
let receiver: WebhookReceiver;
const entra = new FakeEntra();
const graph = new FakeGraph({
  accessTokens: () => entra.accessTokens,
  // Graph reaches the server at its public address, through the reverse proxy.
  deliver: (url, init) => fetch(server.tunnel(url), init),
  tenantId: CONTOSO.tenantId,
});
const investigationsId = graph.library.addFolder('Investigations');
// The internet as the server sees it: Entra ID and Graph; the machine itself passes through.
const network = setupServer(
  http.all(/^http:\/\/127\.0\.0\.1:\d+\//, () => passthrough()),
  ...entra.handlers(),
  ...graph.handlers(),
);

// What the walkthrough's steps leave for the next ones.
let connection: Connection;
let watch: Watch;
let uploadedId: string;
let review: Review;

/** The reviews the watch started. */
async function reviewsOfWatch(): Promise<Review[]> {
  const reviews: Review[] = [];
  for await (const candidate of server.prism.reviews.list({ limit: 100 })) {
    if (candidate.metadata.watchId === watch.id) reviews.push(candidate);
  }
  return reviews;
}

beforeAll(async () => {
  network.listen({ onUnhandledRequest: 'error' });
  server = await startExampleServer({
    MICROSOFT_CLIENT_ID: APP.clientId,
    MICROSOFT_CLIENT_SECRET: APP.clientSecret,
  });
  receiver = await startWebhookReceiver();
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
  network.close();
});

describe('SharePoint auto-review, as the walkthrough sets it up', () => {
  it('1. connects Microsoft: the admin signs in and consents, Entra ID sends the browser back', async () => {
    const publicUrl = server.config.PRISM_PUBLIC_URL;
    const started = await server.prism.connections.create({ provider: 'microsoft' });
    const authorizationUrl = new URL(started.authorizationUrl);
    expect(`${authorizationUrl.origin}${authorizationUrl.pathname}`).toBe(
      `${LOGIN}/${server.config.MICROSOFT_TENANT_ID}/oauth2/v2.0/authorize`,
    );
    expect(authorizationUrl.searchParams.get('redirect_uri')).toBe(
      `${publicUrl}/oauth/microsoft/callback`,
    );
    expect(authorizationUrl.searchParams.get('scope')?.split(' ')).toEqual(
      expect.arrayContaining(['User.Read', 'Files.ReadWrite.All', 'Sites.ReadWrite.All']),
    );

    // Entra ID redirects to <PRISM_PUBLIC_URL>/oauth/microsoft/callback?code=...&state=...
    const redirect = entra.signIn(authorizationUrl);
    const page = await fetch(server.tunnel(redirect));

    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Prism is connected to contoso.com');
    expect(entra.tokenTenants).toEqual([server.config.MICROSOFT_TENANT_ID]);
    connection = await server.prism.connections.get(started.connection.id);
    expect(connection).toMatchObject({
      provider: 'microsoft',
      status: 'active',
      account: { id: CONTOSO.tenantId, name: 'contoso.com' },
    });
  });

  it('2. sets the library up: prism sharepoint setup creates the Prism columns', async () => {
    const setup = await server.cli('sharepoint', 'setup', INVESTIGATIONS_URL);

    expect(setup.stderr).toBe('');
    expect(setup.code).toBe(0);
    expect(setup.stdout).toContain(
      `Prepared ${INVESTIGATIONS_URL} through connection ${connection.id}`,
    );
    for (const name of PRISM_COLUMNS)
      expect(setup.stdout).toMatch(new RegExp(`^${name} .* created$`, 'm'));
    expect(setup.stdout).toContain(
      `Created ${PRISM_COLUMNS.length} of the ${PRISM_COLUMNS.length} Prism columns.`,
    );
    expect(graph.library.columns.map((column) => column.name)).toEqual(
      expect.arrayContaining([...PRISM_COLUMNS]),
    );
  });

  it('3. subscribes a webhook endpoint to review.completed', async () => {
    const { endpoint, secret } = await server.prism.webhooks.create({
      url: receiver.url,
      description: 'QA dashboard',
      enabledEvents: ['review.completed'],
    });
    receiver.secret = secret;

    expect(endpoint).toMatchObject({ status: 'enabled', enabledEvents: ['review.completed'] });
  });

  it('4. watches the Investigations folder: columns, delta position and a validated subscription', async () => {
    const watching = await server.cli(
      'watch',
      'sharepoint',
      INVESTIGATIONS_URL,
      '--types',
      'docx',
      '--results-folder',
      'Prism reviews',
      '--json',
    );
    expect(watching.stderr).toBe('');
    expect(watching.code).toBe(0);
    watch = JSON.parse(watching.stdout) as Watch;

    expect(watch).toMatchObject({
      status: 'active',
      target: INVESTIGATIONS_URL,
      fileTypes: ['docx'],
      resultsFolder: 'Prism reviews',
    });
    const share = `u!${Buffer.from(INVESTIGATIONS_URL).toString('base64url')}`;
    expect(graph.seen('GET', /^\/shares\//).at(-1)?.path).toBe(`/shares/${share}/driveItem`);
    // The columns are there already: none is created twice.
    expect(graph.seen('POST', /\/columns$/)).toHaveLength(PRISM_COLUMNS.length);
    // Changes from now on: the delta position is the latest one, no enumeration of the library.
    expect(graph.deltaTokens.read).toEqual(['latest']);
    // Graph created the subscription only after the server echoed its validation token.
    const [subscription] = graph.subscriptions.values();
    expect(graph.subscriptions.size).toBe(1);
    expect(graph.seen('POST', /^\/subscriptions$/)[0]?.body).toMatchObject({
      changeType: 'updated',
      resource: `/drives/${DRIVE_ID}/root`,
      notificationUrl: `${server.config.PRISM_PUBLIC_URL}/hooks/graph`,
      clientState: subscription?.clientState,
    });
  });

  it('5. reviews an uploaded document, fills its columns, uploads the reviewed copy and signs the webhook', async () => {
    uploadedId = graph.library.putFile(investigationsId, UPLOADED, DOCX).id;

    expect(await graph.notifySubscribers()).toEqual([202]);

    await vi.waitFor(() => {
      expect(graph.library.items.get(uploadedId)?.fields.PrismStatus).toBe('succeeded');
      expect(graph.library.atPath(`Prism reviews/${REVIEWED_COPY}`)).toBeDefined();
    }, PATIENCE);
    const reviews = await reviewsOfWatch();
    expect(reviews).toHaveLength(1);
    review = reviews[0] as Review;
    expect(review).toMatchObject({ status: 'succeeded', summary: { score: expect.any(Number) } });
    const summary = review.summary;
    expect(graph.library.items.get(uploadedId)?.fields).toEqual({
      PrismStatus: 'succeeded',
      PrismScore: summary?.score,
      PrismRisk: summary?.riskLevel,
      PrismCritical: summary?.counts.critical,
      PrismMajor: summary?.counts.major,
      PrismMinor: summary?.counts.minor,
      PrismInfo: summary?.counts.info,
      PrismReview: `${server.config.PRISM_PUBLIC_URL}/reviews/${review.id}`,
      PrismError: null,
    });
    expect(summary?.counts.major).toBeGreaterThan(0);
    // The copy is a Word document whose findings are comments.
    const copy = graph.library.atPath(`Prism reviews/${REVIEWED_COPY}`)?.bytes ?? new Uint8Array();
    expect(Buffer.from(copy).includes('word/comments.xml')).toBe(true);
    // The file was read through the pre-authenticated download URL Graph redirected to.
    expect(graph.seen('GET', new RegExp(`/items/${uploadedId}/content$`))).toHaveLength(1);

    await vi.waitFor(() => {
      expect(receiver.events).toContainEqual(
        expect.objectContaining({
          type: 'review.completed',
          data: expect.objectContaining({ review: expect.objectContaining({ id: review.id }) }),
        }),
      );
    }, PATIENCE);
    expect(receiver.refused).toBe(0);
  });

  it('6. the write-back changes the library too, and its notification starts no second review', async () => {
    const fieldWrites = graph.seen('PATCH', /\/listItem\/fields$/).length;
    const reads = graph.deltaTokens.read.length;

    // The fields written (a new eTag, the same cTag) and the new copy are the drive's changes.
    expect(await graph.notifySubscribers()).toEqual([202]);
    await vi.waitFor(() => expect(graph.deltaTokens.read.length).toBeGreaterThan(reads), PATIENCE);
    // The next run reads on from the position that run ended at: so that run is over.
    const ended = graph.deltaTokens.given[reads];
    expect(await graph.notifySubscribers()).toEqual([202]);
    await vi.waitFor(() => expect(graph.deltaTokens.read).toContain(ended), PATIENCE);

    expect(await reviewsOfWatch()).toEqual([expect.objectContaining({ id: review.id })]);
    expect(graph.seen('PATCH', /\/listItem\/fields$/)).toHaveLength(fieldWrites);
    expect(graph.seen('GET', new RegExp(`/items/${uploadedId}/content$`))).toHaveLength(1);
  });

  it('7. deleting the watch deletes its Graph subscription', async () => {
    const [subscriptionId] = graph.subscriptions.keys();

    const stopped = await server.cli('watch', 'delete', watch.id);

    expect(stopped).toEqual({
      code: 0,
      stdout: `Stopped watch ${watch.id}; its past reviews are kept\n`,
      stderr: '',
    });
    expect(graph.seen('DELETE', /^\/subscriptions\//).map((call) => call.path)).toEqual([
      `/subscriptions/${subscriptionId}`,
    ]);
    expect(graph.subscriptions.size).toBe(0);
    await expect(server.prism.watches.get(watch.id)).rejects.toBeInstanceOf(NotFoundError);
  });
});
