import type { FrameworkItemRef, Pattern, PatternOccurrence } from '../schema/index.js';
import type { EngineFinding } from './types.js';

/** The findings of one review, as pattern finding needs them. */
export interface ReviewedFindings {
  /** The reviewed document. */
  documentId: string;
  /** The review. */
  reviewId: string;
  /** Its findings, each with its stored id. */
  findings: readonly (Pick<EngineFinding, 'frameworkItems' | 'category' | 'title'> & {
    id: string;
  })[];
}

/** Which recurring findings count as a pattern. */
export interface PatternOptions {
  /** Fewest distinct documents a kind of finding must occur in. Default 2. */
  minDocuments?: number;
}

interface PatternGroup {
  frameworkItem: FrameworkItemRef;
  category: string;
  titles: Map<string, number>;
  findingCount: number;
  occurrences: Map<string, PatternOccurrence>;
}

/**
 * Groups findings that recur across documents by kind: their first (primary) framework item
 * and category. Each pattern counts its findings and distinct documents, lists where it occurred
 * (per document and review, with the finding ids) and takes its title from the most common
 * finding title. Only kinds seen in at least `minDocuments` documents are kept; the most
 * widespread come first (more documents, then more findings, then item number and category).
 */
export function findPatterns(
  reviews: readonly ReviewedFindings[],
  options: PatternOptions = {},
): Pattern[] {
  const minDocuments = options.minDocuments ?? 2;
  const groups = new Map<string, PatternGroup>();
  for (const { documentId, reviewId, findings } of reviews) {
    for (const finding of findings) {
      const item = finding.frameworkItems[0];
      if (item === undefined) continue;
      const key = `${item.number}\u0000${finding.category}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = {
          frameworkItem: { number: item.number, key: item.key },
          category: finding.category,
          titles: new Map(),
          findingCount: 0,
          occurrences: new Map(),
        };
        groups.set(key, group);
      }
      group.findingCount += 1;
      group.titles.set(finding.title, (group.titles.get(finding.title) ?? 0) + 1);
      const occurrenceKey = `${documentId}\u0000${reviewId}`;
      const occurrence = group.occurrences.get(occurrenceKey) ?? {
        documentId,
        reviewId,
        findingIds: [],
      };
      occurrence.findingIds.push(finding.id);
      group.occurrences.set(occurrenceKey, occurrence);
    }
  }
  return [...groups.values()]
    .map(toPattern)
    .filter((pattern) => pattern.documentCount >= minDocuments)
    .sort(
      (a, b) =>
        b.documentCount - a.documentCount ||
        b.findingCount - a.findingCount ||
        a.frameworkItem.number - b.frameworkItem.number ||
        a.category.localeCompare(b.category),
    );
}

function toPattern(group: PatternGroup): Pattern {
  const occurrences = [...group.occurrences.values()];
  return {
    frameworkItem: group.frameworkItem,
    category: group.category,
    title: mostCommon(group.titles),
    findingCount: group.findingCount,
    documentCount: new Set(occurrences.map((occurrence) => occurrence.documentId)).size,
    occurrences,
  };
}

/** The most frequent title; the first seen wins a tie. */
function mostCommon(titles: Map<string, number>): string {
  let best = '';
  let bestCount = 0;
  for (const [title, count] of titles) {
    if (count > bestCount) {
      best = title;
      bestCount = count;
    }
  }
  return best;
}
