/**
 * Rows as aligned columns under a header, for terminals: every column as wide as its widest cell, the
 * last one left ragged so a long query does not pad every line.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? cell.length)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
