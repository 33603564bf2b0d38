export { type ColumnsTarget, type EnsuredColumns, ensureColumns } from './ensure-columns.js';
export { ensureFolder } from './ensure-folder.js';
export { findLibraryList, type LibraryList } from './library-list.js';
export {
  PRISM_COLUMNS,
  type PrismColumn,
  type PrismColumnKey,
  type PrismColumnType,
  TEXT_COLUMN_MAX_LENGTH,
} from './prism-columns.js';
export {
  type LibraryItem,
  type ReviewFieldValues,
  type ReviewForColumns,
  reviewFieldValues,
  writeReviewFields,
} from './review-fields.js';
export { isReviewedCopyName, reviewedCopyName } from './reviewed-copy-name.js';
export { SinkError, type SinkErrorCode } from './sink-error.js';
export {
  DEFAULT_UPLOAD_FRAGMENT,
  DOCX_CONTENT_TYPE,
  type ReviewedCopyFolder,
  type ReviewedCopyUpload,
  SIMPLE_UPLOAD_MAX_BYTES,
  type UploadedCopy,
  uploadReviewedCopy,
} from './upload-reviewed-copy.js';
export { MAX_UPLOAD_FRAGMENT, UPLOAD_FRAGMENT_UNIT } from './upload-session.js';
