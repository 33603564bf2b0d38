/**
 * `rows` under `header` as aligned columns, two spaces apart, one line each (no trailing
 * spaces). Cells should hold no line breaks; callers replace them.
 */
export function alignedColumns(header: readonly string[], rows: readonly string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]?.length ?? 0)));
  return all
    .map((row) =>
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .map((line) => `${line}\n`)
    .join('');
}
