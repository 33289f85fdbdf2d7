import { describe, expect, it } from 'vitest';
import { D, ZERO } from '@lessor/domain-values';
import type { InvoiceBalance } from '../invoices/invoice.ts';
import { allocate, componentOrderProblem, DEFAULT_ALLOCATION_RULES, orderInvoices } from './allocation.ts';

const open = (parts: Partial<Record<keyof InvoiceBalance, string>>): InvoiceBalance => ({
  penalty: new D(parts.penalty ?? 0),
  interest: new D(parts.interest ?? 0),
  principal: new D(parts.principal ?? 0),
  fees: new D(parts.fees ?? 0),
  vat: new D(parts.vat ?? 0),
});
const plain = (allocations: ReturnType<typeof allocate>) =>
  allocations.map((a) => ({
    paymentId: a.paymentId,
    invoiceId: a.invoiceId,
    total: a.total.toFixed(2),
    penalty: a.amounts.penalty.toFixed(2),
    interest: a.amounts.interest.toFixed(2),
    principal: a.amounts.principal.toFixed(2),
    fees: a.amounts.fees.toFixed(2),
    vat: a.amounts.vat.toFixed(2),
  }));

describe('allocate', () => {
  it('should settle the oldest invoice first, penalty then interest then principal then fees then VAT, when money is short', () => {
    const result = allocate(
      [{ paymentId: 'p1', available: new D('150.00') }],
      [
        {
          id: 'newer',
          dueDate: '2026-03-01',
          number: 'INV-2',
          open: open({ interest: '10', principal: '90', vat: '20' }),
        },
        {
          id: 'older',
          dueDate: '2026-02-01',
          number: 'INV-1',
          open: open({ penalty: '1.50', interest: '10', principal: '90', vat: '20' }),
        },
      ],
      DEFAULT_ALLOCATION_RULES,
    );
    expect(plain(result)).toEqual([
      {
        paymentId: 'p1',
        invoiceId: 'older',
        total: '121.50',
        penalty: '1.50',
        interest: '10.00',
        principal: '90.00',
        fees: '0.00',
        vat: '20.00',
      },
      {
        paymentId: 'p1',
        invoiceId: 'newer',
        total: '28.50',
        penalty: '0.00',
        interest: '10.00',
        principal: '18.50',
        fees: '0.00',
        vat: '0.00',
      },
    ]);
  });

  it('should take the oldest payment first and give one allocation per payment and invoice when several pay', () => {
    const result = allocate(
      [
        { paymentId: 'old', available: new D('30') },
        { paymentId: 'new', available: new D('100') },
      ],
      [{ id: 'i', dueDate: '2026-02-01', number: 'INV-1', open: open({ interest: '20', principal: '50' }) }],
      DEFAULT_ALLOCATION_RULES,
    );
    expect(plain(result)).toEqual([
      {
        paymentId: 'old',
        invoiceId: 'i',
        total: '30.00',
        penalty: '0.00',
        interest: '20.00',
        principal: '10.00',
        fees: '0.00',
        vat: '0.00',
      },
      {
        paymentId: 'new',
        invoiceId: 'i',
        total: '40.00',
        penalty: '0.00',
        interest: '0.00',
        principal: '40.00',
        fees: '0.00',
        vat: '0.00',
      },
    ]);
  });

  it('should leave what no invoice asks for unallocated when the money is more than owed', () => {
    const result = allocate(
      [{ paymentId: 'p', available: new D('500') }],
      [{ id: 'i', dueDate: '2026-02-01', number: 'INV-1', open: open({ principal: '80', vat: '20' }) }],
      DEFAULT_ALLOCATION_RULES,
    );
    expect(result).toHaveLength(1);
    expect(result[0]!.total.toFixed(2)).toBe('100.00');
  });

  it('should follow another component order and the newest invoice first when the rules say so', () => {
    const result = allocate(
      [{ paymentId: 'p', available: new D('25') }],
      [
        { id: 'a', dueDate: '2026-01-01', number: 'INV-1', open: open({ interest: '10', vat: '10' }) },
        { id: 'b', dueDate: '2026-02-01', number: 'INV-2', open: open({ interest: '10', vat: '10' }) },
      ],
      { invoiceOrder: 'newest-first', componentOrder: ['vat', 'principal', 'interest', 'penalty', 'fees'] },
    );
    expect(plain(result).map((a) => [a.invoiceId, a.vat, a.interest])).toEqual([
      ['b', '10.00', '10.00'],
      ['a', '5.00', '0.00'],
    ]);
  });

  it('should allocate nothing when there is no money', () => {
    expect(
      allocate(
        [],
        [{ id: 'i', dueDate: '2026-02-01', number: 'X', open: open({ principal: '1' }) }],
        DEFAULT_ALLOCATION_RULES,
      ),
    ).toEqual([]);
    expect(ZERO.toString()).toBe('0');
  });
});

describe('orderInvoices', () => {
  it('should break ties of due date by number when two invoices are due the same day', () => {
    const ordered = orderInvoices(
      [
        { dueDate: '2026-02-01', number: 'INV-2' },
        { dueDate: '2026-02-01', number: 'INV-1' },
        { dueDate: '2026-01-01', number: 'INV-9' },
      ],
      'oldest-first',
    );
    expect(ordered.map((i) => i.number)).toEqual(['INV-9', 'INV-1', 'INV-2']);
  });
});

describe('componentOrderProblem', () => {
  it('should accept a permutation of the five parts and refuse a list that misses or repeats one', () => {
    expect(componentOrderProblem(['vat', 'fees', 'principal', 'interest', 'penalty'])).toBeNull();
    expect(componentOrderProblem(['vat', 'vat', 'principal', 'interest', 'penalty'])).toMatch(/exactly once/);
    expect(componentOrderProblem(['vat', 'principal', 'interest', 'penalty'])).toMatch(/exactly once/);
  });
});
