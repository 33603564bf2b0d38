import { randomUUID } from 'node:crypto';
import type { Connection, Table } from '@prism/sdk';
import type { ConnectionSecrets } from '../../src/connections/connection-secrets.js';
import type { ConnectionTokens } from '../../src/connections/types.js';

/** The tenant every token provider test uses. */
export const TENANT = 'ten_tokens';

/** Tokens whose access token expired a minute before `now`, with refresh token `refresh-0`. */
export function expiredTokens(now = new Date()): ConnectionTokens {
  return {
    accessToken: 'access-0',
    refreshToken: 'refresh-0',
    expiresAt: new Date(now.getTime() - 60_000).toISOString(),
    extra: { instanceUrl: 'https://acme.my.salesforce.com' },
  };
}

/** Stores a Salesforce connection in `status` and its tokens; returns the connection. */
export async function seedConnection(
  connections: Table<Connection>,
  secrets: ConnectionSecrets,
  tokens: ConnectionTokens,
  status: Connection['status'] = 'active',
): Promise<Connection> {
  const createdAt = '2026-03-01T08:00:00.000Z';
  const connection: Connection = {
    id: `con_${randomUUID().replaceAll('-', '')}`,
    tenantId: TENANT,
    provider: 'salesforce',
    status,
    account: { id: '00D5g000004ABCdEAO', name: 'Acme Corp' },
    scopes: ['api', 'refresh_token'],
    expiresAt: tokens.expiresAt,
    createdAt,
    updatedAt: createdAt,
  };
  await connections.insert(connection);
  await secrets.create(TENANT, connection.id, tokens);
  return connection;
}
