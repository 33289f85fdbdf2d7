import { describe, expect, it } from 'vitest';
import { D } from '@lessor/domain-values';
import {
  appliedToInvoice,
  creditedParts,
  creditLines,
  creditNoteNumber,
  type CreditableLine,
} from './credit-note.ts';

const invoiceLines: CreditableLine[] = [
  {
    position: 1,
    kind: 'principal',
    description: 'Installment 1 of 3: principal',
    amount: '1000.00',
    credited: '0',
  },
  {
    position: 2,
    kind: 'interest',
    description: 'Installment 1 of 3: interest',
    amount: '50.00',
    credited: '50',
  },
  { position: 3, kind: 'vat', description: 'Installment 1 of 3: VAT', amount: '210.00', credited: '10.5' },
];

const plain = (parts: Record<string, InstanceType<typeof D>>) =>
  Object.fromEntries(Object.entries(parts).map(([key, value]) => [key, value.toFixed(2)]));

describe('creditLines', () => {
  it('should credit all that is left of every line, and skip a line credited in full, when no lines are named', () => {
    expect(creditLines(invoiceLines, undefined, 'EUR')).toEqual({
      lines: [
        { invoiceLine: 1, kind: 'principal', description: 'Installment 1 of 3: principal', amount: '1000' },
        { invoiceLine: 3, kind: 'vat', description: 'Installment 1 of 3: VAT', amount: '199.5' },
      ],
      problems: [],
    });
  });

  it('should credit the amounts named, and all that is left of a line named without one', () => {
    const { lines, problems } = creditLines(
      invoiceLines,
      [{ position: 3 }, { position: 1, amount: '100.25' }],
      'EUR',
    );
    expect(problems).toEqual([]);
    expect(lines.map((line) => [line.invoiceLine, line.amount])).toEqual([
      [3, '199.5'],
      [1, '100.25'],
    ]);
  });

  it('should name every field in trouble and credit nothing when lines do not fit the invoice', () => {
    const { lines, problems } = creditLines(
      invoiceLines,
      [
        { position: 9 },
        { position: 1, amount: '1000.01' },
        { position: 1 },
        { position: 2 },
        { position: 3, amount: '0' },
      ],
      'EUR',
    );
    expect(lines).toEqual([]);
    expect(problems).toEqual([
      {
        field: '/body/lines/0/position',
        message: 'the invoice has no line 9 (its lines are 1, 2, 3)',
        kind: 'invoice',
      },
      {
        field: '/body/lines/1/amount',
        message: 'only 1000.00 of line 1 is left to credit',
        kind: 'invoice',
      },
      {
        field: '/body/lines/2/position',
        message: 'line 1 is named twice; give it once with the whole amount',
        kind: 'invoice',
      },
      { field: '/body/lines/3/position', message: 'line 2 is credited in full already', kind: 'invoice' },
      { field: '/body/lines/4/amount', message: 'must be greater than zero', kind: 'input' },
    ]);
  });

  it('should refuse more decimals than the currency has, never round them', () => {
    expect(creditLines(invoiceLines, [{ position: 1, amount: '1.005' }], 'EUR').problems).toEqual([
      { field: '/body/lines/0/amount', message: 'has more than 2 decimals for EUR', kind: 'input' },
    ]);
    expect(
      creditLines([{ ...invoiceLines[0]!, amount: '150000' }], [{ position: 1, amount: '0.5' }], 'JPY')
        .problems,
    ).toEqual([
      { field: '/body/lines/0/amount', message: 'has more than 0 decimals for JPY', kind: 'input' },
    ]);
  });
});

describe('creditedParts and appliedToInvoice', () => {
  it('should add lines up by part, and settle each part only as far as the invoice still asks for it', () => {
    const parts = creditedParts([
      { invoiceLine: 1, kind: 'principal', description: '', amount: '600' },
      { invoiceLine: 2, kind: 'interest', description: '', amount: '50' },
      { invoiceLine: 3, kind: 'vat', description: '', amount: '130' },
      { invoiceLine: 4, kind: 'fee', description: '', amount: '20' },
    ]);
    expect(plain(parts)).toEqual({
      penalty: '0.00',
      principal: '600.00',
      interest: '50.00',
      fees: '20.00',
      vat: '130.00',
    });
    // The client paid the interest and 550.00 of the principal: 450.00 of principal is open, no interest.
    const applied = appliedToInvoice(parts, {
      penalty: new D('3'),
      interest: new D('0'),
      principal: new D('450'),
      fees: new D('20'),
      vat: new D('210'),
    });
    expect(plain(applied)).toEqual({
      penalty: '0.00',
      principal: '450.00',
      interest: '0.00',
      fees: '20.00',
      vat: '130.00',
    });
  });
});

describe('creditNoteNumber', () => {
  it('should number per legal entity and year with six digits', () => {
    expect(creditNoteNumber('LESSOR', 2026, 17)).toBe('CN-LESSOR-2026-000017');
  });
});
