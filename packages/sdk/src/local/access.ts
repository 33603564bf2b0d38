import { createHash } from 'node:crypto';
import type { ApiKeysApi, AuditApi, CallOptions, ListParams, PostOptions } from '../api/types.js';
import type { PagePromise } from '../client/pagination.js';
import {
  type ApiKey,
  type ApiKeyCreate,
  ApiKeyCreateSchema,
  type ApiKeyWithSecret,
  type AuditEvent,
} from '../schema/index.js';
import type { LocalContext } from './context.js';
import { tablePages } from './paging.js';
import { notFound, type Operation } from './problems.js';
import { toApiKey } from './rows.js';
import type { ApiKeyRow } from './store.js';
import { parseInput } from './validate.js';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** Random characters after `prism_sk_`: 32 of 62 (about 190 bits). */
const KEY_LENGTH = 32;
/** How much of a key stays visible to tell keys apart: `prism_sk_` and 4 characters. */
const VISIBLE_PREFIX_LENGTH = 13;

/** A new API key secret: `prism_sk_` followed by 32 random letters and digits. */
export function generateApiKeySecret(): string {
  const limit = 256 - (256 % KEY_ALPHABET.length);
  let key = '';
  while (key.length < KEY_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(KEY_LENGTH))) {
      // Rejection sampling keeps every character equally likely.
      if (byte < limit && key.length < KEY_LENGTH) key += KEY_ALPHABET[byte % KEY_ALPHABET.length];
    }
  }
  return `prism_sk_${key}`;
}

/** SHA-256 (hex) of an API key secret: what is stored and compared instead of the key. */
export function hashApiKeySecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** `prism.apiKeys` in-process: keys are stored hashed, shown once, and revocable. */
export class LocalApiKeys implements ApiKeysApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  async create(params: ApiKeyCreate, _options?: PostOptions): Promise<ApiKeyWithSecret> {
    const operation: Operation = { method: 'POST', path: '/v2/api-keys' };
    const input = parseInput(operation, ApiKeyCreateSchema, params);
    const context = this.#context;
    const secret = generateApiKeySecret();
    const row: ApiKeyRow = {
      id: context.newId('key'),
      tenantId: context.tenantId,
      name: input.name,
      prefix: secret.slice(0, VISIBLE_PREFIX_LENGTH),
      role: input.role,
      createdAt: context.timestamp(),
      lastUsedAt: null,
      revokedAt: null,
      secretHash: hashApiKeySecret(secret),
    };
    await context.store.apiKeys.insert(row);
    await context.audit(
      'api_key.created',
      { type: 'api_key', id: row.id },
      {
        name: row.name,
        role: row.role,
      },
    );
    return { apiKey: toApiKey(row), secret };
  }

  list(params: ListParams = {}, _options?: CallOptions): PagePromise<ApiKey> {
    const { store, tenantId } = this.#context;
    const operation: Operation = { method: 'GET', path: '/v2/api-keys' };
    return tablePages(operation, store.apiKeys, tenantId, params, {}, toApiKey);
  }

  /** Revokes a key; revoking a revoked key changes nothing and returns it. */
  async revoke(keyId: string, _options?: PostOptions): Promise<ApiKey> {
    const operation: Operation = { method: 'POST', path: `/v2/api-keys/${keyId}/revoke` };
    const context = this.#context;
    const row = await context.store.apiKeys.update(context.tenantId, keyId, (current) =>
      current.revokedAt === null ? { ...current, revokedAt: context.timestamp() } : current,
    );
    if (!row) throw notFound(operation, 'API key', keyId);
    await context.audit('api_key.revoked', { type: 'api_key', id: keyId });
    return toApiKey(row);
  }
}

/** `prism.audit` in-process: the tenant's hash-chained log, oldest first. */
export class LocalAudit implements AuditApi {
  readonly #context: LocalContext;

  constructor(context: LocalContext) {
    this.#context = context;
  }

  list(
    params: ListParams & { action?: string } = {},
    _options?: CallOptions,
  ): PagePromise<AuditEvent> {
    const { store, tenantId } = this.#context;
    const operation: Operation = { method: 'GET', path: '/v2/audit-events' };
    return tablePages(
      operation,
      store.audit,
      tenantId,
      params,
      { where: { action: params.action }, order: 'oldest' },
      (event) => event,
    );
  }
}
