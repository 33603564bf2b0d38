import { join } from 'node:path';

/** The team's shared folder, beside the repository's checkout. */
export const SHARED = join(import.meta.dirname, '../../../../../shared');
/** Real .docx/.pdf files from other projects' test suites, plus malformed and hostile ones. */
export const REAL_DOCS = join(SHARED, 'corpus/real-docs');
/** Labelled investigation documents (`labels.json`). */
export const LABELLED_DOCS = join(SHARED, 'corpus/labelled');
