import { PrismError } from '@prism/sdk';

/** The opaque cursor of a list page that ends at the row numbered `position` (`c<base36>`). */
export function encodeCursor(position: number): string {
  return `c${position.toString(36)}`;
}

/**
 * The row number a cursor from {@link encodeCursor} stands for.
 *
 * @throws PrismError `invalid_cursor` when the text is not such a cursor.
 */
export function decodeCursor(cursor: string): number {
  const position = /^c[0-9a-z]+$/.test(cursor) ? Number.parseInt(cursor.slice(1), 36) : Number.NaN;
  if (!Number.isSafeInteger(position)) {
    throw new PrismError('invalid_cursor', `"${cursor}" is not a cursor of this list.`, {
      hint: 'Pass the `nextCursor` of the previous page unchanged, or leave `cursor` out to start over.',
    });
  }
  return position;
}
