import {
  createClientState,
  createSubscription,
  deleteSubscription,
  ensureColumns,
  GraphFailure,
  initialDeltaLink,
  PRISM_COLUMNS,
  type SharePointWatch,
} from '@prism/connector-sharepoint';
import {
  type Connection,
  PrismError,
  type Watch,
  type WatchFlows,
  type WatchPlace,
  type WatchResultField,
} from '@prism/sdk';
import type { GraphClients } from './graph-clients.js';
import { normalizeResultsFolder } from './results-folder.js';
import type { SqlWatchStore } from './sql-watch-store.js';
import { type WatchOperation, watchRefusal } from './watch-refusal.js';
import { resolveWatchTarget, WatchTargetError } from './watch-target.js';

/** What {@link SharePointWatchFlows} needs. */
export interface SharePointWatchFlowsOptions {
  /** Where the watches' state is kept. */
  store: SqlWatchStore;
  /** The Graph clients of the connections. */
  clients: GraphClients;
  /** The HTTPS address Graph posts change and lifecycle notifications to. */
  notificationUrl: string;
  /** The lifetime asked for subscriptions, in minutes; unset: the connector's default. */
  subscriptionMinutes?: number;
  /** The clock. */
  clock: () => Date;
}

/**
 * Token and connection failures: the connection can no longer act on Microsoft Graph. Stopping
 * a watch then only forgets it; its subscription lapses at its expiry, and what Graph still
 * posts for it is ignored as an unknown subscription.
 */
const CONNECTION_GONE: ReadonlySet<string> = new Set([
  'not_found',
  'connection_not_active',
  'connection_tokens_missing',
  'invalid_grant',
  'access_denied',
]);

/**
 * The server side of SharePoint watches (`new PrismService({ watchFlows })`). Preparing a place
 * resolves it (a library or folder address) to a drive and folder and makes sure the library has
 * the Prism columns the results are written to. Starting a watch prepares its target, takes the
 * drive's delta position
 * from now on, subscribes to the drive's changes (Graph checks the notification URL first, with
 * a fresh secret for this subscription) and stores the watch. Stopping one deletes its
 * subscription and forgets it. Watches of other kinds are refused.
 */
export class SharePointWatchFlows implements WatchFlows {
  readonly #options: SharePointWatchFlowsOptions;

  /** Flows over the watches' store and the connections' Graph clients. */
  constructor(options: SharePointWatchFlowsOptions) {
    this.#options = options;
  }

  /**
   * Resolves a SharePoint library or folder through `connection` and creates the Prism columns
   * its library lacks; answers every Prism column, saying which this call created.
   *
   * @throws {APIError} 422 `watch_target_invalid`, `watch_target_not_a_folder`,
   *   `watch_target_not_found`; 409 `sharepoint_access_denied`; 501 `watch_kind_not_supported`;
   *   502 `graph_request_failed`; 503 `graph_unavailable`.
   */
  async prepare(place: WatchPlace, connection: Connection): Promise<WatchResultField[]> {
    const operation: WatchOperation = { method: 'POST', path: '/v2/watches/prepare' };
    if (place.kind !== 'sharepoint') throw kindNotSupported(operation, place.kind);
    const client = this.#options.clients.forConnection(connection);
    try {
      const target = await resolveWatchTarget(client, place.target);
      const { created } = await ensureColumns(client, { driveId: target.driveId });
      const createdNames = new Set(created.map((column) => column.name));
      return Object.values(PRISM_COLUMNS).map((column) => ({
        name: column.name,
        displayName: column.displayName,
        created: createdNames.has(column.name),
      }));
    } catch (error) {
      throw refusalOf(operation, error);
    }
  }

  /**
   * Starts watching a SharePoint library or folder through `connection`; nothing is kept when
   * it fails.
   *
   * @throws {APIError} 422 `watch_target_invalid`, `watch_target_not_a_folder`,
   *   `watch_target_not_found`, `watch_results_folder_invalid`; 409 `sharepoint_access_denied`;
   *   501 `watch_kind_not_supported`, `notifications_need_https`; 502 `graph_request_failed`;
   *   503 `graph_unavailable`.
   */
  async start(watch: Watch, connection: Connection): Promise<void> {
    const operation: WatchOperation = { method: 'POST', path: '/v2/watches' };
    if (watch.kind !== 'sharepoint') throw kindNotSupported(operation, watch.kind);
    const { store, clients, notificationUrl, subscriptionMinutes, clock } = this.#options;
    if (!notificationUrl.startsWith('https://')) {
      throw watchRefusal(
        operation,
        501,
        'notifications_need_https',
        `Microsoft Graph posts change notifications only to an https:// address, not ${notificationUrl}.`,
        'Set PRISM_PUBLIC_URL to the https:// address at which Microsoft Graph reaches this server.',
      );
    }
    const client = clients.forConnection(connection);
    try {
      const resultsFolder =
        watch.resultsFolder === undefined ? undefined : normalizeResultsFolder(watch.resultsFolder);
      const target = await resolveWatchTarget(client, watch.target);
      await ensureColumns(client, { driveId: target.driveId });
      const deltaLink = await initialDeltaLink(client, target.driveId);
      const clientState = createClientState();
      const subscription = await createSubscription(client, {
        driveId: target.driveId,
        notificationUrl,
        lifecycleNotificationUrl: notificationUrl,
        clientState,
        ...(subscriptionMinutes === undefined ? {} : { expiresInMinutes: subscriptionMinutes }),
        now: clock(),
      });
      const stored: SharePointWatch = {
        id: watch.id,
        tenantId: watch.tenantId,
        connectionId: connection.id,
        driveId: target.driveId,
        fileTypes: watch.fileTypes,
        framework: watch.framework,
        model: watch.model,
        subscriptionId: subscription.id,
        clientState,
        expirationDateTime: subscription.expirationDateTime,
        deltaLink,
        ...(target.folderPath === undefined ? {} : { folderPath: target.folderPath }),
        ...(resultsFolder === undefined ? {} : { resultsFolder }),
      };
      try {
        await store.insert(stored);
      } catch (error) {
        await deleteSubscription(client, subscription.id).catch(() => undefined);
        throw error;
      }
    } catch (error) {
      throw refusalOf(operation, error);
    }
  }

  /**
   * Deletes the watch's subscription (one Graph no longer has counts as deleted) and forgets the
   * watch, what it has seen and its pending write-backs. When the connection can no longer act
   * (deleted, needing reauthorisation, refused), the watch is forgotten all the same.
   *
   * @throws {APIError} 503 `graph_unavailable`, 502 `graph_request_failed`: nothing is forgotten.
   */
  async stop(watch: Watch): Promise<void> {
    const { store, clients } = this.#options;
    const stored = await store.get(watch.id);
    if (stored === undefined) return;
    try {
      const client = await clients.forWatch(stored);
      await deleteSubscription(client, stored.subscriptionId);
    } catch (error) {
      if (!(error instanceof PrismError && CONNECTION_GONE.has(error.code))) {
        throw refusalOf({ method: 'DELETE', path: `/v2/watches/${watch.id}` }, error);
      }
    }
    await store.delete(watch.id);
  }
}

function kindNotSupported(operation: WatchOperation, kind: string) {
  return watchRefusal(
    operation,
    501,
    'watch_kind_not_supported',
    `This server watches SharePoint libraries; ${kind} watches are not available.`,
    'Create a sharepoint watch, on a Microsoft connection.',
  );
}

/** The refusal a failure to start or stop a watch is answered with; others are thrown as they are. */
function refusalOf(operation: WatchOperation, error: unknown): unknown {
  if (error instanceof WatchTargetError) {
    return watchRefusal(operation, 422, error.code, error.message, hintOf(error));
  }
  if (!(error instanceof GraphFailure)) return error;
  switch (error.code) {
    case 'item_not_found':
      return watchRefusal(
        operation,
        422,
        'watch_target_not_found',
        error.message,
        'Check the address: the library or folder was deleted or moved, or the connected account cannot see it.',
      );
    case 'access_denied':
      return watchRefusal(operation, 409, 'sharepoint_access_denied', error.message, hintOf(error));
    case 'graph_unavailable':
      return watchRefusal(operation, 503, 'graph_unavailable', error.message, hintOf(error));
    default:
      return watchRefusal(operation, 502, 'graph_request_failed', error.message, hintOf(error));
  }
}

function hintOf(error: PrismError): string {
  return error.hint ?? 'Try again; if it keeps failing, report it with the request id.';
}
