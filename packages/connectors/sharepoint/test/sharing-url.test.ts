import { PrismError } from '@prism/sdk';
import { describe, expect, it } from 'vitest';
import { encodeSharingUrl } from '../src/sharing-url.js';

describe('encodeSharingUrl', () => {
  it('encodes the sharing URL from the Graph "Accessing shared DriveItems" example', () => {
    const url = 'https://onedrive.live.com/redir?resid=1231244193912!12&authKey=1201919!12921!1';
    expect(encodeSharingUrl(url)).toBe(
      'u!aHR0cHM6Ly9vbmVkcml2ZS5saXZlLmNvbS9yZWRpcj9yZXNpZD0xMjMxMjQ0MTkzOTEyITEyJmF1dGhLZXk9MTIwMTkxOSExMjkyMSEx',
    );
  });

  it('drops base64 padding and uses the URL-safe alphabet', () => {
    // Plain base64 of this URL is ...UX4/ZT1+YWE= : it has '/', '+' and padding.
    const url = 'https://contoso.sharepoint.com/:w:/s/Legal/EbF3kQ~?e=~aa';
    expect(encodeSharingUrl(url)).toBe(
      'u!aHR0cHM6Ly9jb250b3NvLnNoYXJlcG9pbnQuY29tLzp3Oi9zL0xlZ2FsL0ViRjNrUX4_ZT1-YWE',
    );
  });

  it('ignores whitespace around a pasted link', () => {
    expect(encodeSharingUrl('  https://contoso.sharepoint.com/x \n')).toBe(
      encodeSharingUrl('https://contoso.sharepoint.com/x'),
    );
  });

  it.each([
    'contoso.sharepoint.com/sites/Legal',
    'ftp://contoso.sharepoint.com/file.docx',
    'not a url',
    '',
  ])('rejects %j with invalid_sharing_url', (url) => {
    let thrown: unknown;
    try {
      encodeSharingUrl(url);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PrismError);
    expect(thrown).toMatchObject({ code: 'invalid_sharing_url', hint: expect.any(String) });
  });
});
