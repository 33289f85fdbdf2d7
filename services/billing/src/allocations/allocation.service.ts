import type { Kysely } from 'kysely';
import type { BillingEvents } from '../billing.events.ts';
import type { ContractRow } from '../contracts/contract.repository.ts';
import type { BillingDatabase } from '../database.ts';
import { D, laterOf } from '@lessor/domain-values';
import { InvoiceRepository, type InvoiceRow } from '../invoices/invoice.repository.ts';
import { openComponents, paymentStatus } from '../invoices/invoice.ts';
import { PaymentRepository, type PaymentRow } from '../payments/payment.repository.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { allocate, totalOf, type COMPONENTS, type ComponentAmounts } from './allocation.ts';
import { AllocationRepository, type AllocationRow } from './allocation.repository.ts';

/**
 * Puts a contract's unallocated money on its open invoices by the allocation rules, in the caller's
 * transaction, which must hold the contract's lock: after a payment arrives or is matched, after an invoice is
 * issued (the client's credit pays it), and after a credit note (its credit). Publishes `payment.allocated` for
 * each allocation, with the change events of the allocation, the invoice and the payment.
 */
export class AllocationService {
  constructor(
    private readonly events: BillingEvents,
    private readonly settings: SettingsService,
  ) {}

  async settle(
    trx: Kysely<BillingDatabase>,
    contract: ContractRow,
    actor?: string,
  ): Promise<AllocationRow[]> {
    const credit = await new PaymentRepository(trx).creditOf(contract.id);
    if (credit.length === 0) return [];
    const open = await new InvoiceRepository(trx).openOf(contract.id);
    if (open.length === 0) return [];
    const rules = (await this.settings.allocationRules(trx)).value;
    const planned = allocate(
      credit.map((payment) => ({ paymentId: payment.id, available: new D(payment.unallocated) })),
      open.map((invoice) => ({
        id: invoice.id,
        dueDate: invoice.dueDate,
        number: invoice.number ?? '',
        open: openComponents(invoice),
      })),
      rules,
    );
    const byPayment = new Map(credit.map((payment) => [payment.id, payment]));
    const byInvoice = new Map(open.map((invoice) => [invoice.id, invoice]));
    const made: AllocationRow[] = [];
    for (const allocation of planned) {
      const result = await this.#record(
        trx,
        contract,
        byPayment.get(allocation.paymentId)!,
        byInvoice.get(allocation.invoiceId)!,
        allocation.amounts,
        actor,
      );
      byPayment.set(result.payment.id, result.payment);
      byInvoice.set(result.invoice.id, result.invoice);
      made.push(result.allocation);
    }
    return made;
  }

  /**
   * Puts exactly `amounts` of one payment's money on one invoice: a credit note's credit on the invoice it
   * corrects (the parts it credited, as far as they are open). The caller holds the contract's lock and has
   * checked the amounts against the invoice; undefined when they are all zero.
   */
  async allocateExactly(
    trx: Kysely<BillingDatabase>,
    contract: ContractRow,
    payment: PaymentRow,
    invoice: InvoiceRow,
    amounts: ComponentAmounts,
    actor?: string,
  ): Promise<AllocationRow | undefined> {
    if (totalOf(amounts).lte(0)) return undefined;
    return (await this.#record(trx, contract, payment, invoice, amounts, actor)).allocation;
  }

  /** One allocation: its row, the invoice settled, the payment spent, and their events. */
  async #record(
    trx: Kysely<BillingDatabase>,
    contract: ContractRow,
    payment: PaymentRow,
    invoice: InvoiceRow,
    amounts: ComponentAmounts,
    actor?: string,
  ) {
    const invoices = new InvoiceRepository(trx);
    const who = actor ?? 'system';
    const amount = (component: (typeof COMPONENTS)[number]) => amounts[component].toString();
    const allocation = await new AllocationRepository(trx).insert({
      paymentId: payment.id,
      invoiceId: invoice.id,
      contractId: contract.id,
      legalEntity: contract.legalEntity,
      // The first business date both the money and the claim were known to billing.
      valueDate: laterOf(payment.valueDate, payment.matchDate ?? payment.valueDate, invoice.issueDate),
      currency: invoice.currency,
      penalty: amount('penalty'),
      interest: amount('interest'),
      principal: amount('principal'),
      fees: amount('fees'),
      vat: amount('vat'),
      total: totalOf(amounts).toString(),
      createdBy: who,
    });
    let settled = await invoices.settle(invoice.id, amounts, who);
    const status = paymentStatus(settled);
    if (status !== settled.status) settled = await invoices.setStatus(invoice.id, status);
    const spent = await new PaymentRepository(trx).spend(payment.id, allocation.total, who);
    await this.events.paymentAllocated(trx, allocation, contract.partyId, actor);
    await this.events.allocationCreated(trx, allocation, actor);
    await this.events.invoiceChanged(trx, 'updated', invoice, settled, actor);
    await this.events.paymentChanged(trx, 'updated', payment, spent, actor);
    return { allocation, invoice: settled, payment: spent };
  }
}
