import type { Finding } from '../../schema/index.js';
import { extractDocx } from '../extract/docx.js';
import { citeItems, type ReviewReport } from '../report.js';
import { type Block, DEFAULT_EXTRACTION_LIMITS } from '../types.js';
import { addDocxComments, type DocxComment } from './docx-comments.js';

/**
 * A reviewed copy of a `.docx`: the original with every finding as a native Word comment by
 * "Prism" — its title, description, suggestion and framework items — anchored on the quoted
 * evidence when the paragraph holding it is found, else on the section's first paragraph
 * (document-level findings on the document's first paragraph).
 *
 * @param original the `.docx` that was reviewed (the same bytes `report` came from)
 * @throws {ExtractionError} when `original` is not a readable `.docx`.
 */
export function toDocxWithComments(original: Uint8Array, report: ReviewReport): Uint8Array {
  const limits = DEFAULT_EXTRACTION_LIMITS;
  const { blocks } = extractDocx(original, limits, performance.now() + limits.timeBudgetMs);
  const comments = report.findings.map((finding) => toComment(finding, report, blocks));
  return addDocxComments(original, comments, limits);
}

function toComment(finding: Finding, report: ReviewReport, blocks: Block[]): DocxComment {
  const section =
    finding.sectionIndex === null ? undefined : report.document.sections[finding.sectionIndex];
  const candidates = new Set(section?.anchors.map((anchor) => anchor.block));
  const holder =
    finding.quote === null
      ? undefined
      : blocks.find(
          (block) =>
            (candidates.size === 0 || candidates.has(block.anchor.block)) &&
            block.text.includes(finding.quote ?? ''),
        );
  const block = holder?.anchor.block ?? section?.anchors[0]?.block ?? blocks[0]?.anchor.block ?? 0;
  return {
    block,
    quote: holder ? finding.quote : null,
    author: 'Prism',
    initials: 'P',
    text: [
      `${finding.severity.toUpperCase()}: ${finding.title}`,
      finding.description,
      `Suggestion: ${finding.suggestion}`,
      citeItems(finding, report.framework),
    ].join('\n'),
  };
}
