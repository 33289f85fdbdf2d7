// How money is spread over open invoices, by rules kept as data. Pure: the service locks the contract's
// open invoices and unallocated payments, asks here, and writes the allocations this answers.
import { D, sum, ZERO, type Decimal } from '@lessor/domain-values';
import type { InvoiceBalance } from '../invoices/invoice.ts';

export const COMPONENTS = ['penalty', 'interest', 'principal', 'fees', 'vat'] as const;
export type Component = (typeof COMPONENTS)[number];

export const INVOICE_ORDERS = ['oldest-first', 'newest-first'] as const;
export type InvoiceOrder = (typeof INVOICE_ORDERS)[number];

/** Which invoice is settled first (by due date, then number) and, within one, which part. */
export interface AllocationRules {
  invoiceOrder: InvoiceOrder;
  componentOrder: Component[];
}

/**
 * The default: the oldest invoice first; within it penalties, then interest, then principal, then fees,
 * then VAT — what costs the client most keeps running the shortest, and VAT owed to the state comes last.
 */
export const DEFAULT_ALLOCATION_RULES: AllocationRules = {
  invoiceOrder: 'oldest-first',
  componentOrder: ['penalty', 'interest', 'principal', 'fees', 'vat'],
};

/** Why a component order cannot be used, or null: it must name each of the five parts exactly once. */
export function componentOrderProblem(order: readonly string[]): string | null {
  const missing = COMPONENTS.filter((component) => !order.includes(component));
  if (order.length !== COMPONENTS.length || missing.length > 0 || new Set(order).size !== order.length)
    return `must name each of ${COMPONENTS.join(', ')} exactly once`;
  return null;
}

export interface OpenInvoice {
  id: string;
  dueDate: string;
  /** Issue order breaks ties between invoices due the same day. */
  number: string;
  open: InvoiceBalance;
}

export interface AvailableMoney {
  paymentId: string;
  available: Decimal;
}

export type ComponentAmounts = Record<Component, Decimal>;

/** One payment's money put on one invoice. */
export interface Allocation {
  paymentId: string;
  invoiceId: string;
  amounts: ComponentAmounts;
  total: Decimal;
}

const none = (): ComponentAmounts => ({
  penalty: ZERO,
  interest: ZERO,
  principal: ZERO,
  fees: ZERO,
  vat: ZERO,
});

/** Invoices in the order the rules settle them. */
export function orderInvoices<T extends { dueDate: string; number: string }>(
  invoices: readonly T[],
  order: InvoiceOrder,
): T[] {
  const sorted = [...invoices].sort((a, b) =>
    a.dueDate === b.dueDate ? a.number.localeCompare(b.number) : a.dueDate.localeCompare(b.dueDate),
  );
  return order === 'oldest-first' ? sorted : sorted.reverse();
}

/**
 * Spreads the money over the invoices: invoice by invoice in the rules' order, part by part in the rules'
 * order, taking the money in the order given (the oldest payment first). Amounts are exact decimals: nothing
 * is rounded, every allocated cent comes from a payment and settles a cent owed. One allocation per payment
 * and invoice that money moved between.
 */
export function allocate(
  money: readonly AvailableMoney[],
  invoices: readonly OpenInvoice[],
  rules: AllocationRules,
): Allocation[] {
  const left = money.map((item) => ({ paymentId: item.paymentId, available: new D(item.available) }));
  const result = new Map<string, Allocation>();
  let source = 0;
  for (const invoice of orderInvoices(invoices, rules.invoiceOrder)) {
    for (const component of rules.componentOrder) {
      let owed = new D(invoice.open[component]);
      while (owed.gt(0) && source < left.length) {
        const payment = left[source]!;
        const taken = D.min(owed, payment.available);
        if (taken.gt(0)) {
          const key = `${payment.paymentId}/${invoice.id}`;
          const allocation = result.get(key) ?? {
            paymentId: payment.paymentId,
            invoiceId: invoice.id,
            amounts: none(),
            total: ZERO,
          };
          allocation.amounts[component] = allocation.amounts[component].plus(taken);
          allocation.total = allocation.total.plus(taken);
          result.set(key, allocation);
          owed = owed.minus(taken);
          payment.available = payment.available.minus(taken);
        }
        if (payment.available.lte(0)) source += 1;
      }
    }
  }
  return [...result.values()];
}

/** The total of a set of component amounts. */
export function totalOf(amounts: ComponentAmounts): Decimal {
  return sum(COMPONENTS.map((component) => amounts[component]));
}
