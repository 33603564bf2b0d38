import { HttpResponse, http } from 'msw';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { API_KEY, problemResponse, reviewExample, setupHarness } from './harness.js';

const webhookSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const reviewPath = `/v2/reviews/${reviewExample.id}`;

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('the debug logger', () => {
  const mock = setupHarness('fetch');
  const url = (path: string) => `${mock.baseUrl}${path}`;

  function serve() {
    vi.spyOn(Math, 'random').mockReturnValue(0.001);
    mock.use(
      http.get(url(reviewPath), () => problemResponse(503, { code: 'unavailable' }), {
        once: true,
      }),
      http.get(url(reviewPath), () =>
        HttpResponse.json(reviewExample, {
          headers: {
            'x-request-id': 'req_log_1',
            'set-cookie': 'session=s3cr3t-session; HttpOnly',
            'x-echo': `signed with ${webhookSecret}`,
          },
        }),
      ),
      http.get(url('/v2/api-keys/key_1'), () =>
        problemResponse(401, {
          code: 'invalid_api_key',
          detail: `The key ${API_KEY} was revoked.`,
          requestId: 'req_log_2',
        }),
      ),
    );
  }

  it('prints one line per request, response, retry and error, with no key or secret', async () => {
    serve();
    const lines: string[] = [];
    const transport = mock.transport({
      logLevel: 'debug',
      logSink: (line) => lines.push(line),
      defaultHeaders: { Cookie: 'session=s3cr3t-session', 'X-Api-Key': API_KEY },
    });

    await transport.request({ method: 'GET', path: reviewPath, query: { secret: webhookSecret } });
    await transport.request({ method: 'GET', path: '/v2/api-keys/key_1' }).catch(() => undefined);

    expect(lines.map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      '[prism] request GET',
      '[prism] response 503',
      '[prism] retry GET',
      '[prism] request GET',
      '[prism] response 200',
      '[prism] request GET',
      '[prism] response 401',
      '[prism] error GET',
    ]);
    const log = lines.join('\n');
    expect(log).not.toContain(API_KEY.slice('prism_sk_'.length));
    expect(log).not.toContain(webhookSecret.slice('whsec_'.length));
    expect(log).not.toContain('s3cr3t-session');
    expect(lines[0]).toContain('"authorization":"[redacted]"');
    expect(lines[0]).toContain('"cookie":"[redacted]"');
    expect(lines[0]).toContain('"x-api-key":"[redacted]"');
    expect(lines[0]).toContain('secret=whsec_[redacted]');
    expect(lines[4]).toContain('"set-cookie":"[redacted]"');
    expect(lines[4]).toContain('"x-echo":"signed with whsec_[redacted]"');
    expect(lines[4]).toContain('requestId=req_log_1');
    expect(lines[7]).toContain('The key prism_sk_[redacted] was revoked.');
  });

  it('at info, prints responses, retries and errors without headers', async () => {
    serve();
    const lines: string[] = [];
    const transport = mock.transport({ logLevel: 'info', logSink: (line) => lines.push(line) });
    await transport.request({ method: 'GET', path: reviewPath });
    expect(lines).toHaveLength(3);
    expect(lines.join('\n')).not.toContain('headers=');
  });

  it('takes its level from PRISM_LOG and writes to standard error', async () => {
    serve();
    vi.stubEnv('PRISM_LOG', 'debug');
    const written: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    await mock.transport().request({ method: 'GET', path: reviewPath });
    expect(written).toHaveLength(5);
    expect(written.every((line) => line.startsWith('[prism] ') && line.endsWith('\n'))).toBe(true);
    expect(written.join('')).not.toContain(API_KEY);
  });

  it('is silent by default', async () => {
    serve();
    vi.stubEnv('PRISM_LOG', '');
    const write = vi.spyOn(process.stderr, 'write');
    await mock.transport().request({ method: 'GET', path: reviewPath });
    expect(write).not.toHaveBeenCalled();
  });
});
