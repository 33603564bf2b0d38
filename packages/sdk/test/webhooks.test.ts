import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  generateWebhookSecret,
  PrismError,
  signWebhook,
  unwrapWebhook,
  verifyWebhook,
  WEBHOOK_EVENT_TYPES,
  WebhookError,
  type WebhookEvent,
  WebhookPayloadError,
  WebhookVerificationError,
} from '../src/index.js';
import { spec } from './spec.js';

// The test vector of the Standard Webhooks reference library.
const SECRET = 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const MSG_ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const SIGNED_AT = new Date(1614265330 * 1000);
const PAYLOAD = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const TOLERANCE_MS = 300 * 1000;

const atSigningTime = { now: () => SIGNED_AT };

function referenceHeaders(): Record<string, string> {
  return {
    'webhook-id': MSG_ID,
    'webhook-timestamp': '1614265330',
    'webhook-signature': SIGNATURE,
  };
}

function without(name: string): Record<string, string> {
  const { [name]: _removed, ...rest } = referenceHeaders();
  return rest;
}

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to throw');
}

function verificationError(action: () => unknown): WebhookVerificationError {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return error as WebhookVerificationError;
}

function payloadError(action: () => unknown): WebhookPayloadError {
  const error = thrownBy(action);
  expect(error).toBeInstanceOf(WebhookPayloadError);
  return error as WebhookPayloadError;
}

function verifyReference(headers: Record<string, string>, secret: string | string[] = SECRET) {
  return () => verifyWebhook(PAYLOAD, headers, secret, atSigningTime);
}

describe('verifyWebhook, on the reference library cases', () => {
  it('accepts a valid signature', () => {
    expect(verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, atSigningTime)).toBeUndefined();
  });

  it('accepts the secret with and without its whsec_ prefix', () => {
    expect(verifyReference(referenceHeaders(), SECRET)).not.toThrow();
    expect(verifyReference(referenceHeaders(), `whsec_${SECRET}`)).not.toThrow();
  });

  it.each([
    ['empty', ''],
    ['only the prefix', 'whsec_'],
    ['not base64', 'whsec_not base64!'],
    ['undefined', undefined as unknown as string],
    ['null', null as unknown as string],
  ])('refuses a secret that is %s', (_label, secret) => {
    const error = verificationError(() =>
      verifyWebhook(PAYLOAD, referenceHeaders(), secret, atSigningTime),
    );
    expect(error.code).toBe('webhook_invalid_secret');
    expect(error.hint).toMatch(/whsec_/);
  });

  it.each([['webhook-id'], ['webhook-timestamp'], ['webhook-signature']])(
    'refuses a request without %s, naming the header',
    (name) => {
      const error = verificationError(verifyReference(without(name)));
      expect(error.code).toBe('webhook_missing_headers');
      expect(error.message).toContain(name);
      expect(error.hint).toBeDefined();
    },
  );

  it('refuses a timestamp that is not Unix seconds', () => {
    const headers = { ...referenceHeaders(), 'webhook-timestamp': 'hello' };
    const error = verificationError(verifyReference(headers));
    expect(error.code).toBe('webhook_invalid_signature');
    expect(error.message).toContain('"hello" is not Unix seconds');
  });

  it('refuses an invalid signature, hinting at the raw body', () => {
    const headers = { ...referenceHeaders(), 'webhook-signature': 'v1,dawfeoifkpqwoekfpqoekf' };
    const error = verificationError(verifyReference(headers));
    expect(error.code).toBe('webhook_invalid_signature');
    expect(error.hint).toMatch(/raw request body, not re-serialised JSON/);
  });

  it.each([
    ['cut short', SIGNATURE.slice(0, 8)],
    ['empty after the version', 'v1,'],
  ])('refuses a partial signature (%s)', (_label, signature) => {
    const headers = { ...referenceHeaders(), 'webhook-signature': signature };
    expect(verificationError(verifyReference(headers)).code).toBe('webhook_invalid_signature');
  });

  it('refuses a timestamp older than the tolerance', () => {
    const now = () => new Date(SIGNED_AT.getTime() + TOLERANCE_MS + 1000);
    const error = verificationError(() =>
      verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, { now }),
    );
    expect(error.code).toBe('webhook_timestamp_too_old');
    expect(error.message).toContain('301 s ago');
  });

  it('refuses a timestamp further in the future than the tolerance', () => {
    const now = () => new Date(SIGNED_AT.getTime() - TOLERANCE_MS - 1000);
    const error = verificationError(() =>
      verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, { now }),
    );
    expect(error.code).toBe('webhook_timestamp_too_new');
  });

  it('accepts one valid signature among several, ignoring other versions', () => {
    const other = 'Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=';
    const signatures = [`v1,${other}`, `v2,${other}`, SIGNATURE, `v1,${other}`].join(' ');
    const headers = { ...referenceHeaders(), 'webhook-signature': signatures };
    expect(verifyReference(headers)).not.toThrow();
  });

  it('does not accept the right signature under another version prefix', () => {
    const headers = { ...referenceHeaders(), 'webhook-signature': SIGNATURE.replace('v1,', 'v2,') };
    const error = verificationError(verifyReference(headers));
    expect(error.code).toBe('webhook_invalid_signature');
    expect(error.message).toContain('has no v1 signature');
  });

  it('signs exactly as the reference library', () => {
    const headers = signWebhook({
      id: MSG_ID,
      timestamp: SIGNED_AT,
      payload: PAYLOAD,
      secrets: `whsec_${SECRET}`,
    });
    expect(headers).toEqual(referenceHeaders());
  });
});

describe('verifyWebhook, on the ways requests arrive', () => {
  it('matches header names in any letter case', () => {
    const headers = {
      'Webhook-Id': MSG_ID,
      'WEBHOOK-TIMESTAMP': '1614265330',
      'webhook-Signature': SIGNATURE,
    };
    expect(verifyReference(headers)).not.toThrow();
  });

  it('reads a fetch Headers object', () => {
    expect(() =>
      verifyWebhook(PAYLOAD, new Headers(referenceHeaders()), SECRET, atSigningTime),
    ).not.toThrow();
  });

  it("reads Node's IncomingHttpHeaders, with array values and comma-joined duplicates", () => {
    const arrays: IncomingHttpHeaders = {
      'webhook-id': [MSG_ID],
      'webhook-timestamp': '1614265330',
      'webhook-signature': ['v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=', SIGNATURE],
      'content-type': 'application/json',
      'x-absent': undefined,
    };
    expect(() => verifyWebhook(PAYLOAD, arrays, SECRET, atSigningTime)).not.toThrow();
    const joined = {
      ...referenceHeaders(),
      'webhook-signature': `v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=, ${SIGNATURE}`,
    };
    expect(verifyReference(joined)).not.toThrow();
  });

  it('treats an empty header or an empty array as missing', () => {
    const empty = { ...referenceHeaders(), 'webhook-id': '' };
    expect(verificationError(verifyReference(empty)).code).toBe('webhook_missing_headers');
    const noValues: IncomingHttpHeaders = { ...referenceHeaders(), 'webhook-signature': [] };
    const error = verificationError(() => verifyWebhook(PAYLOAD, noValues, SECRET, atSigningTime));
    expect(error.message).toContain('webhook-signature');
  });

  it('verifies a Buffer or Uint8Array body as the same bytes', () => {
    const bytes = new TextEncoder().encode(PAYLOAD);
    expect(() => verifyWebhook(bytes, referenceHeaders(), SECRET, atSigningTime)).not.toThrow();
    const buffer = Buffer.from(PAYLOAD);
    expect(() => verifyWebhook(buffer, referenceHeaders(), SECRET, atSigningTime)).not.toThrow();
  });

  it('refuses a body that is not UTF-8', () => {
    const bytes = new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]);
    const error = verificationError(() =>
      verifyWebhook(bytes, referenceHeaders(), SECRET, atSigningTime),
    );
    expect(error.code).toBe('webhook_invalid_signature');
  });

  it('refuses a tampered or re-serialised body', () => {
    for (const body of [
      PAYLOAD.replace('2432232314', '2432232315'),
      JSON.stringify(JSON.parse(PAYLOAD)),
    ]) {
      const error = verificationError(() =>
        verifyWebhook(body, referenceHeaders(), SECRET, atSigningTime),
      );
      expect(error.code).toBe('webhook_invalid_signature');
    }
  });

  it('honours a custom tolerance, including none', () => {
    const now = () => new Date(SIGNED_AT.getTime() + 60_000);
    const strict = () =>
      verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, { now, toleranceSeconds: 30 });
    expect(verificationError(strict).code).toBe('webhook_timestamp_too_old');
    const yearsLater = () => new Date('2030-01-01T00:00:00Z');
    const unlimited = { now: yearsLater, toleranceSeconds: Number.POSITIVE_INFINITY };
    expect(() => verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, unlimited)).not.toThrow();
  });

  it('accepts a timestamp exactly at the tolerance', () => {
    const now = () => new Date(SIGNED_AT.getTime() + TOLERANCE_MS);
    expect(() => verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, { now })).not.toThrow();
  });

  it('refuses a negative or NaN tolerance instead of accepting every timestamp', () => {
    for (const toleranceSeconds of [-1, Number.NaN]) {
      const error = thrownBy(() =>
        verifyWebhook(PAYLOAD, referenceHeaders(), SECRET, { ...atSigningTime, toleranceSeconds }),
      );
      expect(error).toBeInstanceOf(PrismError);
      expect(error).toMatchObject({ code: 'invalid_argument' });
    }
  });

  it('never puts the secret in an error', () => {
    const secret = 'whsec_c2VjcmV0 with a space';
    const error = verificationError(verifyReference(referenceHeaders(), secret));
    expect(`${error.message} ${error.hint}`).not.toContain('c2VjcmV0');
  });

  it('throws errors that are PrismErrors with a stable code and a hint', () => {
    const error = verificationError(verifyReference(without('webhook-id')));
    expect(error).toBeInstanceOf(WebhookError);
    expect(error).toBeInstanceOf(PrismError);
    expect(error.name).toBe('WebhookVerificationError');
    expect(error.code).toBe('webhook_missing_headers');
    expect(error.hint).toBeTruthy();
  });
});

describe('secret rotation', () => {
  const oldSecret = generateWebhookSecret();
  const newSecret = generateWebhookSecret();
  const now = new Date();

  it('signs with every secret and verifies with any one of them', () => {
    const headers = signWebhook({
      id: MSG_ID,
      timestamp: now,
      payload: PAYLOAD,
      secrets: [oldSecret, newSecret],
    });
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    for (const secret of [oldSecret, newSecret, [newSecret, oldSecret]]) {
      expect(() => verifyWebhook(PAYLOAD, headers, secret)).not.toThrow();
    }
    const error = verificationError(() => verifyWebhook(PAYLOAD, headers, generateWebhookSecret()));
    expect(error.code).toBe('webhook_invalid_signature');
  });

  it('verifies with several secrets when the sender signs with only one', () => {
    const headers = signWebhook({
      id: MSG_ID,
      timestamp: now,
      payload: PAYLOAD,
      secrets: newSecret,
    });
    expect(() => verifyWebhook(PAYLOAD, headers, [oldSecret, newSecret])).not.toThrow();
  });

  it('refuses an empty list of secrets, or a bad one among good ones', () => {
    const headers = signWebhook({
      id: MSG_ID,
      timestamp: now,
      payload: PAYLOAD,
      secrets: oldSecret,
    });
    expect(verificationError(() => verifyWebhook(PAYLOAD, headers, [])).code).toBe(
      'webhook_invalid_secret',
    );
    const error = verificationError(() => verifyWebhook(PAYLOAD, headers, [oldSecret, 'whsec_']));
    expect(error.message).toContain('#2');
  });
});

describe('generateWebhookSecret', () => {
  it('returns whsec_ and the base64 of 32 random bytes, different each time', () => {
    const secrets = new Set(Array.from({ length: 20 }, generateWebhookSecret));
    expect(secrets.size).toBe(20);
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64')).toHaveLength(32);
    }
  });
});

describe('signWebhook', () => {
  it('refuses an empty id and an invalid date', () => {
    const base = { id: MSG_ID, timestamp: SIGNED_AT, payload: PAYLOAD, secrets: SECRET };
    expect(thrownBy(() => signWebhook({ ...base, id: '' }))).toMatchObject({
      code: 'invalid_argument',
    });
    expect(thrownBy(() => signWebhook({ ...base, timestamp: new Date('nope') }))).toMatchObject({
      code: 'invalid_argument',
    });
    expect(verificationError(() => signWebhook({ ...base, secrets: '' })).code).toBe(
      'webhook_invalid_secret',
    );
  });
});

interface SpecWebhooks {
  webhooks: Record<
    string,
    { post: { requestBody: { content: { 'application/json': { schema: { $ref: string } } } } } }
  >;
}

/** Each webhook of the OpenAPI spec with the first example of its payload schema. */
const specEvents = Object.entries((spec as unknown as SpecWebhooks).webhooks).map(
  ([type, { post }]) => {
    const name = post.requestBody.content['application/json'].schema.$ref.split('/').pop() ?? '';
    const [example] = spec.components.schemas[name]?.examples ?? [];
    return { type, example: example as Record<string, unknown> };
  },
);

function deliver(event: unknown, secret: string) {
  const payload = JSON.stringify(event);
  const timestamp = new Date();
  return { payload, headers: signWebhook({ id: 'msg_2xQ9', timestamp, payload, secrets: secret }) };
}

describe('unwrapWebhook', () => {
  const secret = generateWebhookSecret();

  it('covers every webhook of the spec', () => {
    expect(specEvents.map(({ type }) => type).sort()).toEqual([...WEBHOOK_EVENT_TYPES].sort());
    expect(specEvents.every(({ example }) => example !== undefined)).toBe(true);
  });

  it.each(specEvents)('round-trips the spec example of $type', ({ type, example }) => {
    const { payload, headers } = deliver(example, secret);
    const event = unwrapWebhook(payload, headers, secret);
    expect(event.type).toBe(type);
    expect(event).toEqual(example);
  });

  it('returns an event typed by its type', () => {
    const example = specEvents.find(({ type }) => type === 'review.completed')?.example;
    const { payload, headers } = deliver(example, secret);
    const event = unwrapWebhook(Buffer.from(payload), headers, [secret]);
    expectTypeOf(event).toEqualTypeOf<WebhookEvent>();
    if (event.type !== 'review.completed') throw new Error('expected review.completed');
    expect(event.data.review.status).toBe('succeeded');
    expect(event.data.findings).toEqual([]);
  });

  it('verifies before parsing: a tampered body is a verification error', () => {
    const example = specEvents[0]?.example;
    const { payload, headers } = deliver(example, secret);
    const tampered = payload.replace('"rev_', '"rex_');
    expect(tampered).not.toBe(payload);
    const error = verificationError(() => unwrapWebhook(tampered, headers, secret));
    expect(error.code).toBe('webhook_invalid_signature');
  });

  it('refuses a signed payload that breaks the schema, naming the field', () => {
    const example = specEvents.find(({ type }) => type === 'review.completed')?.example ?? {};
    const data = example.data as { review: object };
    const broken = { ...example, data: { ...data, review: { ...data.review, status: 'done' } } };
    const { payload, headers } = deliver(broken, secret);
    const error = payloadError(() => unwrapWebhook(payload, headers, secret));
    expect(error.code).toBe('webhook_invalid_payload');
    expect(error.message).toContain('review.completed');
    expect(error.message).toContain('data.review.status');
    expect(error).toBeInstanceOf(WebhookError);
  });

  it('refuses a signed payload of an unknown event type, naming the type', () => {
    const { payload, headers } = deliver(
      { type: 'review.exploded', timestamp: '', data: {} },
      secret,
    );
    const error = payloadError(() => unwrapWebhook(payload, headers, secret));
    expect(error.code).toBe('webhook_invalid_payload');
    expect(error.message).toContain('"review.exploded"');
    expect(error.hint).toMatch(/Upgrade @prism\/sdk/);
  });

  it('refuses a signed payload that is not JSON or has no type', () => {
    for (const [event, message] of [
      ['not json', 'not JSON'],
      [{ data: {} }, 'no string "type"'],
    ] as const) {
      const payload = typeof event === 'string' ? event : JSON.stringify(event);
      const headers = signWebhook({ id: MSG_ID, timestamp: new Date(), payload, secrets: secret });
      expect(payloadError(() => unwrapWebhook(payload, headers, secret)).message).toContain(
        message,
      );
    }
  });
});
