import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src/client/index.js';
import { problemResponse, setupHarness, type WireMode } from './harness.js';

describe.each<WireMode>(['fetch', 'undici'])('HttpTransport response types over %s', (mode) => {
  const mock = setupHarness(mode);
  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);

  it('reads a body as bytes with responseType bytes', async () => {
    mock.use(http.get(`${mock.baseUrl}/v2/file`, () => new HttpResponse(bytes)));
    const { data, response } = await mock
      .transport()
      .request<Uint8Array>({ method: 'GET', path: '/v2/file', responseType: 'bytes' });
    expect(data).toEqual(bytes);
    expect(response.status).toBe(200);
  });

  it('gives the chunks of a body with responseType stream', async () => {
    mock.use(http.get(`${mock.baseUrl}/v2/stream`, () => new HttpResponse('data: 1\n\n')));
    const { data } = await mock.transport().request<AsyncIterable<Uint8Array>>({
      method: 'GET',
      path: '/v2/stream',
      responseType: 'stream',
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of data) chunks.push(chunk);
    expect(Buffer.concat(chunks).toString()).toBe('data: 1\n\n');
  });

  it('still turns an error status into a typed error', async () => {
    mock.use(
      http.get(`${mock.baseUrl}/v2/file`, () => problemResponse(404, { code: 'not_found' })),
    );
    const transport = mock.transport();
    await expect(
      transport.request({ method: 'GET', path: '/v2/file', responseType: 'bytes' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      transport.request({ method: 'GET', path: '/v2/file', responseType: 'stream' }),
    ).rejects.toMatchObject({ status: 404, code: 'not_found' });
  });

  it('keeps parsing JSON by default', async () => {
    mock.use(http.get(`${mock.baseUrl}/v2/json`, () => HttpResponse.json({ ok: true })));
    const { data } = await mock.transport().request({ method: 'GET', path: '/v2/json' });
    expect(data).toEqual({ ok: true });
  });
});
