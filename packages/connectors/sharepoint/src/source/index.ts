export { type DownloadFileOptions, downloadFile } from './download-file.js';
export { SharePointFileError, type SharePointFileErrorCode } from './file-error.js';
export { type GetFileOptions, getFile, type SharePointFileRef } from './get-file.js';
export {
  type ReviewSharePointFileOptions,
  reviewSharePointFile,
  type SharePointReviewReport,
} from './review-file.js';
export {
  DEFAULT_MAX_FILE_BYTES,
  isReviewable,
  type NotReviewableReason,
  type Reviewability,
  type ReviewableOptions,
} from './reviewable.js';
export type { SharePointFile, SharePointModifier } from './sharepoint-file.js';
