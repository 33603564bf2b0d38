import { ReviewStatusSchema, RiskLevelSchema } from '@prism/sdk';

/** What a Prism column holds, in SharePoint's terms. */
export type PrismColumnType =
  | { kind: 'choice'; choices: readonly string[] }
  | { kind: 'number'; minimum: number; maximum?: number }
  | { kind: 'text'; maxLength: number };

/** One library column Prism writes a review into. */
export interface PrismColumn {
  /** The internal name (no spaces): the key of the value in a list item's fields. */
  name: string;
  /** The name people see in the library. */
  displayName: string;
  /** The description shown in the column's settings. */
  description: string;
  /** What the column holds. */
  type: PrismColumnType;
}

/** The longest value a single line of text column holds. */
export const TEXT_COLUMN_MAX_LENGTH = 255;

/**
 * The columns Prism adds to a document library, keyed by what they hold. Finding counts are
 * one number column per severity rather than one text column, so a library view can sort and
 * filter on them ("every document with a critical finding"). The review link is a text column
 * holding the URL: Graph neither reports the hyperlink type of a list column nor documents
 * writing a hyperlink value through `listItem/fields`, so a text value is the one that works.
 */
export const PRISM_COLUMNS = {
  status: {
    name: 'PrismStatus',
    displayName: 'Prism status',
    description:
      'Where the Prism review of this document is: queued, running, succeeded, failed or canceled.',
    type: { kind: 'choice', choices: ReviewStatusSchema.options },
  },
  score: {
    name: 'PrismScore',
    displayName: 'Prism score',
    description: 'The score of the latest Prism review, 0 to 100.',
    type: { kind: 'number', minimum: 0, maximum: 100 },
  },
  risk: {
    name: 'PrismRisk',
    displayName: 'Prism risk',
    description: 'The risk level of the latest Prism review.',
    type: { kind: 'choice', choices: RiskLevelSchema.options },
  },
  critical: {
    name: 'PrismCritical',
    displayName: 'Prism critical',
    description: 'Critical findings of the latest Prism review.',
    type: { kind: 'number', minimum: 0 },
  },
  major: {
    name: 'PrismMajor',
    displayName: 'Prism major',
    description: 'Major findings of the latest Prism review.',
    type: { kind: 'number', minimum: 0 },
  },
  minor: {
    name: 'PrismMinor',
    displayName: 'Prism minor',
    description: 'Minor findings of the latest Prism review.',
    type: { kind: 'number', minimum: 0 },
  },
  info: {
    name: 'PrismInfo',
    displayName: 'Prism info',
    description: 'Informational findings of the latest Prism review.',
    type: { kind: 'number', minimum: 0 },
  },
  review: {
    name: 'PrismReview',
    displayName: 'Prism review',
    description: 'The link to the latest Prism review of this document.',
    type: { kind: 'text', maxLength: TEXT_COLUMN_MAX_LENGTH },
  },
  error: {
    name: 'PrismError',
    displayName: 'Prism error',
    description: 'Why the latest Prism review failed, when it did.',
    type: { kind: 'text', maxLength: TEXT_COLUMN_MAX_LENGTH },
  },
} as const satisfies Record<string, PrismColumn>;

/** What a Prism column holds: `status`, `score`, `risk`, a severity, `review` or `error`. */
export type PrismColumnKey = keyof typeof PRISM_COLUMNS;
