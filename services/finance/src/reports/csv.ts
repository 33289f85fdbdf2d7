/**
 * CSV (RFC 4180): a header row, then one row per item; fields with a comma, quote or line break are quoted.
 * A text field that starts with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it as a
 * formula (descriptions and names come from people); amounts are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  return csvRows([header, ...rows]);
}

/**
 * Rows of CSV as {@link toCsv} writes them, each ended by CRLF, without a header: the pieces of a CSV written a
 * part at a time (an export streamed page by page). No rows, no text.
 */
export function csvRows(rows: readonly (readonly (string | null)[])[]): string {
  const field = (value: string | null, numeric: boolean) => {
    let text = value ?? '';
    if (!numeric && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const isNumeric = (value: string | null) =>
    value !== null && (/^-?\d+$/.test(value) || /^-?\d+\.\d+$/.test(value));
  return rows.map((row) => `${row.map((value) => field(value, isNumeric(value))).join(',')}\r\n`).join('');
}
