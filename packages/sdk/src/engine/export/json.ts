import type { ReviewExport } from '../../schema/index.js';
import type { ReviewReport } from '../report.js';

/** The `format=json` export: the `ReviewExport` shape of the API (document without sections). */
export function toJsonExport(report: ReviewReport): ReviewExport {
  const { document, review, findings } = report;
  return {
    document: {
      id: document.id,
      filename: document.filename,
      title: document.title,
      sha256: document.sha256,
    },
    review,
    framework: review.framework,
    findings,
  };
}
