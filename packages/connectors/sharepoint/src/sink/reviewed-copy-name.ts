const SUFFIX = ' (Prism review).docx';

/**
 * The name of the reviewed copy of the document `originalName`: its name without extension
 * followed by ` (Prism review).docx`, e.g. `Contract.pdf` → `Contract (Prism review).docx`.
 */
export function reviewedCopyName(originalName: string): string {
  const dot = originalName.lastIndexOf('.');
  const stem = dot > 0 ? originalName.slice(0, dot) : originalName;
  return `${stem}${SUFFIX}`;
}

/** Whether `name` is the name of a reviewed copy Prism uploaded: such a file needs no review. */
export function isReviewedCopyName(name: string): boolean {
  return name.toLowerCase().endsWith(SUFFIX.toLowerCase());
}
