import { createHash, randomBytes } from 'node:crypto';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import {
  createSalesforceProvider,
  type SalesforceProviderSettings,
} from '../../../src/connections/providers/salesforce-provider.js';
import type { ExchangeResult, OAuthProvider } from '../../../src/connections/types.js';
import {
  CLIENT_ID,
  CLIENT_SECRET,
  FakeSalesforce,
  type FakeSalesforceOptions,
  REDIRECT_URI,
} from './salesforce-fake.js';

/** A PKCE verifier and its S256 challenge. */
export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** Starts msw for the file's tests (every request must be answered by a handler). */
export function useMockNetwork(): ReturnType<typeof setupServer> {
  const server = setupServer();
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());
  return server;
}

/** A fake Salesforce answering on the network, and a provider configured for it. */
export function givenSalesforce(
  server: ReturnType<typeof setupServer>,
  options: FakeSalesforceOptions & Partial<SalesforceProviderSettings> = {},
): { fake: FakeSalesforce; provider: OAuthProvider } {
  const fake = new FakeSalesforce(options);
  server.use(...fake.handlers());
  const provider = createSalesforceProvider({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...options,
  });
  return { fake, provider };
}

/** The whole connect flow: authorization URL, the user's approval, the code exchange. */
export async function connect(
  provider: OAuthProvider,
  fake: FakeSalesforce,
): Promise<ExchangeResult> {
  const { verifier, challenge } = pkcePair();
  const url = await provider.authorizationUrl({
    state: randomBytes(16).toString('base64url'),
    codeChallenge: challenge,
    redirectUri: REDIRECT_URI,
  });
  const code = fake.approve(url);
  return provider.exchangeCode({
    code,
    codeVerifier: verifier,
    redirectUri: REDIRECT_URI,
    query: { code, state: new URL(url).searchParams.get('state') ?? '' },
  });
}
