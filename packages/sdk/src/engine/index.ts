export { type CachedReview, MemoryResultCache, type ResultCache, reviewCacheKey } from './cache.js';
export {
  type AnswerOptions,
  answerFromSections,
  type ExtractiveAnswer,
  MAX_ANSWER_SENTENCES,
  MAX_QUESTION_CHARS,
  NO_ANSWER,
} from './chat.js';
export {
  ExtractionError,
  type ExtractionErrorCode,
  FrameworkError,
  ReviewCanceledError,
  UnknownFrameworkError,
} from './errors.js';
export { toDocxWithComments } from './export/docx.js';
export { addDocxComments, type DocxComment } from './export/docx-comments.js';
export { toJsonExport } from './export/json.js';
export { toMarkdown } from './export/markdown.js';
export { type SarifEntry, toSarif } from './export/sarif.js';
export {
  extensionSupport,
  type FileTypeSupport,
  mediaTypeSupport,
  SUPPORTED_EXTENSIONS,
} from './extract/detect.js';
export {
  type DocumentInput,
  extractDocument,
  type ReadDocumentOptions,
  type ReadDocumentResult,
  readDocument,
} from './extract/index.js';
export { builtInFrameworks, getBuiltInFramework, loadFramework } from './frameworks/load.js';
export {
  applyPreferences,
  DEFAULT_LEARNING_OPTIONS,
  type LearningOptions,
  type Preference,
  preferencesFromDecisions,
} from './learning.js';
export type { RateLimit } from './limiter.js';
export {
  type ReviewEvents,
  type ReviewOptions,
  type ReviewResult,
  ReviewRun,
  startReview,
} from './orchestrator.js';
export { findPatterns, type PatternOptions, type ReviewedFindings } from './patterns.js';
export * from './providers/bedrock/index.js';
export * from './providers/model/index.js';
export * from './providers/openai-compatible/index.js';
export {
  type ModelSpecOptions,
  type ResolvedModel,
  resolveModel,
} from './providers/resolve-model.js';
export * from './providers/router/index.js';
export { createRulesProvider, type RulesProviderOptions } from './providers/rules/index.js';
export { citeItems, type ReviewReport, sectionLabel } from './report.js';
export { type ReviewBytesInput, type ReviewBytesOptions, reviewBytes } from './review.js';
export { scoreFindings } from './scoring.js';
export { DEFAULT_SECTION_OPTIONS, type SectionOptions, splitSections } from './sections.js';
export * from './types.js';
export * from './usage/index.js';
