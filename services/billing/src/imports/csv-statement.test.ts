import { describe, expect, it } from 'vitest';
import { BankFileError } from './bank-statement.ts';
import { readCsvStatement } from './csv-statement.ts';

describe('readCsvStatement', () => {
  it('should read each payment line with its line number, whatever the column order and case', () => {
    const lines = readCsvStatement(
      '\uFEFFbankReference,VALUEDATE,amount,currency,reference,payerName\r\n' +
        'B-1,2026-03-01,1250.00,EUR,LCX 17,"Muster, GmbH"\r\n' +
        '\r\n' +
        'B-2,2026-03-02,5,eur,,\r\n',
    );
    expect(lines).toEqual([
      {
        entry: 1,
        line: 2,
        outcome: {
          payment: {
            valueDate: '2026-03-01',
            amount: '1250.00',
            currency: 'EUR',
            reference: 'LCX 17',
            bankReference: 'B-1',
            payerName: 'Muster, GmbH',
            payerAccount: null,
          },
        },
      },
      {
        entry: 2,
        line: 4,
        outcome: {
          payment: {
            valueDate: '2026-03-02',
            amount: '5',
            currency: 'EUR',
            reference: '',
            bankReference: 'B-2',
            payerName: null,
            payerAccount: null,
          },
        },
      },
    ]);
  });

  it('should refuse a broken line alone, with its reason, and read the lines after it', () => {
    const lines = readCsvStatement(
      'valueDate;amount;currency;reference;bankReference\n' +
        '2026-03-01;10.00;EUR;A;B-1\n' +
        '2026-03-01;"10.00;EUR;A;B-2\n' +
        '2026-03-01;10,00;EUR;A;B-3\n' +
        '2026-02-30;10.00;EUR;A;B-4\n' +
        '2026-03-01;10.001;EUR;A;B-5\n' +
        '2026-03-01;10.00;XYZ;A;B-6\n' +
        '2026-03-01;10.00;EUR;A\n' +
        '2026-03-01;-10.00;EUR;A;B-8\n' +
        '2026-03-01;10.00;EUR;A;\n' +
        '2026-03-04;7.00;EUR;A;B-10\n',
    );
    expect(lines.map((line) => [line.line, 'refused' in line.outcome ? line.outcome.refused : 'ok'])).toEqual(
      [
        [2, 'ok'],
        [3, expect.stringMatching(/quote/i)],
        [4, 'amount "10,00" is not a decimal like 1250.00'],
        [5, 'value date "2026-02-30" is not a date YYYY-MM-DD'],
        [6, 'amount has more than 2 decimals for EUR'],
        [7, 'currency "XYZ" is not an active ISO 4217 code'],
        [8, 'it has 4 fields where the header has 5'],
        [9, 'amount "-10.00" is not a decimal like 1250.00'],
        [10, 'the bank reference is missing'],
        [11, 'ok'],
      ],
    );
  });

  it('should skip a debit line and refuse an unknown direction', () => {
    const lines = readCsvStatement(
      'valueDate,amount,currency,reference,bankReference,creditDebit\n' +
        '2026-03-01,10.00,EUR,A,B-1,D\n2026-03-01,10.00,EUR,A,B-2,X\n2026-03-01,10.00,EUR,A,B-3,C\n',
    );
    expect(lines.map((line) => Object.keys(line.outcome)[0])).toEqual(['skipped', 'refused', 'payment']);
  });

  it('should refuse the whole file when the header lacks a required column or the file is empty', () => {
    expect(() => readCsvStatement('valueDate,amount,currency,reference\n2026-03-01,1,EUR,A\n')).toThrow(
      /lacks the column\(s\) bankReference/,
    );
    expect(() => readCsvStatement('\n\n')).toThrow(BankFileError);
  });
});
