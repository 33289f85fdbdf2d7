import { Decimal } from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  advanceInvoice,
  buyoutInvoice,
  installmentInvoices,
  invoiceNumber,
  openAmount,
  paymentStatus,
  restructuringCorrections,
  terminationInvoice,
} from './invoice.ts';

const schedule = {
  version: 1,
  effectiveFrom: '2026-01-31',
  installments: [
    { n: 1, dueDate: '2026-02-28', principal: '2000.00', interest: '760.00', vat: '552.00' },
    { n: 2, dueDate: '2026-03-31', principal: '2015.83', interest: '744.17', vat: '552.00' },
    { n: 3, dueDate: '2026-04-30', principal: '2031.79', interest: '728.21', vat: '552.00' },
  ],
};
const contract = {
  currency: 'EUR',
  advance: '24000.00',
  residualValue: '10000.00',
  vatRate: '20',
  startDate: '2026-01-31',
};
const paid = {
  penalties: '0',
  paidPenalty: '0',
  paidInterest: '0',
  paidPrincipal: '0',
  paidFees: '0',
  paidVat: '0',
};

describe('planning invoices', () => {
  it('should plan one invoice per installment with principal, interest and VAT lines when a schedule binds', () => {
    const planned = installmentInvoices(schedule, 'EUR', 0);
    expect(planned).toHaveLength(3);
    expect(planned[0]).toMatchObject({
      kind: 'installment',
      installment: 1,
      issueDate: '2026-02-28',
      dueDate: '2026-02-28',
      principal: '2000.00',
      interest: '760.00',
      fees: '0.00',
      vat: '552.00',
      total: '3312.00',
    });
    expect(planned[0]!.lines.map((line) => [line.kind, line.amount])).toEqual([
      ['principal', '2000.00'],
      ['interest', '760.00'],
      ['vat', '552.00'],
    ]);
  });

  it('should issue an invoice lead days before it is due and plan only lines due from a date when asked', () => {
    const planned = installmentInvoices(schedule, 'EUR', 5, '2026-03-15');
    expect(planned.map((invoice) => [invoice.installment, invoice.issueDate])).toEqual([
      [2, '2026-03-26'],
      [3, '2026-04-25'],
    ]);
  });

  it('should plan the advance as a fee without VAT due on the start date, and none without an advance', () => {
    expect(advanceInvoice(contract, 1, 0)).toMatchObject({
      kind: 'advance',
      installment: null,
      dueDate: '2026-01-31',
      fees: '24000.00',
      vat: '0.00',
      total: '24000.00',
      lines: [{ kind: 'fee', description: 'Advance payment', amount: '24000.00' }],
    });
    expect(advanceInvoice({ ...contract, advance: '0.00' }, 1, 0)).toBeNull();
  });

  it('should bill the settlement of a termination without its overdue part', () => {
    const money = (amount: string) => ({ amount, currency: 'EUR' });
    const invoice = terminationInvoice(
      {
        terminationDate: '2026-06-15',
        remainingPrincipal: money('20000.00'),
        accruedInterest: money('98.36'),
        fee: money('600.00'),
        feeVat: money('120.00'),
      },
      'EUR',
      1,
      0,
    );
    expect(invoice).toMatchObject({
      kind: 'termination',
      dueDate: '2026-06-15',
      principal: '20000.00',
      interest: '98.36',
      fees: '600.00',
      vat: '120.00',
      total: '20818.36',
    });
  });

  it('should bill the residual value as principal with VAT at the contract’s rate on a buyout', () => {
    expect(
      buyoutInvoice({ ...contract, residualValue: '10000.05', vatRate: '19' }, '2029-01-31', 1, 0),
    ).toMatchObject({
      kind: 'buyout',
      principal: '10000.05',
      vat: '1900.01',
      total: '11900.06',
      dueDate: '2029-01-31',
    });
  });

  it('should number invoices per legal entity and year with six digits', () => {
    expect(invoiceNumber('LESSOR', 2026, 17)).toBe('INV-LESSOR-2026-000017');
  });
});

describe('invoice status', () => {
  const invoice = { principal: '100', interest: '10', fees: '0', vat: '22' };

  it('should be issued while nothing is paid, partially paid on part and paid on all, penalties counting', () => {
    expect(paymentStatus({ ...invoice, ...paid })).toBe('issued');
    expect(paymentStatus({ ...invoice, ...paid, paidInterest: '10' })).toBe('partially-paid');
    expect(
      paymentStatus({ ...invoice, ...paid, paidInterest: '10', paidPrincipal: '100', paidVat: '22' }),
    ).toBe('paid');
    const withPenalty = {
      ...invoice,
      ...paid,
      penalties: '0.50',
      paidInterest: '10',
      paidPrincipal: '100',
      paidVat: '22',
    };
    expect(paymentStatus(withPenalty)).toBe('partially-paid');
    expect(openAmount(withPenalty).toFixed(2)).toBe('0.50');
  });
});

describe('restructuring dated in the past', () => {
  // Version 2 from 2026-03-15: installment 2 cheaper, 3 unchanged, 4 gone (a shorter term).
  const version2 = installmentInvoices(
    {
      version: 2,
      effectiveFrom: '2026-03-15',
      installments: [
        schedule.installments[0]!,
        { n: 2, dueDate: '2026-03-31', principal: '2015.83', interest: '700.00', vat: '543.17' },
        schedule.installments[2]!,
      ],
    },
    'EUR',
    0,
  );
  const issued = (
    installment: number,
    amounts: Partial<Record<'principal' | 'interest' | 'vat', string>>,
  ) => {
    const line = schedule.installments[Math.min(installment, 3) - 1]!;
    const billed = { principal: line.principal, interest: line.interest, vat: line.vat, ...amounts };
    return {
      id: `invoice-${installment}`,
      installment,
      ...billed,
      fees: '0',
      total: new Decimal(billed.principal).plus(billed.interest).plus(billed.vat).toFixed(2),
      credited: '0',
    };
  };

  it('should credit an installment billed at other amounts and plan its new line, and keep one billed the same', () => {
    const two = issued(2, {});
    const three = issued(3, {});
    const result = restructuringCorrections([two, three], version2);
    expect(result.credit).toEqual([two]);
    expect(result.kept).toEqual([three]);
    expect(result.plan.map((line) => [line.installment, line.total])).toEqual([[2, '3259.00']]);
  });

  it('should credit an installment the new version no longer has, without a replacement', () => {
    const four = issued(4, { principal: '100.00', interest: '1.00', vat: '20.20' });
    const result = restructuringCorrections([four], version2);
    expect(result.credit).toEqual([four]);
    expect(result.plan.map((line) => line.installment)).toEqual([2, 3]);
  });

  it('should compare amounts as decimals: 700 billed is 700.00 planned', () => {
    const two = { ...issued(2, { interest: '700', vat: '543.17' }) };
    expect(restructuringCorrections([two], version2).kept).toEqual([two]);
  });

  it('should leave an invoice credited in full out, and invoice its installment again at the new amount', () => {
    const three = { ...issued(3, {}), credited: issued(3, {}).total };
    const result = restructuringCorrections([three], version2);
    expect(result.credit).toEqual([]);
    expect(result.kept).toEqual([]);
    expect(result.plan.map((line) => line.installment)).toEqual([2, 3]);
  });

  it('should credit what is left of an invoice credited in part', () => {
    const two = { ...issued(2, {}), credited: '100.00' };
    expect(restructuringCorrections([two], version2).credit).toEqual([two]);
  });

  it('should keep an invoice of nothing whose line changed, there being nothing to credit, and not plan its line', () => {
    const nothing = { ...issued(2, { principal: '0', interest: '0', vat: '0' }), total: '0.00' };
    const result = restructuringCorrections([nothing], version2);
    expect(result.unreplaceable).toEqual([nothing]);
    expect(result.credit).toEqual([]);
    expect(result.plan.map((line) => line.installment)).toEqual([3]);
  });
});
