import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import {
  ODataConflictError,
  ODataRefusedError,
  ODataUnavailableError,
  ODataAuthError,
} from '../odata/index.ts';
import { backoffMs, entryIdFilter, journalEntryBody, outcomeOf } from './export.ts';
import { journalRows, JOURNAL_CSV_HEADER, csvRow } from './journal-csv.ts';

const entry = {
  entryId: '0190a8f0-0000-7000-8000-000000000001',
  legalEntity: 'LESSOR',
  entryDate: '2026-05-31',
  kind: 'manual',
  description: '=HYPERLINK("http://evil"), "quoted"\r\nnext line',
  sourceEventType: null,
  reversesEntryId: null,
};
const line = (lineNo: number, side: 'debit' | 'credit', amount: string, currency = 'EUR') => ({
  entryId: entry.entryId,
  lineNo,
  accountCode: '1100',
  accountName: 'Receivables',
  side,
  amount,
  currency,
  counterpartyId: null,
  contractId: null,
});

describe('the CSV journal', () => {
  it('should quote, defuse formulas and write amounts with the currency decimals when read back', () => {
    const text =
      csvRow(JOURNAL_CSV_HEADER) +
      journalRows(entry, [
        line(1, 'debit', '1250.5'),
        line(2, 'credit', '1250.500000'),
        line(3, 'debit', '7', 'JPY'),
      ]);
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows.map((row) => [row.line_no, row.debit, row.credit, row.currency])).toEqual([
      ['1', '1250.50', '', 'EUR'],
      ['2', '', '1250.50', 'EUR'],
      ['3', '7', '', 'JPY'],
    ]);
    expect(rows[0]!.description).toBe(`'${entry.description}`);
    expect(text.endsWith('\r\n')).toBe(true);
  });

  it('should keep decimals finance booked beyond the currency when an amount has them', () => {
    const rows = parse(journalRows(entry, [line(1, 'debit', '0.123456')])) as string[][];
    expect(rows[0]![4]).toBe('0.123456');
  });
});

describe('an answer of the accounting system', () => {
  const init = { message: 'x', status: 400, operation: 'create' };
  it('should count a 409 or an "already exists" refusal as the entry there already', () => {
    expect(outcomeOf(new ODataConflictError({ ...init, status: 409 }))).toBe('duplicate');
    expect(
      outcomeOf(new ODataRefusedError({ ...init, serverMessage: 'Entity "JournalEntries" already exists' })),
    ).toBe('duplicate');
  });
  it('should refuse on another 4xx, wait when down, and not blame the entry for the connector', () => {
    expect(outcomeOf(new ODataRefusedError({ ...init, serverMessage: 'Account 9999 unknown' }))).toBe(
      'refused',
    );
    expect(outcomeOf(new ODataUnavailableError({ ...init, status: null }))).toBe('uncertain');
    expect(outcomeOf(new ODataAuthError({ ...init, status: 401 }))).toBe('blocked');
    expect(outcomeOf(new Error('socket hang up'))).toBe('uncertain');
  });
});

describe('the entry as the accounting system takes it', () => {
  it('should carry its lines inline with amounts as strings, dated as the version wants', () => {
    const target = { entitySet: 'JournalEntries', linesProperty: 'Lines' };
    const v4 = journalEntryBody(entry, [line(1, 'debit', '10.5')], target, 'v4');
    expect(v4).toMatchObject({ EntryID: entry.entryId, PostingDate: '2026-05-31' });
    expect(v4.Lines).toEqual([
      {
        EntryID: entry.entryId,
        LineNo: 1,
        AccountCode: '1100',
        Side: 'debit',
        Amount: '10.50',
        Currency: 'EUR',
      },
    ]);
    expect(journalEntryBody(entry, [], target, 'v2').PostingDate).toBe('2026-05-31T00:00:00');
    expect(entryIdFilter(entry.entryId, 'v2')).toBe(`EntryID eq guid'${entry.entryId}'`);
    expect(() => entryIdFilter("x' or 1 eq 1", 'v4')).toThrow();
  });

  it('should back off doubling up to the maximum, jittered in its upper half', () => {
    expect(backoffMs(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(backoffMs(30, 1000, 60_000, () => 1)).toBe(60_000);
  });
});
