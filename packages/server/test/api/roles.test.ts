import type { Role } from '@prism/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REQUIRED_ROLE, ROLE_ORDER, roleAllows } from '../../src/api/roles.js';
import {
  expectProblem,
  pathOf,
  SPEC_OPERATIONS,
  type SpecOperation,
  startTestServer,
  storedState,
  type TestServer,
} from './harness.js';

const TENANT = 'roles';
/** Ids no record has: an allowed request gets past the role check and ends at a 404 or 422. */
const MISSING_IDS = new Proxy({}, { get: (_, name) => `missing_${String(name)}` }) as Record<
  string,
  string
>;

let server: TestServer;
const keys = new Map<Role, string>();

beforeAll(async () => {
  server = await startTestServer();
  for (const role of ROLE_ORDER) keys.set(role, await server.addKey(TENANT, role));
});

afterAll(async () => {
  await server?.close();
});

/** A request of `operation` on ids that do not exist, with no body: nothing it can change. */
function harmlessRequest(operation: SpecOperation) {
  return { method: operation.method, url: pathOf(operation, MISSING_IDS) };
}

describe('the role matrix', () => {
  it('names a least role for exactly the operations of the document', () => {
    expect(Object.keys(REQUIRED_ROLE).sort()).toEqual(
      SPEC_OPERATIONS.map((operation) => operation.operationId).sort(),
    );
  });

  const cases = ROLE_ORDER.flatMap((role) =>
    SPEC_OPERATIONS.map((operation) => [role, operation.operationId, operation] as const),
  );

  it.each(cases)('%s calling %s', async (role, operationId, operation) => {
    const required = REQUIRED_ROLE[operationId] as Role;
    const response = await server.call(keys.get(role), {
      ...harmlessRequest(operation),
      headers: { 'x-request-id': `roles-${role}-${operationId}` },
    });
    if (roleAllows(role, required)) {
      expect([401, 403], response.body).not.toContain(response.statusCode);
    } else {
      const problem = expectProblem(response, 403, 'forbidden');
      expect(problem.requestId).toBe(`roles-${role}-${operationId}`);
      expect(problem.detail).toContain(required);
    }
  });
});

describe('authentication', () => {
  const failures: [string, () => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['an empty bearer', async () => ({ authorization: 'Bearer ' })],
    ['another scheme', async () => ({ authorization: `Basic ${keys.get('admin')}` })],
    ['an unknown key', async () => ({ authorization: 'Bearer prism_sk_unknownunknownunknown00' })],
    [
      'a revoked key',
      async () => ({
        authorization: `Bearer ${await server.addKey(TENANT, 'admin', { revoked: true })}`,
      }),
    ],
  ];

  it.each(failures)('refuses %s on every operation with 401 unauthorized', async (_, headers) => {
    const sent = await headers();
    for (const operation of SPEC_OPERATIONS) {
      const response = await server.app.inject({ ...harmlessRequest(operation), headers: sent });
      expect({ operationId: operation.operationId, status: response.statusCode }).toEqual({
        operationId: operation.operationId,
        status: 401,
      });
      expectProblem(response, 401, 'unauthorized');
    }
  });

  it('refuses a key revoked through the API from its next request', async () => {
    const admin = keys.get('admin');
    const created = await server.call(admin, {
      method: 'POST',
      url: '/v2/api-keys',
      payload: { name: 'short-lived', role: 'viewer' },
    });
    const { apiKey, secret } = created.json();
    expect((await server.call(secret, { method: 'GET', url: '/v2/documents' })).statusCode).toBe(
      200,
    );
    await server.call(admin, { method: 'POST', url: `/v2/api-keys/${apiKey.id}/revoke` });
    const refused = await server.call(secret, { method: 'GET', url: '/v2/documents' });
    expect(expectProblem(refused, 401, 'unauthorized').detail).toMatch(/revoked/);
  });

  it('echoes the request id the client sent in the header and the problem', async () => {
    const response = await server.app.inject({
      method: 'GET',
      url: '/v2/documents',
      headers: { 'x-request-id': 'client-req-42' },
    });
    expect(expectProblem(response, 401, 'unauthorized').requestId).toBe('client-req-42');
  });
});

describe('creating API keys', () => {
  const creators = ROLE_ORDER.filter((role) =>
    roleAllows(role, REQUIRED_ROLE.createApiKey as Role),
  );
  const cases = creators.flatMap((creator) => ROLE_ORDER.map((role) => [creator, role] as const));

  it.each(cases)('a key of %s creating a key of %s', async (creator, role) => {
    const before = await storedState(server.service.core.store, TENANT);
    const response = await server.call(keys.get(creator), {
      method: 'POST',
      url: '/v2/api-keys',
      payload: { name: `${creator} makes ${role}`, role },
    });
    if (roleAllows(creator, role)) {
      expect(response.statusCode, response.body).toBe(201);
      expect(response.json().apiKey.role).toBe(role);
    } else {
      expectProblem(response, 403, 'forbidden');
      expect(await storedState(server.service.core.store, TENANT)).toEqual(before);
    }
  });
});

describe('revoking API keys', () => {
  const revokers = ROLE_ORDER.filter((role) =>
    roleAllows(role, REQUIRED_ROLE.revokeApiKey as Role),
  );
  const cases = revokers.flatMap((revoker) => ROLE_ORDER.map((role) => [revoker, role] as const));

  it.each(cases)('a key of %s revoking a key of %s', async (revoker, role) => {
    const created = await server.call(keys.get('admin'), {
      method: 'POST',
      url: '/v2/api-keys',
      payload: { name: `to be revoked by ${revoker}`, role },
    });
    const { apiKey } = created.json();
    const response = await server.call(keys.get(revoker), {
      method: 'POST',
      url: `/v2/api-keys/${apiKey.id}/revoke`,
    });
    if (roleAllows(revoker, role)) {
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json().revokedAt).not.toBeNull();
    } else {
      expectProblem(response, 403, 'forbidden');
    }
  });
});
