import type { Actor, Role } from '@prism/sdk';

/** Roles from least to most allowed; each may do everything of the ones before it. */
export const ROLE_ORDER: readonly Role[] = ['viewer', 'analyst', 'lead', 'org_admin', 'admin'];

/**
 * The least role each operation needs. Reading is for everyone; uploading, reviewing and
 * deciding on findings for analysts; exports, deletions and frameworks for leads; API keys,
 * webhooks, connections, watches and the audit log for organisation admins.
 */
export const REQUIRED_ROLE: Readonly<Record<string, Role>> = {
  listDocuments: 'viewer',
  getDocument: 'viewer',
  listReviews: 'viewer',
  getReview: 'viewer',
  streamReviewEvents: 'viewer',
  listFindings: 'viewer',
  getFinding: 'viewer',
  askChat: 'viewer',
  listPatterns: 'viewer',
  getStats: 'viewer',
  listFrameworks: 'viewer',
  getFramework: 'viewer',
  createDocument: 'analyst',
  createReview: 'analyst',
  cancelReview: 'analyst',
  createFinding: 'analyst',
  updateFinding: 'analyst',
  acceptFinding: 'analyst',
  rejectFinding: 'analyst',
  exportReview: 'lead',
  deleteDocument: 'lead',
  createFramework: 'lead',
  listWebhookEndpoints: 'org_admin',
  createWebhookEndpoint: 'org_admin',
  getWebhookEndpoint: 'org_admin',
  updateWebhookEndpoint: 'org_admin',
  deleteWebhookEndpoint: 'org_admin',
  rotateWebhookSecret: 'org_admin',
  listWebhookDeliveries: 'org_admin',
  replayWebhookDelivery: 'org_admin',
  listConnections: 'org_admin',
  createConnection: 'org_admin',
  reauthorizeConnection: 'org_admin',
  getConnection: 'org_admin',
  deleteConnection: 'org_admin',
  listWatches: 'org_admin',
  createWatch: 'org_admin',
  prepareWatch: 'org_admin',
  getWatch: 'org_admin',
  deleteWatch: 'org_admin',
  listApiKeys: 'org_admin',
  createApiKey: 'org_admin',
  revokeApiKey: 'org_admin',
  listAuditEvents: 'org_admin',
};

/** Whether `role` may do what `required` allows. */
export function roleAllows(role: Role, required: Role): boolean {
  return ROLE_ORDER.indexOf(role) >= ROLE_ORDER.indexOf(required);
}

/** Who made a request: the tenant every record it touches belongs to, the role, and the actor. */
export interface Principal {
  /** The tenant. */
  tenantId: string;
  /** What the caller may do. */
  role: Role;
  /** Who the audit log and decisions name. */
  actor: Actor;
}
