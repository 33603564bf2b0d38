import type { Document, Finding, Framework, Review } from '../schema/index.js';

/**
 * Everything known about one finished review: the document with its sections, the review,
 * its findings and the framework they cite. Every export is a function of this.
 */
export interface ReviewReport {
  /** The reviewed document, with its sections. */
  document: Document;
  /** The review record (status, summary, usage, timings). */
  review: Review;
  /** The findings, in document order. */
  findings: Finding[];
  /** The framework the review checked against. */
  framework: Framework;
}

/** `Hawkeye #8, #12`: how people cite the framework items of a finding. */
export function citeItems(finding: Finding, framework: Framework): string {
  const label = framework.name.split(/\s+/)[0] ?? framework.id;
  return finding.frameworkItems.map((item) => `${label} #${item.number}`).join(', ');
}

/** The section heading of a finding, or a stand-in for document-level and untitled sections. */
export function sectionLabel(finding: Finding, document: Document): string {
  if (finding.sectionIndex === null) return 'Whole document';
  const section = document.sections[finding.sectionIndex];
  return section?.heading ?? `Section ${finding.sectionIndex + 1}`;
}
