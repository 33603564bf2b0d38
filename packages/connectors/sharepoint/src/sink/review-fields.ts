import { type Client, GraphError } from '@microsoft/microsoft-graph-client';
import type { Review } from '@prism/sdk';
import { graphFailure } from '../graph/graph-errors.js';
import { PRISM_COLUMNS, TEXT_COLUMN_MAX_LENGTH } from './prism-columns.js';
import { SinkError } from './sink-error.js';

/** A document in a library, by drive and item id. */
export interface LibraryItem {
  /** The drive id of the document library. */
  driveId: string;
  /** The drive item id of the document. */
  itemId: string;
}

/** The parts of a review the Prism columns show, and where to read the whole review. */
export type ReviewForColumns = Pick<Review, 'status' | 'summary' | 'error'> & {
  /** The link to the review in Prism, at most 255 characters. */
  url: string;
};

/** The values of the Prism columns, keyed by internal column name; null clears a column. */
export type ReviewFieldValues = Record<string, string | number | null>;

/**
 * The column values that show `review`. Every Prism column gets a value, so a row always shows
 * one review: a review without a summary (queued, running, failed) clears score, risk and counts
 * left by an earlier one, and `Prism error` holds the reason only when the review failed.
 */
export function reviewFieldValues(review: ReviewForColumns): ReviewFieldValues {
  if (review.url.length > TEXT_COLUMN_MAX_LENGTH) {
    throw new SinkError(
      'invalid_argument',
      `The review link is ${review.url.length} characters long; the Prism review column holds ${TEXT_COLUMN_MAX_LENGTH}.`,
      { hint: 'Configure a shorter public URL for the Prism server.' },
    );
  }
  const summary = review.summary;
  return {
    [PRISM_COLUMNS.status.name]: review.status,
    [PRISM_COLUMNS.score.name]: summary?.score ?? null,
    [PRISM_COLUMNS.risk.name]: summary?.riskLevel ?? null,
    [PRISM_COLUMNS.critical.name]: summary?.counts.critical ?? null,
    [PRISM_COLUMNS.major.name]: summary?.counts.major ?? null,
    [PRISM_COLUMNS.minor.name]: summary?.counts.minor ?? null,
    [PRISM_COLUMNS.info.name]: summary?.counts.info ?? null,
    [PRISM_COLUMNS.review.name]: review.url,
    [PRISM_COLUMNS.error.name]: review.error === null ? null : clip(review.error.message),
  };
}

/**
 * Writes `review` into the Prism columns of the document `item`
 * (`PATCH /drives/{drive}/items/{item}/listItem/fields`). Writing the same review again is
 * harmless. A locked or checked-out document fails with `item_locked`: try again later.
 *
 * @returns the values written.
 */
export async function writeReviewFields(
  client: Client,
  item: LibraryItem,
  review: ReviewForColumns,
): Promise<ReviewFieldValues> {
  const values = reviewFieldValues(review);
  const path = `/drives/${encodeURIComponent(item.driveId)}/items/${encodeURIComponent(item.itemId)}/listItem/fields`;
  try {
    await client.api(path).patch(values);
  } catch (error) {
    if (isUnknownField(error)) {
      throw new SinkError('columns_missing', `The library lacks a Prism column: ${error.message}`, {
        hint: 'Run the column set-up for this library (ensureColumns) before writing reviews into it.',
        cause: error,
      });
    }
    throw graphFailure(error, `Writing the review into item ${item.itemId}`);
  }
  return values;
}

/** Graph's answer to fields a list does not have: 400 "Field 'X' is not recognized". */
function isUnknownField(error: unknown): error is GraphError {
  return (
    error instanceof GraphError &&
    error.statusCode === 400 &&
    /Field '[^']*' is not recognized/.test(error.message)
  );
}

/** `text` cut to what a single line of text column holds. */
function clip(text: string): string {
  return text.length <= TEXT_COLUMN_MAX_LENGTH
    ? text
    : `${text.slice(0, TEXT_COLUMN_MAX_LENGTH - 1)}…`;
}
