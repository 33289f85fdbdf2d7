import { describe, expect, it } from 'vitest';
import { csvRows, toCsv } from './csv.ts';

describe('toCsv', () => {
  it('should quote fields with commas, quotes and line breaks', () => {
    expect(
      toCsv(
        ['a', 'b'],
        [
          ['x,y', 'say "hi"'],
          ['line\nbreak', null],
        ],
      ),
    ).toBe('a,b\r\n"x,y","say ""hi"""\r\n"line\nbreak",\r\n');
  });

  it('should defuse a text field that a spreadsheet would run as a formula, but keep negative amounts', () => {
    expect(toCsv(['text', 'amount'], [['=HYPERLINK("x")', '-12.50']])).toBe(
      'text,amount\r\n"\'=HYPERLINK(""x"")",-12.50\r\n',
    );
  });
});

describe('csvRows', () => {
  it('should write rows as toCsv does, without a header, so a file can be written a part at a time', () => {
    const rows = [
      ['x,y', '1.50'],
      ['=1+1', null],
    ];
    expect(csvRows([['a', 'b']]) + csvRows(rows.slice(0, 1)) + csvRows(rows.slice(1))).toBe(
      toCsv(['a', 'b'], rows),
    );
    expect(csvRows([])).toBe('');
  });
});
