import { describe, expect, it } from 'vitest';
import { validationResponse } from '../../src/watch/index.js';

// The token Graph posts when validating an endpoint, and how it appears in the URL.
const TOKEN =
  'Validation: Testing client application reachability for subscription Request-Id: 0b2c8f3e-6e1d-4a7c-9f2a-5d3b1c7e9a40';
const ENCODED = encodeURIComponent(TOKEN);

describe('validationResponse', () => {
  it('echoes the URL-decoded token as text/plain with status 200', () => {
    expect(validationResponse(`validationToken=${ENCODED}`)).toEqual({
      status: 200,
      contentType: 'text/plain',
      body: TOKEN,
    });
  });

  it('reads the token from a whole request URL, with other query parameters', () => {
    const url = `/hooks/graph/notifications?watch=w_42&validationToken=${ENCODED}`;
    expect(validationResponse(url)?.body).toBe(TOKEN);
  });

  it('decodes form-style spaces', () => {
    expect(validationResponse('?validationToken=Validation%3A+Testing+client')?.body).toBe(
      'Validation: Testing client',
    );
  });

  it('takes already-parsed parameters as decoded', () => {
    expect(validationResponse({ validationToken: TOKEN })?.body).toBe(TOKEN);
    expect(validationResponse({ validationToken: [TOKEN, 'second'] })?.body).toBe(TOKEN);
    expect(validationResponse(new URLSearchParams({ validationToken: TOKEN }))?.body).toBe(TOKEN);
  });

  it('returns undefined for a notification (no token), so the body is processed', () => {
    expect(validationResponse('')).toBeUndefined();
    expect(validationResponse('?watch=w_42')).toBeUndefined();
    expect(validationResponse({})).toBeUndefined();
    expect(validationResponse({ validationToken: '' })).toBeUndefined();
  });
});
