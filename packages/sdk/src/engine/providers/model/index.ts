export {
  MemoryModelAnswerCache,
  type ModelAnswerCache,
  modelAnswerKey,
} from './answer-cache.js';
export {
  FINDINGS_TOOL_NAME,
  type FindingsAnswer,
  type FindingsAnswerSchema,
  type FindingsTool,
  findingsAnswerSchema,
  findingsTool,
  MAX_CATEGORY_CHARS,
  MAX_DESCRIPTION_CHARS,
  MAX_FINDINGS_PER_ANSWER,
  MAX_ITEMS_PER_FINDING,
  MAX_QUOTE_CHARS,
  MAX_SUGGESTION_CHARS,
  MAX_TITLE_CHARS,
  type ModelFinding,
} from './findings-tool.js';
export { mergeWithRules } from './merge.js';
export type {
  ModelClient,
  ModelMessage,
  ModelTool,
  ModelToolCall,
  ModelToolResult,
  SystemPart,
  TextEvent,
  TextRequest,
  ToolAnswer,
  ToolRequest,
} from './model-client.js';
export { ModelError, type ModelErrorCode, type ModelErrorOptions } from './model-error.js';
export {
  DEFAULT_MODEL_PROVIDER_OPTIONS,
  type ModelProviderOptions,
} from './options.js';
export {
  DOCUMENT_EXCERPT_MAX_CHARS,
  DOCUMENT_EXCERPT_MIN_CHARS,
  DOCUMENT_MIN_TEXT_BUDGET_CHARS,
  DOCUMENT_TEXT_BUDGET_CHARS,
  documentPrompt,
  type ModelPrompt,
  OUTLINE_HEADING_CHARS,
  OUTLINE_MAX_ENTRIES,
  PROMPT_VERSION,
  type PromptContext,
  sectionPrompt,
} from './prompts.js';
export { createModelProvider } from './provider.js';
export { QUOTE_MISS_CONFIDENCE_FACTOR } from './quotes.js';
export type { Sleep } from './retry.js';
export { MIN_SPLIT_CHARS, type TextRange } from './split.js';
