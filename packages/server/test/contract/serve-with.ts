import type { AddressInfo } from 'node:net';
import { HttpPrism, PrismService, type Store } from '@prism/sdk';
import type { FastifyInstance } from 'fastify';
import { ensureBootstrapKey } from '../../src/bootstrap.js';
import { buildServer } from '../../src/server.js';

/** A listening server over `store` and a client holding its bootstrap admin key. */
export interface ServedStore {
  client: HttpPrism;
  close(): Promise<void>;
}

/** Starts a server on a free loopback port over `store`, as `prism serve` would. */
export async function serveWith(store: Store): Promise<ServedStore> {
  const secret = (await ensureBootstrapKey(store)) as string;
  const service = new PrismService({ store });
  const app: FastifyInstance = await buildServer({ service });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  const client = new HttpPrism({ baseUrl: `http://127.0.0.1:${port}`, apiKey: secret });
  return {
    client,
    async close() {
      await client.close();
      await app.close();
      await service.close();
    },
  };
}
