import { z } from 'zod';
import { pageOf, Timestamp } from './common.js';

/** A platform Prism connects accounts of. */
export const ConnectionProviderSchema = z.enum(['microsoft', 'salesforce', 'slack']);
/** A platform Prism connects accounts of. */
export type ConnectionProvider = z.infer<typeof ConnectionProviderSchema>;

/** A connected account on another platform; its tokens never leave the server's vault. */
export const ConnectionSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  provider: ConnectionProviderSchema,
  status: z.enum(['pending', 'active', 'needs_reauth', 'revoked']),
  account: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
  scopes: z.array(z.string()),
  expiresAt: Timestamp.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** A connected account on another platform. */
export type Connection = z.infer<typeof ConnectionSchema>;

/** Which provider to connect, and where to send the user afterwards. */
export const ConnectionCreateSchema = z.strictObject({
  provider: ConnectionProviderSchema,
  returnUrl: z.url().optional(),
});
/** Which provider to connect. */
export type ConnectionCreate = z.infer<typeof ConnectionCreateSchema>;

/** A pending connection and the URL that completes it. */
export const ConnectionAuthorizationSchema = z.object({
  connection: ConnectionSchema,
  authorizationUrl: z.url(),
  expiresAt: Timestamp,
});
/** A pending connection and the URL that completes it. */
export type ConnectionAuthorization = z.infer<typeof ConnectionAuthorizationSchema>;

/** A page of connections. */
export const ConnectionListSchema = pageOf(ConnectionSchema);
/** A page of connections. */
export type ConnectionList = z.infer<typeof ConnectionListSchema>;

/** The kinds of place a watch can observe. */
export const WatchKindSchema = z.enum(['sharepoint', 'slack', 'salesforce']);

/** An auto-review rule: a place on a platform whose new documents are reviewed. */
export const WatchSchema = z.object({
  id: z.string(),
  tenantId: z.string(),
  connectionId: z.string(),
  kind: WatchKindSchema,
  target: z.string(),
  fileTypes: z.array(z.string()),
  framework: z.string(),
  model: z.string(),
  status: z.enum(['active', 'paused', 'error']),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
/** An auto-review rule. */
export type Watch = z.infer<typeof WatchSchema>;

/** A new auto-review rule. */
export const WatchCreateSchema = z.strictObject({
  connectionId: z.string(),
  kind: WatchKindSchema,
  target: z.string().min(1),
  fileTypes: z.array(z.string()).optional(),
  framework: z.string().optional(),
  model: z.string().optional(),
});
/** A new auto-review rule. */
export type WatchCreate = z.infer<typeof WatchCreateSchema>;

/** A page of watches. */
export const WatchListSchema = pageOf(WatchSchema);
/** A page of watches. */
export type WatchList = z.infer<typeof WatchListSchema>;
