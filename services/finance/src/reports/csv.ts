/**
 * CSV (RFC 4180): a header row, then one row per item; fields with a comma, quote or line break are quoted.
 * A text field that starts with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not run it as a
 * formula (descriptions and names come from people); amounts are written as they are.
 */
export function toCsv(header: readonly string[], rows: readonly (readonly (string | null)[])[]): string {
  const field = (value: string | null, numeric: boolean) => {
    let text = value ?? '';
    if (!numeric && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
  };
  const isNumeric = (value: string | null) =>
    value !== null && (/^-?\d+$/.test(value) || /^-?\d+\.\d+$/.test(value));
  return [header, ...rows]
    .map((row) => row.map((value) => field(value, isNumeric(value))).join(','))
    .join('\r\n')
    .concat('\r\n');
}
