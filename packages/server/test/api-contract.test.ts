import type { AddressInfo } from 'node:net';
import { generateApiKeySecret, HttpPrism, hashApiKeySecret, PrismService } from '@prism/sdk';
import { describePrismContract } from '@prism/sdk/contract';
import type { FastifyInstance } from 'fastify';
import { afterAll } from 'vitest';
import { buildServer } from '../src/server.js';

let app: FastifyInstance | undefined;
afterAll(async () => {
  await app?.close();
});

describePrismContract('a running server (in-memory store)', async () => {
  const service = new PrismService();
  const secret = generateApiKeySecret();
  await service.core.store.apiKeys.insert({
    id: 'key_admin',
    tenantId: 'contract',
    name: 'contract admin',
    prefix: secret.slice(0, 13),
    role: 'admin',
    createdAt: new Date().toISOString(),
    lastUsedAt: null,
    revokedAt: null,
    secretHash: hashApiKeySecret(secret),
  });
  app = await buildServer({ service });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return new HttpPrism({ baseUrl: `http://127.0.0.1:${port}`, apiKey: secret });
});
