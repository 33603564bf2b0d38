/** A short incident report with gaps a review finds: a timeline without times, actions without owners. */
export const INCIDENT_REPORT = `# Incident Report: Warehouse Scanner Outage

## Summary

On 3 June the handheld scanners at the North warehouse stopped syncing for most of the day.
Orders were delayed. The scanners work again.

## Timeline

| Date | Event |
|---|---|
| 3 June | Scanners stop syncing |
| 3 June | Engineer restarts the sync service |
| 4 June | Orders caught up |

## Root cause

The sync service ran out of disk space because its log rotation was switched off during an
upgrade on 28 May.

## Actions

| Action | Status |
|---|---|
| Turn log rotation back on | Done |
| Alert on disk space | Open |
`;

/** A second report with the same kind of gaps, so the two show a pattern. */
export const SECOND_REPORT = `# Incident Report: Label Printer Failure

## Summary

On 9 June the label printers in the South warehouse printed blank labels for part of a shift.
Some parcels left late. Printing is back to normal.

## Timeline

| Date | Event |
|---|---|
| 9 June | Blank labels reported |
| 9 June | Ribbon stock replaced |

## Root cause

A batch of printer ribbons from a new supplier did not match the printers' heat setting.

## Actions

| Action | Status |
|---|---|
| Return the ribbon batch | Done |
| Add ribbons to incoming inspection | Open |
`;

/** The UTF-8 bytes of a text. */
export function bytesOf(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}
