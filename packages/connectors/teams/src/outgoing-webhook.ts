import { createHmac, timingSafeEqual } from 'node:crypto';
import { PrismError } from '@prism/sdk';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const AUTHORIZATION = /^HMAC ([A-Za-z0-9+/=]+)$/;

/**
 * Checks that a request to a Microsoft Teams outgoing webhook really comes from Teams.
 *
 * Teams signs each request with the security token shown when the outgoing webhook was created:
 * `Authorization: HMAC <base64 HMAC-SHA256 of the raw request body, keyed with the
 * base64-decoded token>`. Pass the body exactly as received (bytes, or the string they decode
 * to as UTF-8), before any JSON parsing. The signatures are compared in constant time.
 *
 * @returns `true` when the signature matches; `false` when the header is missing or malformed,
 *   the body is empty, or the signature does not match.
 * @throws {PrismError} `invalid_security_token` when `securityToken` is not a base64 string; that
 *   is a configuration mistake, not a bad request.
 */
export function verifyOutgoingWebhook(
  body: string | Uint8Array,
  authorization: string | undefined,
  securityToken: string,
): boolean {
  const key = securityToken.trim();
  if (key === '' || !BASE64.test(key)) {
    throw new PrismError('invalid_security_token', 'The Teams security token is not base64.', {
      hint: 'Copy the security token Teams showed when the outgoing webhook was created.',
    });
  }
  const claimed = AUTHORIZATION.exec(authorization?.trim() ?? '')?.[1];
  if (claimed === undefined || !BASE64.test(claimed) || body.length === 0) return false;

  const expected = createHmac('sha256', Buffer.from(key, 'base64')).update(body).digest();
  const provided = Buffer.from(claimed, 'base64');
  return provided.length === expected.length && timingSafeEqual(provided, expected);
}
