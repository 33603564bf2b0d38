import { PrismError } from '@prism/sdk';

/**
 * Encodes a sharing URL the way Microsoft Graph expects it in
 * `GET /shares/{shareIdOrEncodedSharingUrl}`: the UTF-8 bytes of the URL in base64, turned into
 * unpadded base64url (`=` removed, `/` → `_`, `+` → `-`) and prefixed with `u!`.
 *
 * Whitespace around the URL is ignored; the URL itself is encoded exactly as given.
 *
 * @throws {PrismError} `invalid_sharing_url` when `url` is not an absolute http(s) URL.
 */
export function encodeSharingUrl(url: string): string {
  const link = url.trim();
  if (!isHttpUrl(link)) {
    throw new PrismError('invalid_sharing_url', `Not a sharing link: '${url}'.`, {
      hint: 'Pass the full link as copied from SharePoint or OneDrive, starting with https://.',
    });
  }
  return `u!${Buffer.from(link, 'utf8').toString('base64url')}`;
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}
