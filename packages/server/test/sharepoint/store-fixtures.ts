import type { SharePointWatch } from '@prism/connector-sharepoint';
import type { SqlExecutor } from '../../src/store/sql-client.js';
import type { SqlStore } from '../../src/store/sql-store.js';

/** A store for a suite, and how to let it go. */
export interface SuiteStore {
  store: SqlStore;
  close(): Promise<void>;
}

/** A drive id as Graph spells them. */
export const DRIVE = 'b!-RIj2DuyvEyV1T4NlOaMHk8XkS_I8MdFlUCq1BlcjgmhRfAj3-Z8RY2VpuvV_tpd';

/** A watch on the Contracts folder of {@link DRIVE}, with `overrides`. */
export function sampleWatch(overrides: Partial<SharePointWatch> = {}): SharePointWatch {
  return {
    id: 'wat_contracts',
    tenantId: 'ten_legal',
    connectionId: 'con_contoso',
    driveId: DRIVE,
    folderPath: `/drives/${DRIVE}/root:/Contracts`,
    fileTypes: ['docx', 'pdf'],
    framework: 'hawkeye-20',
    model: 'rules',
    subscriptionId: '7f105c7d-2dc5-4530-97cd-4e7ae6534c07',
    clientState: 'Qm9vLXNlY3JldC1jbGllbnQtc3RhdGUtZm9yLXRoZS13YXRjaA',
    expirationDateTime: '2026-04-01T11:00:00.000Z',
    deltaLink: `https://graph.microsoft.com/v1.0/drives/${DRIVE}/root/delta?token=aTE09NjM4`,
    ...overrides,
  };
}

/** What a review row holds that the SharePoint tables look at. */
export interface ReviewRow {
  id: string;
  tenantId: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'canceled';
  metadata: Record<string, string>;
  completedAt: string | null;
}

/** Stores a review row as the store keeps one (its JSON in `data`). */
export async function insertReview(sql: SqlExecutor, review: ReviewRow): Promise<void> {
  await sql.query('INSERT INTO reviews (id, tenant_id, data) VALUES ($1, $2, $3::jsonb)', [
    review.id,
    review.tenantId,
    JSON.stringify(review),
  ]);
}

/** The review metadata the auto-reviewer records for a version of an item. */
export function watchedMetadata(
  watchId: string,
  itemId: string,
  cTag = '1',
): Record<string, string> {
  return {
    watchId,
    driveId: DRIVE,
    itemId,
    versionKey: versionKey(itemId, cTag),
  };
}

/** The content version key of an item at a cTag revision. */
export function versionKey(itemId: string, cTag = '1'): string {
  return `${itemId}:"c:{${itemId}},${cTag}"`;
}

/** Empties the SharePoint tables and the reviews, between tests. */
export async function clearTables(sql: SqlExecutor): Promise<void> {
  await sql.execute(
    'DELETE FROM sharepoint_write_backs; DELETE FROM sharepoint_seen_versions; DELETE FROM sharepoint_watches; DELETE FROM reviews;',
  );
}
