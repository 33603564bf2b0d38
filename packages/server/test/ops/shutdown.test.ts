import { once } from 'node:events';
import http from 'node:http';
import { generateApiKeySecret } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigSchema } from '../../src/config.js';
import { type RunningServer, startServer } from '../../src/start.js';
import { NOTES_UPLOAD } from '../api/harness.js';
import { createTestDatabase, type TestDatabase } from '../store/test-database.js';

interface Answer {
  status: number;
  body: string;
}

/** Reads an answer to its end. */
async function readAnswer(response: http.IncomingMessage): Promise<Answer> {
  let body = '';
  for await (const chunk of response) body += String(chunk);
  return { status: response.statusCode ?? 0, body };
}

/** `GET url` on a connection of its own (no keep-alive pool), so each tries to connect anew. */
function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => readAnswer(response).then(resolve, reject))
      .on('error', reject);
  });
}

describe('startServer, then close()', () => {
  const adminKey = generateApiKeySecret();
  let database: TestDatabase;
  let running: RunningServer;
  let closing: Promise<void> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    running = await startServer(
      ConfigSchema.parse({
        PORT: 0,
        DATABASE_URL: database.url,
        DATABASE_POOL_SIZE: 2,
        PRISM_BOOTSTRAP_KEY: adminKey,
        PRISM_LOG_LEVEL: 'silent',
      }),
    );
  });
  afterAll(async () => {
    if (running) await (closing ?? running.close());
    await database?.drop();
  });

  it('answers a request in flight, refusing new connections, /readyz included, meanwhile', async () => {
    expect(await get(`${running.url}/readyz`)).toEqual({
      status: 200,
      body: JSON.stringify({ status: 'ready', checks: { database: 'ok' } }),
    });

    // An upload whose body is still on its way when the server is told to close.
    const body = JSON.stringify(NOTES_UPLOAD);
    const arrived = once(running.app.server, 'request');
    const upload = http.request(`${running.url}/v2/documents`, {
      method: 'POST',
      agent: false,
      headers: {
        authorization: `Bearer ${adminKey}`,
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
      },
    });
    const answered = once(upload, 'response').then(([response]) =>
      readAnswer(response as http.IncomingMessage),
    );
    upload.write(body.slice(0, 20));
    await arrived;

    let closed = false;
    closing = running.close();
    void closing.then(() => {
      closed = true;
    });
    await vi.waitFor(() => expect(running.app.server.listening).toBe(false));
    await expect(get(`${running.url}/readyz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(closed).toBe(false);

    upload.end(body.slice(20));
    const answer = await answered;
    expect(answer.status).toBe(201);
    expect(JSON.parse(answer.body)).toMatchObject({ filename: NOTES_UPLOAD.filename });

    await closing;
    await expect(get(`${running.url}/readyz`)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
