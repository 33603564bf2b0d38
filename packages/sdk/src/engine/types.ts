import type {
  Adjustment,
  Anchor,
  Framework,
  FrameworkItemRef,
  Section,
  Severity,
} from '../schema/index.js';

/** The formats Prism reads. */
export type DocumentFormat = 'docx' | 'pdf' | 'markdown' | 'text' | 'html';

/** What kind of content a block holds. */
export type BlockKind = 'heading' | 'paragraph' | 'list-item' | 'table-row' | 'footnote';

/**
 * One block of an extracted document, in reading order. Every format is reduced to these,
 * so sectioning and review never look at the original format.
 */
export interface Block {
  /** What the block is. */
  kind: BlockKind;
  /** Plain text, whitespace collapsed; for a table row, the cells joined by ` | `. */
  text: string;
  /** Heading level 1-9 for headings (from styles, outline levels, `#` or tags); list nesting depth (0 = top) for list items. */
  level?: number;
  /** For list items: numbered (`true`) or bulleted. */
  ordered?: boolean;
  /** For table rows: the cells' texts. */
  cells?: string[];
  /** The source's style or tag name, when it has one (a .docx `w:pStyle`, an HTML tag). */
  style?: string;
  /** Whether the whole block is bold (a hint for heading inference). */
  bold?: boolean;
  /** The font size in points, where the source says it (PDF; a hint for heading inference). */
  fontSize?: number;
  /**
   * Where the block is in the source. For `.docx` `anchor.block` is the ordinal of the block's
   * (first) `w:p` element in `word/document.xml`, in document order, counting every `w:p`
   * (table cells included), so exports can attach comments there; for other formats it is
   * the block's own index.
   */
  anchor: Anchor;
}

/** A document reduced to Prism's structured form. */
export interface ExtractedDocument {
  /** The format it was read as. */
  format: DocumentFormat;
  /** The document's title: its title property or style, first `#` heading, `<title>`... */
  title: string | null;
  /** The body, in reading order (headers, footers and comments are not body text). */
  blocks: Block[];
  /** Number of pages, where the format has pages (PDF); else null. */
  pageCount: number | null;
}

/**
 * Explicit limits on what extraction accepts. Exceeding one throws an {@link ExtractionError}
 * with a stable code, never a crash or a hang.
 */
export interface ExtractionLimits {
  /** Largest input file, in bytes (default 25 MB). */
  maxFileBytes: number;
  /** Largest total uncompressed size of a zip container's entries, in bytes (default 200 MB). */
  maxUncompressedBytes: number;
  /** Largest uncompressed/compressed ratio of any zip entry (default 100). */
  maxCompressionRatio: number;
  /** Most entries in a zip container (default 2,000). */
  maxZipEntries: number;
  /** Most pages of a paged document (default 2,000). */
  maxPages: number;
  /** Most sections after splitting (default 5,000). */
  maxSections: number;
  /** Longest time extraction may take, in milliseconds (default 30,000). */
  timeBudgetMs: number;
}

/** The limits used when the caller sets none. */
export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = {
  maxFileBytes: 25 * 1024 * 1024,
  maxUncompressedBytes: 200 * 1024 * 1024,
  maxCompressionRatio: 100,
  maxZipEntries: 2000,
  maxPages: 2000,
  maxSections: 5000,
  timeBudgetMs: 30_000,
};

/** A document ready for review: its extracted form split into sections. */
export interface ReviewableDocument {
  /** The document's title, when it has one. */
  title: string | null;
  /** The sections in order. */
  sections: Section[];
}

/** What a provider knows while it reviews. */
export interface ReviewContext {
  /** The framework the review checks against. */
  framework: Framework;
  /** The whole document (every section), for context and document-level checks. */
  document: ReviewableDocument;
  /** Aborts the work when signalled. */
  signal?: AbortSignal;
}

/** A finding as a provider reports it, before learning adjustments, ids and storage. */
export interface ProviderFinding {
  /** The section it is about; null for a document-level finding. */
  sectionIndex: number | null;
  /** The framework items it cites (at least one). */
  frameworkItems: FrameworkItemRef[];
  /** How much it matters. */
  severity: Severity;
  /** The kind of finding, kebab-case, e.g. `vague-quantifier`; learning and patterns group by it. */
  category: string;
  /** One line. */
  title: string;
  /** What is wrong and why it matters. */
  description: string;
  /** A concrete change that would resolve it. */
  suggestion: string;
  /** Exact text from the section, when there is evidence to quote. */
  quote: string | null;
  /** 0..1. */
  confidence: number;
  /** Who raised it. */
  origin: 'rule' | 'ai';
}

/**
 * A finding as the engine returns it: a provider's finding after learning from past decisions,
 * with `adjustment` saying how and why learning changed it (null when it did not).
 */
export interface EngineFinding extends ProviderFinding {
  /** The change learning made, or null. */
  adjustment: Adjustment | null;
}

/** Token use of a provider call; zero for `rules`. */
export interface ProviderUsage {
  /** Input tokens. */
  inputTokens: number;
  /** Output tokens. */
  outputTokens: number;
  /** Input tokens read from the service's prompt cache (counted in `inputTokens` too). */
  cacheReadInputTokens?: number;
  /** Input tokens written to the service's prompt cache (counted in `inputTokens` too). */
  cacheWriteInputTokens?: number;
}

/** What a provider answers for a section or for the whole document. */
export interface ProviderReply {
  /** The findings. */
  findings: ProviderFinding[];
  /** Tokens used; absent for `rules`. */
  usage?: ProviderUsage;
  /**
   * Why the answer is not the model's own, when it is not: e.g. the model's answer stayed
   * invalid after a repair round and the `rules` findings stand in. The review is then marked
   * degraded with this reason.
   */
  degraded?: string;
  /** The id of the provider that answered, when it is not the one asked (a router's fallback). */
  answeredBy?: string;
}

/**
 * A review provider: the deterministic `rules` provider, or a model behind the same interface.
 * The orchestrator calls `reviewSection` once per section (concurrently, in any order) and
 * `reviewDocument` once for what can only be judged across the whole document.
 */
export interface ReviewProvider {
  /** `rules`, or `provider:model` (e.g. `bedrock:anthropic.claude-sonnet-4`); part of cache keys. */
  readonly id: string;
  /** The version of the prompts a model provider asks with; part of cache keys. None for `rules`. */
  readonly promptVersion?: string;
  /** Findings about one section. */
  reviewSection(section: Section, context: ReviewContext): Promise<ProviderReply>;
  /** Findings about the document as a whole (e.g. a required item missing everywhere). */
  reviewDocument(context: ReviewContext): Promise<ProviderReply>;
}
