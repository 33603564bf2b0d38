import { z } from 'zod';
import { ActorSchema, pageOf, Sha256Hex, Timestamp } from './common.js';

/** What a key or user may do; each role includes the ones after it. */
export const RoleSchema = z.enum(['admin', 'org_admin', 'lead', 'analyst', 'viewer']);
/** What a key or user may do. */
export type Role = z.infer<typeof RoleSchema>;

/** An API key, without its secret. */
export const ApiKeySchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: RoleSchema,
  createdAt: Timestamp,
  lastUsedAt: Timestamp.nullable(),
  revokedAt: Timestamp.nullable(),
});
/** An API key, without its secret. */
export type ApiKey = z.infer<typeof ApiKeySchema>;

/** A new API key. */
export const ApiKeyCreateSchema = z.strictObject({
  name: z.string().min(1).max(100),
  role: RoleSchema,
});
/** A new API key. */
export type ApiKeyCreate = z.infer<typeof ApiKeyCreateSchema>;

/** A new key and its secret (shown only once). */
export const ApiKeyWithSecretSchema = z.object({
  apiKey: ApiKeySchema,
  secret: z
    .string()
    .regex(/^prism_sk_[A-Za-z0-9]+$/, 'must be prism_sk_ followed by letters and digits'),
});
/** A new key and its secret. */
export type ApiKeyWithSecret = z.infer<typeof ApiKeyWithSecretSchema>;

/** A page of API keys. */
export const ApiKeyListSchema = pageOf(ApiKeySchema);
/** A page of API keys. */
export type ApiKeyList = z.infer<typeof ApiKeyListSchema>;

/** One entry of the append-only audit log, chained to the previous by hash. */
export const AuditEventSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  sequence: z.int().min(1),
  actor: ActorSchema,
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }),
  at: Timestamp,
  details: z.record(z.string(), z.unknown()),
  hash: Sha256Hex,
  previousHash: Sha256Hex.nullable(),
});
/** One entry of the audit log. */
export type AuditEvent = z.infer<typeof AuditEventSchema>;

/** A page of audit events. */
export const AuditEventListSchema = pageOf(AuditEventSchema);
/** A page of audit events. */
export type AuditEventList = z.infer<typeof AuditEventListSchema>;
