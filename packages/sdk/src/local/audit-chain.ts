import { createHash } from 'node:crypto';
import type { Actor, AuditEvent } from '../schema/index.js';

/** What an audit event records; the log adds its place in the chain. */
export interface AuditEntry {
  /** Who did it. */
  actor: Actor;
  /** What was done, e.g. `finding.rejected`. */
  action: string;
  /** What it was done to. */
  target: { type: string; id: string };
  /** When. */
  at: string;
  /** Further facts, e.g. a rejection's reason. */
  details: Record<string, unknown>;
}

/**
 * The event that follows `previous` in a tenant's chain: sequence one higher, `previousHash`
 * the previous event's hash, and `hash` the SHA-256 of the event's fields (with
 * `previousHash`) in a fixed order, so changing any stored event breaks every later link.
 */
export function chainAuditEvent(
  tenantId: string,
  id: string,
  previous: AuditEvent | undefined,
  entry: AuditEntry,
): AuditEvent {
  const unhashed = {
    id,
    tenantId,
    sequence: (previous?.sequence ?? 0) + 1,
    actor: entry.actor,
    action: entry.action,
    target: entry.target,
    at: entry.at,
    details: entry.details,
    previousHash: previous?.hash ?? null,
  };
  return { ...unhashed, hash: auditHash(unhashed) };
}

/** Where a chain of audit events is broken: the first bad event and why. */
export interface AuditChainBreak {
  /** The sequence number of the first event that does not fit. */
  sequence: number;
  /** What is wrong with it. */
  reason: string;
}

/**
 * Checks a tenant's events, oldest first and starting at sequence 1: each hash must match the
 * event's fields and link to the event before. Returns the first break, or `undefined`.
 */
export function verifyAuditChain(events: Iterable<AuditEvent>): AuditChainBreak | undefined {
  let previous: AuditEvent | undefined;
  for (const event of events) {
    const expected = (previous?.sequence ?? 0) + 1;
    if (event.sequence !== expected) {
      return { sequence: event.sequence, reason: `expected sequence ${expected}` };
    }
    if (event.previousHash !== (previous?.hash ?? null)) {
      return { sequence: event.sequence, reason: 'previousHash does not match the event before' };
    }
    const { hash, ...unhashed } = event;
    if (auditHash(unhashed) !== hash) {
      return { sequence: event.sequence, reason: 'hash does not match the event (it was changed)' };
    }
    previous = event;
  }
  return undefined;
}

function auditHash(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** JSON with object keys sorted at every level, so equal values hash equally. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
