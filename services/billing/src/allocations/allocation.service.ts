import type { Kysely } from 'kysely';
import type { BillingEvents } from '../billing.events.ts';
import type { ContractRow } from '../contracts/contract.repository.ts';
import type { BillingDatabase } from '../database.ts';
import { laterOf } from '../dates.ts';
import { InvoiceRepository } from '../invoices/invoice.repository.ts';
import { openComponents, paymentStatus } from '../invoices/invoice.ts';
import { D } from '../money.ts';
import { PaymentRepository } from '../payments/payment.repository.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import type { COMPONENTS } from './allocation.ts';
import { allocate } from './allocation.ts';
import { AllocationRepository, type AllocationRow } from './allocation.repository.ts';

/**
 * Puts a contract's unallocated money on its open invoices by the allocation rules, in the caller's
 * transaction, which must hold the contract's lock: after a payment arrives or is matched, and after an
 * invoice is issued (the client's credit pays it). Publishes `payment.allocated` for each allocation.
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
    const payments = new PaymentRepository(trx);
    const credit = await payments.creditOf(contract.id);
    if (credit.length === 0) return [];
    const invoices = new InvoiceRepository(trx);
    const open = await invoices.openOf(contract.id);
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
    const allocations = new AllocationRepository(trx);
    const byPayment = new Map(credit.map((payment) => [payment.id, payment]));
    const byInvoice = new Map(open.map((invoice) => [invoice.id, invoice]));
    const made: AllocationRow[] = [];
    const who = actor ?? 'system';
    for (const allocation of planned) {
      const payment = byPayment.get(allocation.paymentId)!;
      const invoice = byInvoice.get(allocation.invoiceId)!;
      const amount = (component: (typeof COMPONENTS)[number]) => allocation.amounts[component].toString();
      const row = await allocations.insert({
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
        total: allocation.total.toString(),
        createdBy: who,
      });
      const settled = await invoices.settle(invoice.id, allocation.amounts, who);
      const status = paymentStatus(settled);
      if (status !== settled.status) await invoices.setStatus(invoice.id, status);
      byInvoice.set(invoice.id, settled);
      await payments.spend(payment.id, allocation.total.toString(), who);
      await this.events.paymentAllocated(trx, row, contract.partyId, actor);
      made.push(row);
    }
    return made;
  }
}
