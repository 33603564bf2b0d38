import type { DocumentFormat } from '../types.js';

/** The media type of each format Prism reads. */
export const MEDIA_TYPES: Readonly<Record<DocumentFormat, string>> = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  markdown: 'text/markdown',
  text: 'text/plain',
  html: 'text/html',
};
