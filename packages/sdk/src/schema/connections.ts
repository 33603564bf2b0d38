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

/** How to connect an existing connection's account again: where to send the user afterwards. */
export const ConnectionReauthorizeSchema = z.strictObject({
  returnUrl: z.url().optional(),
});
/** How to connect an existing connection's account again. */
export type ConnectionReauthorize = z.infer<typeof ConnectionReauthorizeSchema>;

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

/** Why a watch could not read its place's changes. */
export const WatchErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  hint: z.string().optional(),
  at: Timestamp,
});
/** Why a watch could not read its place's changes. */
export type WatchError = z.infer<typeof WatchErrorSchema>;

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
  resultsFolder: z.string().optional(),
  status: z.enum(['active', 'paused', 'error']),
  lastRunAt: Timestamp.nullable().optional(),
  lastError: WatchErrorSchema.nullable().optional(),
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
  resultsFolder: z.string().min(1).max(400).optional(),
});
/** A new auto-review rule. */
export type WatchCreate = z.infer<typeof WatchCreateSchema>;

/** A place to prepare for watching, and the connection that reaches it. */
export const WatchPrepareSchema = z.strictObject({
  connectionId: z.string(),
  kind: WatchKindSchema,
  target: z.string().min(1),
});
/** A place to prepare for watching. */
export type WatchPrepare = z.infer<typeof WatchPrepareSchema>;

/** A field of the watched place that Prism writes results into (a SharePoint column). */
export const WatchResultFieldSchema = z.object({
  name: z.string(),
  displayName: z.string(),
  created: z.boolean(),
});
/** A field Prism writes results into. */
export type WatchResultField = z.infer<typeof WatchResultFieldSchema>;

/** A place prepared for watching, and the fields Prism writes results into there. */
export const WatchPreparationSchema = z.object({
  connectionId: z.string(),
  kind: WatchKindSchema,
  target: z.string(),
  resultFields: z.array(WatchResultFieldSchema),
});
/** A place prepared for watching. */
export type WatchPreparation = z.infer<typeof WatchPreparationSchema>;

/** A page of watches. */
export const WatchListSchema = pageOf(WatchSchema);
/** A page of watches. */
export type WatchList = z.infer<typeof WatchListSchema>;
