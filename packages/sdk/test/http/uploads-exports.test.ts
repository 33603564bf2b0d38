import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse } from 'msw';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES } from '../../src/http/upload.js';
import { HttpPrism, PrismError } from '../../src/index.js';
import { setupHarness } from '../client/harness.js';
import { exampleOf, type ReceivedCall, specHandlers } from './spec-handlers.js';

const mock = setupHarness('fetch');
const calls: ReceivedCall[] = [];
let dir = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'prism-upload-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => {
  calls.length = 0;
});

function connect(overrides?: Parameters<typeof specHandlers>[2]): HttpPrism {
  mock.use(...specHandlers(mock.baseUrl, calls, overrides));
  return new HttpPrism(mock.transport({ maxRetries: 0 }));
}

const content = '# Summary\nThe gateway failed.\n';

/** The multipart request's file part and title. */
async function sentUpload(): Promise<{
  name: string;
  text: string;
  title: unknown;
}> {
  const [call] = calls;
  expect(call?.operationId).toBe('createDocument');
  expect(call?.problems).toEqual([]);
  expect(call?.headers.get('content-type')).toMatch(/^multipart\/form-data; boundary=/);
  const form = call?.body as FormData;
  const file = form.get('file') as File;
  return { name: file.name, text: await file.text(), title: form.get('title') };
}

describe('documents.create with a file', () => {
  it('uploads a path as multipart, named after the file', async () => {
    const path = join(dir, 'notes.md');
    await writeFile(path, content);
    const document = await connect().documents.create({ file: path, title: 'Outage' });
    expect(document).toEqual(exampleOf('Document'));
    expect(await sentUpload()).toEqual({ name: 'notes.md', text: content, title: 'Outage' });
  });

  it('uploads bytes, a Blob and a stream of chunks', async () => {
    const prism = connect();
    await prism.documents.create({ file: new TextEncoder().encode(content), filename: 'a.md' });
    expect(await sentUpload()).toEqual({ name: 'a.md', text: content, title: null });

    calls.length = 0;
    await prism.documents.create({ file: new File([content], 'b.md') });
    expect((await sentUpload()).name).toBe('b.md');

    calls.length = 0;
    async function* chunks() {
      yield new TextEncoder().encode(content.slice(0, 5));
      yield new TextEncoder().encode(content.slice(5));
    }
    await prism.documents.create({ file: chunks(), filename: 'c.md' });
    expect(await sentUpload()).toEqual({ name: 'c.md', text: content, title: null });
  });

  it('sends a file with metadata as JSON with the content in base64', async () => {
    await connect().documents.create({
      file: new TextEncoder().encode(content),
      filename: 'notes.md',
      metadata: { case: 'INC-2291' },
    });
    expect(calls[0]?.problems).toEqual([]);
    expect(calls[0]?.body).toEqual({
      filename: 'notes.md',
      contentBase64: Buffer.from(content).toString('base64'),
      metadata: { case: 'INC-2291' },
    });
  });

  it('refuses a path over 25 MB from its size on disk, sending nothing', async () => {
    const path = join(dir, 'huge.pdf');
    await writeFile(path, '');
    await truncate(path, MAX_UPLOAD_BYTES + 1);
    const error = await connect()
      .documents.create({ file: path })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrismError);
    expect(error).toMatchObject({ code: 'file_too_large', hint: expect.any(String) });
    expect(calls).toEqual([]);
  });

  it('stops reading a stream once it passes 25 MB, sending nothing', async () => {
    const megabyte = new Uint8Array(1024 * 1024);
    let read = 0;
    async function* endless() {
      for (;;) {
        read += 1;
        yield megabyte;
      }
    }
    const error = await connect()
      .documents.create({ file: endless(), filename: 'big.docx' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'file_too_large' });
    expect(read).toBe(26);
    expect(calls).toEqual([]);
  });

  it('says which path it cannot read', async () => {
    const missing = join(dir, 'missing.docx');
    const error = await connect()
      .documents.create({ file: missing })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'file_unreadable',
      message: expect.stringContaining(missing),
    });
    expect(calls).toEqual([]);
  });

  it('refuses a source that is not a file', async () => {
    const error = await connect()
      .documents.create({ file: 42 as unknown as string })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_argument' });
  });
});

describe('exports.get', () => {
  it('returns the bytes, media type and the file name of Content-Disposition', async () => {
    const docx = new Uint8Array([0x50, 0x4b, 3, 4, 0, 255]);
    const prism = connect({
      exportReview: () =>
        new HttpResponse(docx, {
          headers: {
            'content-type':
              'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
            'content-disposition': `attachment; filename="../INC-2291 reviewed.docx"`,
          },
        }),
    });
    const file = await prism.exports.get('rev_3Nf8TgY1', 'docx');
    expect(file).toEqual({
      format: 'docx',
      contentType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      filename: 'INC-2291 reviewed.docx',
      body: docx,
    });
    expect(calls[0]).toMatchObject({
      method: 'GET',
      path: '/v2/reviews/rev_3Nf8TgY1/export',
      query: { format: 'docx' },
      problems: [],
    });
  });

  it('names the file after the review when the server gives no name', async () => {
    const prism = connect({
      exportReview: () =>
        new HttpResponse('# Review\n', { headers: { 'content-type': 'text/markdown' } }),
    });
    const file = await prism.exports.get('rev_3Nf8TgY1', 'markdown');
    expect(file.filename).toBe('rev_3Nf8TgY1.md');
    expect(new TextDecoder().decode(file.body)).toBe('# Review\n');
  });
});
