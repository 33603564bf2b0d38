import { PrismError } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { verifyOutgoingWebhook } from '../src/outgoing-webhook.js';

// The security token from the "Verify HMAC token" example of Microsoft's "Create an Outgoing
// Webhook" page. The signature of BODY was computed independently with
// `openssl dgst -sha256 -mac HMAC -macopt hexkey:<token decoded to hex> -binary | base64`.
const TOKEN = 'vqF0En+Z0ucuRTM/01o2GuhMH3hKKk/N2bOmlM31zaA=';
const BODY =
  '{"type":"message","channelId":"msteams","from":{"name":"Megan Bowen"},' +
  '"text":"<at>Prism</at> review https://contoso.sharepoint.com/:w:/s/Legal/EbF3kQ?e=4fGh"}';
const SIGNATURE = 'nIa8TdP4AegdTQdqtWApD+yPkPKgAFygEeyKjsAXeNw=';

describe('verifyOutgoingWebhook', () => {
  it('accepts the body Teams signed, as a string or as raw bytes', () => {
    expect(verifyOutgoingWebhook(BODY, `HMAC ${SIGNATURE}`, TOKEN)).toBe(true);
    expect(verifyOutgoingWebhook(new TextEncoder().encode(BODY), `HMAC ${SIGNATURE}`, TOKEN)).toBe(
      true,
    );
  });

  it('rejects a tampered body', () => {
    const tampered = BODY.replace('EbF3kQ', 'EbF3kR');
    expect(verifyOutgoingWebhook(tampered, `HMAC ${SIGNATURE}`, TOKEN)).toBe(false);
    expect(verifyOutgoingWebhook(`${BODY}\n`, `HMAC ${SIGNATURE}`, TOKEN)).toBe(false);
  });

  it('rejects a signature made with another token', () => {
    const otherToken = Buffer.alloc(32, 7).toString('base64');
    expect(verifyOutgoingWebhook(BODY, `HMAC ${SIGNATURE}`, otherToken)).toBe(false);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the bare signature', SIGNATURE],
    ['another scheme', `Bearer ${SIGNATURE}`],
    ['a lowercase scheme', `hmac ${SIGNATURE}`],
    ['a hex signature', `HMAC ${Buffer.from(SIGNATURE, 'base64').toString('hex')}`],
    ['a truncated signature', `HMAC ${SIGNATURE.slice(0, 20)}`],
    ['trailing data', `HMAC ${SIGNATURE} extra`],
  ])('rejects %s', (_label, authorization) => {
    expect(verifyOutgoingWebhook(BODY, authorization, TOKEN)).toBe(false);
  });

  it('rejects an empty body', () => {
    expect(verifyOutgoingWebhook('', `HMAC ${SIGNATURE}`, TOKEN)).toBe(false);
  });

  it.each(['', 'not a token!'])('throws invalid_security_token for the token %j', (token) => {
    let thrown: unknown;
    try {
      verifyOutgoingWebhook(BODY, `HMAC ${SIGNATURE}`, token);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PrismError);
    expect(thrown).toMatchObject({ code: 'invalid_security_token', hint: expect.any(String) });
  });
});
