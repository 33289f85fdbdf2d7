import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { leasingEvents } from '@lessor/event-catalog';
import type { ConsumedEvent } from '@lessor/service-kit';
import type { AllocationService } from '../allocations/allocation.service.ts';
import type { BillingEvents } from '../billing.events.ts';
import type { CreditNoteService } from '../credit-notes/credit-note.service.ts';
import type { BillingDatabase } from '../database.ts';
import { InvoiceRepository } from '../invoices/invoice.repository.ts';
import {
  advanceInvoice,
  buyoutInvoice,
  installmentInvoices,
  restructuringCorrections,
  terminationInvoice,
  type InvoiceKind,
  type PlannedInvoice,
} from '../invoices/invoice.ts';
import { ContractRepository, type ContractRow } from './contract.repository.ts';

type Activated = ConsumedEvent<typeof leasingEvents.contractActivated>;
type Restructured = ConsumedEvent<typeof leasingEvents.contractRestructured>;
type Terminated = ConsumedEvent<typeof leasingEvents.contractTerminated>;
type Closed = ConsumedEvent<typeof leasingEvents.contractClosed>;
type Snapshot = Activated['data']['contract'];

/** A contract event that arrived before the activation billing needs: retried, then parked. */
export class ContractNotKnownYet extends Error {
  constructor(contractId: string, type: string) {
    super(`${type} for contract ${contractId}, which billing has not seen activated`);
    this.name = 'ContractNotKnownYet';
  }
}

/**
 * Plans invoices from leasing's contract events, in the consumer's transaction with the inbox row (so each
 * event has its effect once). The same fact published again under a new id finds its work done and does
 * nothing. Planned invoices are not posted (no business event until one is issued); their change events
 * (created, and updated when cancelled) carry the actor of leasing's event: who activated, restructured,
 * terminated or closed the contract. So do the credit notes by which a restructuring dated in the past corrects
 * installments issued at the old amounts (those are posted: `credit-note.issued`, as from the API).
 */
export class ContractEventsService {
  constructor(
    private readonly events: BillingEvents,
    private readonly creditNotes: CreditNoteService,
    private readonly allocations: AllocationService,
    private readonly options: { leadDays: number },
  ) {}

  /** The advance (when there is one) and one invoice per installment, all planned. */
  async activated(trx: Kysely<BillingDatabase>, { data, actor = 'system' }: Activated, log: Logger) {
    const contracts = new ContractRepository(trx);
    if (await contracts.lock(data.contractId)) {
      log.info({ contractId: data.contractId }, 'the contract’s invoices are planned already; nothing to do');
      return;
    }
    const contract = await contracts.save(snapshotRow(data.contract, data.schedule.version));
    const planned = [
      advanceInvoice(data.contract, data.schedule.version, this.options.leadDays),
      ...installmentInvoices(data.schedule, data.contract.currency, this.options.leadDays),
    ].filter((invoice): invoice is PlannedInvoice => invoice !== null);
    await this.#plan(trx, contract, planned, actor, log);
  }

  /**
   * A new schedule version from a date: planned installment invoices due from then on are cancelled and the
   * new version's planned. An installment issued already (it was posted) that billed other amounts than its new
   * line is corrected: a credit note for what is left of it, and the new line planned in its place, for the next
   * billing run to issue like any planned invoice whose date has passed. One that billed the same stays.
   */
  async restructured(
    trx: Kysely<BillingDatabase>,
    { data, actor = 'system', type }: Restructured,
    log: Logger,
  ) {
    const contracts = new ContractRepository(trx);
    const known = await contracts.lock(data.contractId);
    if (!known) throw new ContractNotKnownYet(data.contractId, type);
    if (known.scheduleVersion >= data.schedule.version) {
      log.info({ contractId: data.contractId }, 'this schedule version is planned already; nothing to do');
      return;
    }
    const { version, effectiveFrom } = data.schedule;
    const reason = `replaced by schedule version ${version} from ${effectiveFrom}`;
    await this.#cancel(trx, data.contractId, { kind: 'installment', dueFrom: effectiveFrom }, reason, actor);
    const contract = await contracts.save(snapshotRow(data.contract, version));
    const { credit, kept, unreplaceable, plan } = restructuringCorrections(
      await new InvoiceRepository(trx).issuedInstallments(contract.id, effectiveFrom),
      installmentInvoices(data.schedule, contract.currency, this.options.leadDays, effectiveFrom),
    );
    for (const invoice of credit)
      await this.creditNotes.issueLocked(
        trx,
        contract,
        invoice.id,
        { reason: `Installment ${invoice.installment} ${reason}` },
        actor,
      );
    for (const invoice of unreplaceable)
      log.warn(
        { contractId: contract.id, invoiceId: invoice.id, installment: invoice.installment },
        'an installment invoiced for nothing changed: nothing to credit, it is kept and its new line not planned',
      );
    log.info(
      { contractId: contract.id, credited: credit.length, kept: kept.length },
      'installments issued from the restructuring date corrected',
    );
    await this.#plan(trx, contract, plan, actor, log);
    // The credit of the invoices the client had paid pays their open invoices now, or the replacements when issued.
    if (credit.length > 0) await this.allocations.settle(trx, contract, actor);
  }

  /**
   * Installments due after the termination date will never be billed: their planned invoices are cancelled.
   * Those due by then stay (the settlement takes them as billed) and the settlement gets its own invoice.
   */
  async terminated(trx: Kysely<BillingDatabase>, { data, actor = 'system', type }: Terminated, log: Logger) {
    const contracts = new ContractRepository(trx);
    const known = await contracts.lock(data.contractId);
    if (!known) throw new ContractNotKnownYet(data.contractId, type);
    const contract = await contracts.save(snapshotRow(data.contract, known.scheduleVersion));
    const invoices = new InvoiceRepository(trx);
    if ((await invoices.live(contract.id)).some((invoice) => invoice.kind === 'termination')) {
      log.info({ contractId: contract.id }, 'the termination is invoiced already; nothing to do');
      return;
    }
    const date = data.settlement.terminationDate;
    await this.#cancel(
      trx,
      contract.id,
      { kind: 'installment', dueAfter: date },
      `terminated on ${date}`,
      actor,
    );
    await this.#plan(
      trx,
      contract,
      [
        terminationInvoice(
          data.settlement,
          contract.currency,
          contract.scheduleVersion,
          this.options.leadDays,
        ),
      ],
      actor,
      log,
    );
  }

  /** A close with buyout bills the residual value; a close without it bills nothing more. */
  async closed(trx: Kysely<BillingDatabase>, { data, actor = 'system', type }: Closed, log: Logger) {
    const contracts = new ContractRepository(trx);
    const known = await contracts.lock(data.contractId);
    if (!known) throw new ContractNotKnownYet(data.contractId, type);
    const contract = await contracts.save(snapshotRow(data.contract, known.scheduleVersion));
    if (!data.buyout) return;
    const buyout = buyoutInvoice(
      data.contract,
      data.businessDate,
      contract.scheduleVersion,
      this.options.leadDays,
    );
    if (buyout) await this.#plan(trx, contract, [buyout], actor, log);
  }

  /** Cancels the planned invoices a later fact voids, each with its change event. */
  async #cancel(
    trx: Kysely<BillingDatabase>,
    contractId: string,
    which: { kind: InvoiceKind; dueFrom?: string; dueAfter?: string },
    reason: string,
    actor: string,
  ) {
    const cancelled = await new InvoiceRepository(trx).cancelPlanned(contractId, which, reason, actor);
    for (const { before, after } of cancelled)
      await this.events.invoiceChanged(trx, 'updated', before, after, actor);
  }

  async #plan(
    trx: Kysely<BillingDatabase>,
    contract: ContractRow,
    planned: readonly PlannedInvoice[],
    actor: string,
    log: Logger,
  ) {
    const invoices = new InvoiceRepository(trx);
    let count = 0;
    for (const invoice of planned) {
      const row = await invoices.plan(contract, invoice, actor);
      if (row) {
        await this.events.invoiceChanged(trx, 'created', null, row, actor);
        count += 1;
      } else
        log.warn(
          { contractId: contract.id, kind: invoice.kind, installment: invoice.installment },
          'an invoice for this installment exists already (issued before the change); it is kept',
        );
    }
    log.info({ contractId: contract.id, planned: count }, 'invoices planned');
  }
}

/** billing's copy of the contract from the snapshot an event carries. */
function snapshotRow(contract: Snapshot, scheduleVersion: number): Omit<ContractRow, 'updatedAt'> {
  return {
    id: contract.id,
    number: contract.number,
    legalEntity: contract.legalEntity,
    partyId: contract.partyId,
    currency: contract.currency,
    paymentReference: contract.paymentReference,
    penaltyRate: contract.penaltyRate,
    vatRate: contract.vatRate,
    status: contract.status,
    scheduleVersion,
    startDate: contract.startDate,
  };
}
