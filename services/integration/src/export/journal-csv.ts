import { formatAmountUnrounded } from '@lessor/domain-values';
import type { ExportEntry, ExportLine } from './export.ts';

/**
 * The journal as CSV for accounting systems without an API (README: Export — the CSV journal): RFC 4180 (a header
 * row, CRLF after every row, a field quoted when it holds a comma, a quote or a line break, a quote doubled),
 * UTF-8 without a byte-order mark, one row per entry line.
 */
export const JOURNAL_CSV_HEADER = [
  'date',
  'entry_id',
  'line_no',
  'account',
  'debit',
  'credit',
  'currency',
  'description',
] as const;

/**
 * A text field a spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return — OWASP's list) gets a leading `'`: descriptions come from people. Dates, ids and amounts never start so.
 */
function defused(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function quoted(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV row, ended by CRLF. */
export function csvRow(fields: readonly string[]): string {
  return `${fields.map(quoted).join(',')}\r\n`;
}

/**
 * The rows of an entry's lines: the amount in its side's column with a dot and the currency's decimals (EUR 2,
 * JPY 0; more only when finance booked more — nothing is rounded away), the other side's column empty.
 */
export function journalRows(entry: ExportEntry, lines: readonly ExportLine[]): string {
  return lines
    .map((line) => {
      const amount = formatAmountUnrounded(line.amount, line.currency);
      return csvRow([
        entry.entryDate,
        entry.entryId,
        String(line.lineNo),
        defused(line.accountCode),
        line.side === 'debit' ? amount : '',
        line.side === 'credit' ? amount : '',
        line.currency,
        defused(entry.description),
      ]);
    })
    .join('');
}

/**
 * The journal as CSV text, a page of entries at a time as they are read. The header goes out with the first page,
 * so a failure to read that page is still an error answer, not a cut-off file.
 */
export async function* journalCsv(
  pages: AsyncIterable<{ entry: ExportEntry; lines: ExportLine[] }[]>,
): AsyncGenerator<string> {
  let header = csvRow(JOURNAL_CSV_HEADER);
  for await (const page of pages) {
    yield header + page.map(({ entry, lines }) => journalRows(entry, lines)).join('');
    header = '';
  }
  if (header) yield header;
}
