import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { OAuthError } from '../../../src/connections/types.js';
import { CLIENT_SECRET, REDIRECT_URI } from './salesforce-fake.js';
import { connect, givenSalesforce, pkcePair, useMockNetwork } from './salesforce-harness.js';

const server = useMockNetwork();
const TOKEN_URL = 'https://login.salesforce.com/services/oauth2/token';
const REVOKE_URL = 'https://login.salesforce.com/services/oauth2/revoke';

/** A login server that writes back everything it was sent, in the way `answer` says. */
function echoing(url: string, answer: (body: string) => Response) {
  return http.post(url, async ({ request }) => answer(await request.text()));
}

const inDescription = (status: number) => (body: string) =>
  HttpResponse.json(
    { error: 'invalid_request', error_description: decodeURIComponent(body) },
    { status },
  );
const inFormDescription = (status: number) => (body: string) =>
  new HttpResponse(
    new URLSearchParams({
      error: 'access_denied',
      error_description: decodeURIComponent(body),
    }).toString(),
    { status, headers: { 'content-type': 'application/x-www-form-urlencoded' } },
  );
const asPlainBody = (status: number) => (body: string) =>
  new HttpResponse(decodeURIComponent(body), { status, headers: { 'content-type': 'text/plain' } });

/** Everything an error shows: message, hint, code, cause chain, stack. */
async function everythingShownBy(failure: Promise<unknown>): Promise<string> {
  const error = await failure.then(
    () => expect.unreachable('the call should have failed'),
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(OAuthError);
  return `${inspect(error, { depth: 10 })} ${JSON.stringify(error)} ${(error as OAuthError).hint}`;
}

describe('Salesforce errors never show a secret', () => {
  it.each([
    ['in error_description', inDescription(400)],
    ['as a plain body', asPlainBody(401)],
    ['with a 503', asPlainBody(503)],
  ])('when the code exchange is refused with the request echoed %s', async (_, answer) => {
    const { fake, provider } = givenSalesforce(server);
    const { verifier, challenge } = pkcePair();
    const url = await provider.authorizationUrl({
      state: 's',
      codeChallenge: challenge,
      redirectUri: REDIRECT_URI,
    });
    const code = fake.approve(url);
    server.use(echoing(TOKEN_URL, answer));

    const shown = await everythingShownBy(
      provider.exchangeCode({
        code,
        codeVerifier: verifier,
        redirectUri: REDIRECT_URI,
        query: { code },
      }),
    );

    for (const secret of [code, verifier, CLIENT_SECRET]) expect(shown).not.toContain(secret);
  });

  it.each([
    ['in error_description', inDescription(400)],
    ['as a plain body', asPlainBody(403)],
  ])('when a refresh is refused with the request echoed %s', async (_, answer) => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(echoing(TOKEN_URL, answer));

    const shown = await everythingShownBy(provider.refresh(tokens));

    for (const secret of [tokens.refreshToken ?? '', tokens.accessToken, CLIENT_SECRET]) {
      expect(shown).not.toContain(secret);
    }
  });

  it('when a revocation is refused with the token echoed', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(echoing(REVOKE_URL, inFormDescription(403)));

    const shown = await everythingShownBy(provider.revoke(tokens));

    expect(shown).not.toContain(tokens.refreshToken ?? '');
    expect(shown).toContain('[redacted]');
  });

  it('while still saying what Salesforce objected to', async () => {
    const { fake, provider } = givenSalesforce(server);
    const { tokens } = await connect(provider, fake);
    server.use(echoing(TOKEN_URL, inDescription(400)));

    await expect(provider.refresh(tokens)).rejects.toMatchObject({
      code: 'provider_error',
      message: expect.stringMatching(
        /^Salesforce refused the refresh token: invalid_request \(grant_type=refresh_token&refresh_token=\[redacted\]/,
      ),
    });
  });
});
