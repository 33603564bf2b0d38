import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import {
  type CodedError,
  type Installation,
  type InstallationStore,
  InstallProvider,
  type InstallURLOptions,
} from '@slack/oauth';
import type { AuthorizationRequest, CodeExchange } from '../types.js';
import { silentSlackLogger, slackClientOptions } from './slack-client-options.js';
import { slackFailure } from './slack-errors.js';
import { unexpectedAnswer } from './slack-installation.js';

/** What the adapter's `InstallProvider`s are made of. */
export interface SlackInstallSettings {
  /** The Slack app's client id. */
  clientId: string;
  /** The Slack app's client secret. */
  clientSecret: string;
  /** The bot scopes to ask for. */
  scopes: readonly string[];
  /** The user scopes to ask for. */
  userScopes: readonly string[];
  /** How long one call to Slack may take. */
  timeoutMs: number;
}

/**
 * The install URL, `https://slack.com/oauth/v2/authorize?scope=…&state=…&client_id=…&
 * redirect_uri=…&user_scope=…`, built by `InstallProvider.generateInstallUrl` with the hub's
 * state passed in: the hub issued it (single-use, bound to tenant and user), so Slack's own state
 * store is never asked for one.
 */
export async function slackInstallUrl(
  settings: SlackInstallSettings,
  request: AuthorizationRequest,
): Promise<string> {
  const installer = slackInstaller(settings, installationHandoff().store);
  return installer.generateInstallUrl(
    installOptions(settings, request.redirectUri),
    true,
    request.state,
  );
}

/**
 * Completes an install from the callback: `InstallProvider.handleCallback` exchanges the code
 * with `oauth.v2.access`, asks `auth.test` for the bot id (and an org's URL), builds Slack's
 * `Installation` and hands it to the installation store, which here passes it on to the hub's
 * vault: the caller maps it into tokens that the hub encrypts and keeps. State verification
 * is off in this `InstallProvider` because the hub has verified and spent the state before it
 * asks for the exchange.
 *
 * @throws {OAuthError} `provider_error` when Slack refused the code, `provider_unavailable`
 *   when it failed or could not be reached.
 */
export async function slackInstallFromCallback(
  settings: SlackInstallSettings,
  exchange: CodeExchange,
): Promise<Installation> {
  const handoff = installationHandoff();
  const installer = slackInstaller(settings, handoff.store);
  const callback = callbackRequest(exchange);
  let failure: CodedError | undefined;
  await installer.handleCallback(
    callback,
    new ServerResponse(callback),
    {
      // The hub answers the browser; InstallProvider writes nothing to the response.
      successAsync: async () => undefined,
      failureAsync: async (error) => {
        failure = error;
      },
    },
    installOptions(settings, exchange.redirectUri),
  );
  if (failure !== undefined) throw slackFailure(failure, 'exchange');
  const installation = handoff.received();
  if (installation === undefined) throw unexpectedAnswer('no installation');
  return installation;
}

/** An `InstallProvider` that stores into `store`, calls Slack once per step and logs nothing. */
function slackInstaller(settings: SlackInstallSettings, store: InstallationStore): InstallProvider {
  return new InstallProvider({
    clientId: settings.clientId,
    clientSecret: settings.clientSecret,
    stateVerification: false,
    installationStore: store,
    logger: silentSlackLogger,
    clientOptions: slackClientOptions(settings.timeoutMs),
  });
}

function installOptions(settings: SlackInstallSettings, redirectUri: string): InstallURLOptions {
  return {
    scopes: [...settings.scopes],
    ...(settings.userScopes.length > 0 ? { userScopes: [...settings.userScopes] } : {}),
    redirectUri,
  };
}

/**
 * The installation store of one exchange: `storeInstallation` receives Slack's `Installation`
 * and keeps it for the adapter, which returns it to the hub to encrypt. Nothing is fetched or
 * deleted through it: the hub reads tokens from its vault, and refreshes and revokes through the
 * adapter.
 */
function installationHandoff(): {
  store: InstallationStore;
  received: () => Installation | undefined;
} {
  let received: Installation | undefined;
  return {
    store: {
      storeInstallation: async (installation) => {
        received = installation;
      },
      fetchInstallation: async () => {
        throw new Error('Slack installations are kept in the Prism vault, not fetched from here.');
      },
    },
    received: () => received,
  };
}

/** The callback request as Slack's redirect made it, for `handleCallback` to read the code from. */
function callbackRequest(exchange: CodeExchange): IncomingMessage {
  const redirect = new URL(exchange.redirectUri);
  const query = new URLSearchParams({ code: exchange.code });
  const request = new IncomingMessage(new Socket());
  request.method = 'GET';
  request.url = `${redirect.pathname}?${query.toString()}`;
  request.headers = { host: redirect.host };
  return request;
}
