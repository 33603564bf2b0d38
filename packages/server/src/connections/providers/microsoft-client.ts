import { ConfidentialClientApplication, type ICachePlugin } from '@azure/msal-node';
import { createMicrosoftNetwork } from './microsoft-network.js';

/** Where Microsoft Entra ID signs users in (the global cloud). */
export const MICROSOFT_LOGIN_ORIGIN = 'https://login.microsoftonline.com';

/** The tenants of a multi-tenant authority, which stand for "whichever tenant signs in". */
export const MICROSOFT_MULTI_TENANT_IDS: readonly string[] = [
  'common',
  'organizations',
  'consumers',
];

/** The Entra ID app registration Prism signs in with. */
export interface MicrosoftAppSettings {
  /** The app's client (application) id. */
  clientId: string;
  /** One of the app's client secrets (its value, not its id). */
  clientSecret: string;
  /** Milliseconds a request to Entra ID may take. */
  timeoutMs: number;
}

/** The authority URL of `tenant`: a tenant id or domain, or one of the multi-tenant names. */
export function microsoftAuthority(tenant: string): string {
  return `${MICROSOFT_LOGIN_ORIGIN}/${encodeURIComponent(tenant)}`;
}

/**
 * An MSAL confidential client for `authority`, with Prism's network client and, when given,
 * a cache plugin. The global cloud's endpoints are built into MSAL, so it fetches no
 * discovery document (OpenID configuration, instance discovery) before a token request.
 */
export function createMicrosoftClient(
  settings: MicrosoftAppSettings,
  authority: string,
  cachePlugin?: ICachePlugin,
): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId: settings.clientId, clientSecret: settings.clientSecret, authority },
    ...(cachePlugin ? { cache: { cachePlugin } } : {}),
    system: { networkClient: createMicrosoftNetwork(settings.timeoutMs) },
  });
}
