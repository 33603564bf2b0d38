import { rm } from 'node:fs/promises';
import { type AuditEvent, type ConnectionProvider, generateApiKeySecret } from '@prism/sdk';
import { afterAll, beforeAll, expect } from 'vitest';
import type { TokenProvider } from '../../../src/connections/token-provider.js';
import { OAuthError } from '../../../src/connections/types.js';
import { Exposures } from './exposures.js';
import {
  captureStdout,
  encryptionKey,
  type FlowServer,
  MovableClock,
  newDataDir,
  type StdoutCapture,
  startFlowServer,
  TENANT,
} from './flow-server.js';
import {
  auditOf,
  connectionOf,
  deliveriesOf,
  failureOf,
  type StartedFlow,
  startConnecting,
  subscribeWebhook,
} from './flow-steps.js';
import type { ProviderNetwork } from './provider-network.js';
import { expectNoSecretShows } from './sweep.js';
import {
  type ReceivedEvent,
  startWebhookConsumer,
  type WebhookConsumer,
} from './webhook-consumer.js';

/** What a test file's flow runs on, set up before its tests. */
interface Started {
  dataDir: string;
  stdout: StdoutCapture;
  consumer: WebhookConsumer;
  server: FlowServer;
  tokens: TokenProvider;
  endpointId: string;
}

/**
 * One server for a test file's flow: started before its tests with stdout captured, a webhook
 * consumer subscribed to the connection events, and a token provider on a movable clock;
 * everything it shows gathered in {@link exposures}.
 */
export class FlowContext {
  /** Everything shown so far. */
  readonly exposures = new Exposures();
  /** The token provider's clock. */
  readonly clock = new MovableClock();
  /** The PKCE verifiers of every flow started. */
  readonly verifiers: string[] = [];
  readonly #network: ProviderNetwork;
  #started: Started | undefined;

  constructor(network: ProviderNetwork) {
    this.#network = network;
  }

  /** The running server. */
  get server(): FlowServer {
    return this.#ready().server;
  }

  /** The token provider over the server's store. */
  get tokens(): TokenProvider {
    return this.#ready().tokens;
  }

  /** The webhook consumer subscribed to the connection events. */
  get consumer(): WebhookConsumer {
    return this.#ready().consumer;
  }

  /** The id of the consumer's webhook endpoint. */
  get endpointId(): string {
    return this.#ready().endpointId;
  }

  /** The server's JSON log lines so far. */
  logLines(): Record<string, unknown>[] {
    return this.#ready().stdout.logLines();
  }

  /** Starts a flow for `provider`, keeping its PKCE verifier among the secrets. */
  async startConnecting(provider: ConnectionProvider, connectionId?: string): Promise<StartedFlow> {
    const started = await startConnecting(this.server, provider, connectionId);
    this.verifiers.push(started.codeVerifier);
    return started;
  }

  /**
   * Asks for an access token of `connectionId` once the provider refuses its refresh token, and
   * checks what must follow: `invalid_grant`, then `connection_not_active` (`needs_reauth`) on the
   * next ask, the connection `needs_reauth`, one `connection.needs_reauth` delivery, and the
   * audit entry. Returns the refusal and the event, for the provider's own checks.
   */
  async expectNeedsReauthOnce(
    connectionId: string,
  ): Promise<{ refused: unknown; event: ReceivedEvent }> {
    const refused = await failureOf(this.tokens.getAccessToken(TENANT, connectionId));
    this.exposures.error('getAccessToken refused', refused);
    const again = await failureOf(this.tokens.getAccessToken(TENANT, connectionId));
    this.exposures.error('getAccessToken after needs_reauth', again);

    expect(refused).toBeInstanceOf(OAuthError);
    expect(refused).toMatchObject({ code: 'invalid_grant' });
    expect(again).toMatchObject({ code: 'connection_not_active', status: 'needs_reauth' });
    expect((await connectionOf(this.server.api, connectionId))?.status).toBe('needs_reauth');
    const event = await this.consumer.event('connection.needs_reauth');
    expect(event.data).toMatchObject({ connection: { id: connectionId, status: 'needs_reauth' } });
    const deliveries = await deliveriesOf(this.server.api, this.endpointId);
    expect(
      deliveries.filter((delivery) => delivery.eventType === 'connection.needs_reauth'),
    ).toHaveLength(1);
    expect(await auditOf(this.server.api)).toContainEqual(
      expect.objectContaining<Partial<AuditEvent>>({
        action: 'connection.needs_reauth',
        target: { type: 'connection', id: connectionId },
      }),
    );
    return { refused, event };
  }

  /**
   * Checks that none of the flow's secrets shows anywhere (see `expectNoSecretShows`), these
   * included; returns the secrets searched for.
   */
  expectNoSecretShows(secrets: Iterable<string>): Promise<string[]> {
    const { server, stdout, dataDir } = this.#ready();
    return expectNoSecretShows({
      server,
      stdout,
      dataDir,
      exposures: this.exposures,
      network: this.#network,
      secrets: [...secrets, ...this.verifiers],
    });
  }

  /** Starts the server with `providers` (their settings). */
  async start(providers: Record<string, string>): Promise<void> {
    const dataDir = await newDataDir();
    const consumer = await startWebhookConsumer();
    const stdout = captureStdout();
    let server: FlowServer;
    try {
      server = await startFlowServer(
        {
          dataDir,
          encryptionKeys: encryptionKey('k1'),
          adminKey: generateApiKeySecret(),
          providers,
        },
        this.exposures,
      );
    } catch (error) {
      stdout.restore();
      await consumer.close();
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    }
    const tokens = server.tokenProvider(this.clock.now);
    this.#started = { dataDir, stdout, consumer, server, tokens, endpointId: '' };
    this.#started.endpointId = await subscribeWebhook(server.api, consumer.url);
  }

  /** Stops the server and the consumer, and removes the database. */
  async stop(): Promise<void> {
    const started = this.#started;
    if (started === undefined) return;
    await started.server.running.close();
    started.stdout.restore();
    await started.consumer.close();
    await rm(started.dataDir, { recursive: true, force: true });
  }

  #ready(): Started {
    if (this.#started === undefined) throw new Error('The flow server has not started.');
    return this.#started;
  }
}

/** A {@link FlowContext} started before the file's tests with `providers`, stopped after. */
export function useFlowServer(
  network: ProviderNetwork,
  providers: Record<string, string>,
): FlowContext {
  const context = new FlowContext(network);
  beforeAll(() => context.start(providers));
  afterAll(() => context.stop());
  return context;
}
