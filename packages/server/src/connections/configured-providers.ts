import type { ConnectionProvider } from '@prism/sdk';
import type { ServerConfig } from '../config.js';
import { createMicrosoftProvider } from './providers/microsoft-provider.js';
import { createSalesforceProvider } from './providers/salesforce-provider.js';
import { createSlackProvider } from './providers/slack-provider.js';
import type { OAuthProvider } from './types.js';

/**
 * The providers whose settings are all present in `config`; one with a setting missing is left
 * out (and reported as not configured when someone tries to connect it), never half-working.
 */
export function configuredProviders(
  config: ServerConfig,
): Partial<Record<ConnectionProvider, OAuthProvider>> {
  const providers: Partial<Record<ConnectionProvider, OAuthProvider>> = {};
  if (config.MICROSOFT_CLIENT_ID && config.MICROSOFT_CLIENT_SECRET) {
    providers.microsoft = createMicrosoftProvider({
      clientId: config.MICROSOFT_CLIENT_ID,
      clientSecret: config.MICROSOFT_CLIENT_SECRET,
      tenantId: config.MICROSOFT_TENANT_ID,
      ...(config.MICROSOFT_SCOPES === undefined ? {} : { scopes: config.MICROSOFT_SCOPES }),
    });
  }
  if (config.SALESFORCE_CLIENT_ID && config.SALESFORCE_CLIENT_SECRET) {
    providers.salesforce = createSalesforceProvider({
      clientId: config.SALESFORCE_CLIENT_ID,
      clientSecret: config.SALESFORCE_CLIENT_SECRET,
      loginUrl: config.SALESFORCE_LOGIN_URL,
    });
  }
  if (config.SLACK_CLIENT_ID && config.SLACK_CLIENT_SECRET) {
    providers.slack = createSlackProvider({
      clientId: config.SLACK_CLIENT_ID,
      clientSecret: config.SLACK_CLIENT_SECRET,
    });
  }
  return providers;
}
