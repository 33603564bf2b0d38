import type { Finding } from '../schema/index.js';
import type { EngineFinding } from './types.js';

/** Where a new finding record belongs, and when it was made. */
export interface FindingPlace {
  /** The finding's id. */
  id: string;
  /** The review that found it. */
  reviewId: string;
  /** The reviewed document. */
  documentId: string;
  /** When the review found it. */
  at: string;
}

/** The API's record of a finding the engine made: open, undecided, created and updated `at`. */
export function findingRecord(finding: EngineFinding, place: FindingPlace): Finding {
  return {
    id: place.id,
    reviewId: place.reviewId,
    documentId: place.documentId,
    sectionIndex: finding.sectionIndex,
    frameworkItems: finding.frameworkItems,
    severity: finding.severity,
    category: finding.category,
    title: finding.title,
    description: finding.description,
    suggestion: finding.suggestion,
    quote: finding.quote,
    confidence: finding.confidence,
    origin: finding.origin,
    status: 'open',
    decision: null,
    adjustment: finding.adjustment,
    createdAt: place.at,
    updatedAt: place.at,
  };
}
