import { csvRows } from '../reports/csv.ts';
import type { PostedEntry } from './entry.repository.ts';

/** The columns of the journal's CSV: one row per line, its entry's fields repeated on each. */
export const JOURNAL_CSV_COLUMNS = [
  'entryId',
  'seq',
  'date',
  'kind',
  'description',
  'sourceEventType',
  'sourceEventId',
  'postingRuleId',
  'reversesEntryId',
  'lineNo',
  'accountCode',
  'accountName',
  'currency',
  'debit',
  'credit',
  'counterpartyId',
  'contractId',
  'createdAt',
  'createdBy',
] as const;

function lineRows({ entry, lines }: PostedEntry): (string | null)[][] {
  return lines.map((line) => [
    entry.id,
    String(entry.seq),
    entry.entryDate,
    entry.kind,
    entry.description,
    entry.sourceEventType,
    entry.sourceEventId,
    entry.postingRuleId,
    entry.reversesEntryId,
    String(line.lineNo),
    line.accountCode,
    line.accountName,
    line.currency,
    // The amount as the ledger stores it (numeric, read as text): never through a number, never reformatted.
    line.side === 'debit' ? line.amount : '',
    line.side === 'credit' ? line.amount : '',
    line.counterpartyId,
    line.contractId,
    entry.createdAt.toISOString(),
    entry.createdBy,
  ]);
}

/**
 * The journal as CSV text, written a page of entries at a time as the pages are read. The header goes out
 * with the first page, so a failure to read that page is still an error answer, not a cut-off file.
 */
export async function* journalCsv(pages: AsyncIterable<PostedEntry[]>): AsyncGenerator<string> {
  let header = true;
  for await (const entries of pages) {
    const rows = csvRows(entries.flatMap(lineRows));
    yield header ? csvRows([JOURNAL_CSV_COLUMNS]) + rows : rows;
    header = false;
  }
  if (header) yield csvRows([JOURNAL_CSV_COLUMNS]);
}
