import { parse } from 'csv-parse/sync';
import { BankFileError, checked, type ReceivedPayment, type StatementLine } from './bank-statement.ts';

/** The columns of billing's CSV statement (case-insensitive, any order; other columns are ignored). */
export const CSV_COLUMNS = {
  required: ['valueDate', 'amount', 'currency', 'reference', 'bankReference'],
  optional: ['payerName', 'payerAccount', 'creditDebit'],
} as const;

type Column = (typeof CSV_COLUMNS.required)[number] | (typeof CSV_COLUMNS.optional)[number];

/**
 * Reads a CSV statement: a header row, then one payment per line, comma- or semicolon-separated (as the
 * header is), UTF-8 with or without BOM. Each line is parsed on its own, so a broken line (an unclosed quote,
 * a wrong number of fields) is refused alone and cannot swallow the lines after it; a quoted field therefore
 * cannot span lines. Blank lines are passed over. Throws BankFileError when there is no usable header.
 */
export function readCsvStatement(text: string): StatementLine[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) throw new BankFileError('The file is empty: a CSV statement needs a header row');
  const headerText = lines[headerIndex]!;
  const delimiter = headerText.includes(';') && !headerText.includes(',') ? ';' : ',';
  const header = parseLine(headerText, delimiter);
  if (typeof header === 'string') throw new BankFileError(`The header row cannot be read: ${header}`, 1);
  const known = [...CSV_COLUMNS.required, ...CSV_COLUMNS.optional] as readonly Column[];
  const position = new Map<Column, number>();
  header.forEach((name, index) => {
    const column = known.find((candidate) => candidate.toLowerCase() === name.trim().toLowerCase());
    if (column && !position.has(column)) position.set(column, index);
  });
  const missing = CSV_COLUMNS.required.filter((column) => !position.has(column));
  if (missing.length > 0)
    throw new BankFileError(
      `The header row lacks the column(s) ${missing.join(', ')} (it needs ${CSV_COLUMNS.required.join(', ')})`,
      headerIndex + 1,
    );

  const result: StatementLine[] = [];
  for (let index = headerIndex + 1; index < lines.length; index += 1) {
    const text = lines[index]!;
    if (text.trim() === '') continue;
    const entry = result.length + 1;
    const line = index + 1;
    const fields = parseLine(text, delimiter);
    if (typeof fields === 'string') {
      result.push({ entry, line, outcome: { refused: fields } });
      continue;
    }
    if (fields.length !== header.length) {
      result.push({
        entry,
        line,
        outcome: { refused: `it has ${fields.length} fields where the header has ${header.length}` },
      });
      continue;
    }
    const field = (column: Column) => {
      const at = position.get(column);
      return at === undefined ? '' : fields[at]!.trim();
    };
    const direction = field('creditDebit').toUpperCase();
    if (direction === 'D' || direction === 'DBIT') {
      result.push({ entry, line, outcome: { skipped: 'a debit (money out), not a payment received' } });
      continue;
    }
    if (direction !== '' && direction !== 'C' && direction !== 'CRDT') {
      result.push({
        entry,
        line,
        outcome: { refused: `creditDebit ${JSON.stringify(field('creditDebit'))} is not C or D` },
      });
      continue;
    }
    const payment: ReceivedPayment = {
      valueDate: field('valueDate'),
      amount: field('amount'),
      currency: field('currency').toUpperCase(),
      reference: field('reference'),
      bankReference: field('bankReference'),
      payerName: field('payerName') || null,
      payerAccount: field('payerAccount').replace(/\s/g, '') || null,
    };
    result.push({ entry, line, outcome: checked(payment) });
  }
  return result;
}

/** The fields of one line, or what is wrong with it (csv-parse's words, without its line count). */
function parseLine(text: string, delimiter: string): string[] | string {
  try {
    const records = parse(text, { delimiter, relax_column_count: true, bom: false }) as string[][];
    return records[0] ?? [];
  } catch (error) {
    return (error as Error).message.replace(/ at line \d+/g, '').replace(/:\s*$/, '');
  }
}
