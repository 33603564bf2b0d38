import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { createContext, Script } from 'node:vm';
import { build, type Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as PrismHttp from '../../src/http/index.js';
import { spec } from '../spec.js';

const httpEntry = resolve(import.meta.dirname, '../../src/http/index.ts');
const review = spec.components.schemas.Review?.examples?.[0] as PrismHttp.Review;
const reviewPath = `/v2/reviews/${review.id}`;
const apiKey = 'prism_sk_EdgeBundle0123456789';

/** What the bundle exposes to the test: the part of `@prism/sdk/http` the test uses. */
type Bundle = Pick<typeof PrismHttp, 'HttpPrism' | 'NotFoundError'>;

/**
 * Bundles an entry that imports `@prism/sdk/http` (mapped to its source, as the workspace's tests
 * do) for a browser or worker, as a consumer's bundler would.
 */
async function bundleForTheEdge() {
  const result = await build({
    stdin: {
      contents: "export { HttpPrism, NotFoundError } from '@prism/sdk/http';",
      resolveDir: import.meta.dirname,
      loader: 'ts',
    },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'PrismHttp',
    platform: 'browser',
    conditions: ['worker', 'browser'],
    target: 'es2022',
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        name: 'prism-sdk-http-source',
        setup(plugin) {
          plugin.onResolve({ filter: /^@prism\/sdk\/http$/ }, () => ({ path: httpEntry }));
        },
      },
    ],
  });
  const [output] = result.outputFiles;
  if (!output) throw new Error('esbuild wrote no bundle');
  return { code: output.text, metafile: result.metafile, warnings: result.warnings };
}

/** The modules a bundle holds code of: `(disabled):` stubs of modules mapped to nothing are left out. */
function bundledModules(metafile: Metafile): string[] {
  return Object.values(metafile.outputs).flatMap((output) =>
    Object.keys(output.inputs).filter((input) => !input.startsWith('(disabled):')),
  );
}

/** Runs `code` where only the web platform's globals exist: no `process`, `require` or `Buffer`. */
function runWithWebGlobalsOnly(code: string, fetch: typeof globalThis.fetch): Bundle {
  const context = createContext({
    fetch,
    Request,
    Response,
    Headers,
    URL,
    URLSearchParams,
    AbortController,
    AbortSignal,
    TextEncoder,
    TextDecoder,
    FormData,
    Blob,
    crypto,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    console,
    structuredClone,
    ReadableStream,
    atob,
    btoa,
  });
  new Script(code, { filename: 'prism-http.edge.js' }).runInContext(context);
  expect(new Script('typeof process + typeof require + typeof Buffer').runInContext(context)).toBe(
    'undefinedundefinedundefined',
  );
  return context.PrismHttp as Bundle;
}

/** A Prism server on 127.0.0.1: one review, a 404 problem, and two pages of reviews. */
function startServer(seen: { url: string; userAgent: string }[]): Promise<Server> {
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    seen.push({
      url: `${url.pathname}${url.search}`,
      userAgent: request.headers['user-agent'] ?? '',
    });
    const send = (status: number, body: unknown, type = 'application/json') => {
      const requestId = (body as { requestId?: string }).requestId ?? `req_edge_${seen.length}`;
      response
        .writeHead(status, { 'content-type': type, 'x-request-id': requestId })
        .end(JSON.stringify(body));
    };
    if (url.pathname === reviewPath) return send(200, review);
    if (url.pathname === '/v2/reviews/rev_missing') {
      const problem = {
        type: 'https://prism.dev/problems/not-found',
        title: 'Not Found',
        status: 404,
        code: 'not_found',
        detail: 'No review rev_missing.',
        requestId: 'req_edge_missing',
      };
      return send(404, problem, 'application/problem+json');
    }
    if (url.pathname === '/v2/reviews') {
      const second = url.searchParams.get('cursor') === 'page_2';
      const items = second ? [{ ...review, id: 'rev_page2' }] : [review];
      return send(200, { data: items, hasMore: !second, nextCursor: second ? null : 'page_2' });
    }
    return send(501, { code: 'unexpected' });
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}

describe('@prism/sdk/http bundled for a browser or an edge runtime', () => {
  let bundle: Awaited<ReturnType<typeof bundleForTheEdge>>;
  let sdk: Bundle;
  let server: Server;
  let prism: PrismHttp.HttpPrism;
  const seen: { url: string; userAgent: string }[] = [];
  const fetched: string[] = [];

  beforeAll(async () => {
    bundle = await bundleForTheEdge();
    server = await startServer(seen);
    const countingFetch: typeof fetch = (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    };
    sdk = runWithWebGlobalsOnly(bundle.code, countingFetch);
    const { port } = server.address() as AddressInfo;
    prism = new sdk.HttpPrism({ baseUrl: `http://127.0.0.1:${port}`, apiKey, maxRetries: 0 });
  });

  afterAll(async () => {
    await prism?.close();
    server?.closeAllConnections();
    await new Promise((done) => server?.close(done));
  });

  it('holds no Node module and no undici code, and bundles without warnings', () => {
    const modules = bundledModules(bundle.metafile);
    expect(modules).toContain('packages/sdk/src/http/prism.ts');
    expect(modules.filter((input) => input.startsWith('node:'))).toEqual([]);
    expect(modules.filter((input) => /node_modules\/(\.pnpm\/)?undici/.test(input))).toEqual([]);
    const externals = Object.values(bundle.metafile.outputs).flatMap((output) => output.imports);
    expect(externals).toEqual([]);
    expect(bundle.warnings.map((warning) => warning.text)).toEqual([]);
  });

  it('gets a review through the global fetch, and says it runs outside Node', async () => {
    const before = fetched.length;
    const got = await prism.reviews.get(review.id);
    expect(got).toEqual(review);
    expect(fetched.slice(before)).toEqual([expect.stringContaining(reviewPath)]);
    expect(seen.at(-1)?.userAgent).toMatch(/^prism-sdk\/\S+ js$/);
  });

  it('maps a 404 problem to NotFoundError with its code and request id', async () => {
    const error = await prism.reviews.get('rev_missing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(sdk.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'not_found', requestId: 'req_edge_missing' });
  });

  it('follows a list over two pages', async () => {
    const before = fetched.length;
    const reviews = await prism.reviews.list({ limit: 1 }).toArray();
    expect(reviews.map((item) => item.id)).toEqual([review.id, 'rev_page2']);
    expect(seen.slice(-2).map((request) => request.url)).toEqual([
      '/v2/reviews?limit=1',
      '/v2/reviews?limit=1&cursor=page_2',
    ]);
    expect(fetched.length - before).toBe(2);
  });

  it('sent every request through the global fetch', () => {
    expect(fetched).toHaveLength(seen.length);
  });
});
