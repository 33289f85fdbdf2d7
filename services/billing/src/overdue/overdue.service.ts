import type { Kysely } from 'kysely';
import { AllocationRepository } from '../allocations/allocation.repository.ts';
import type { AllocationService } from '../allocations/allocation.service.ts';
import type { BillingEvents } from '../billing.events.ts';
import { ContractRepository } from '../contracts/contract.repository.ts';
import type { BillingDatabase } from '../database.ts';
import {
  addDays,
  D,
  daysBetween,
  type Decimal,
  formatAmount,
  laterOf,
  sum,
  ZERO,
} from '@lessor/domain-values';
import { InvoiceRepository } from '../invoices/invoice.repository.ts';
import { paymentStatus } from '../invoices/invoice.ts';
import type { SettingsService } from '../settings/settings.service.ts';
import { OverdueRepository, type AgingFilter, type PenaltyRow } from './overdue.repository.ts';
import { AGING_BUCKETS, agingBucket, dailyPenalties, dunningDates, type AgingBucket } from './overdue.ts';

export interface PenaltyRunResult {
  upTo: string;
  invoices: number;
  penalties: (PenaltyRow & { currency: string })[];
  dunningNotices: number;
}

export interface AgingRow {
  currency: string;
  buckets: { bucket: AgingBucket; amount: Decimal; invoices: number }[];
  total: Decimal;
}

/**
 * Overdue invoices: the daily penalty on overdue principal and the dunning levels (the penalty run, by the
 * daily job and an admin's call, idempotent per invoice and day), and the aging of receivables at a date.
 */
export class OverdueService {
  constructor(
    private readonly db: Kysely<BillingDatabase>,
    private readonly events: BillingEvents,
    private readonly allocations: AllocationService,
    private readonly settings: SettingsService,
  ) {}

  /** Charges every day's penalty up to `upTo` not charged yet, and records the dunning levels reached. */
  async run(upTo: string, actor?: string): Promise<PenaltyRunResult> {
    const candidates = await new OverdueRepository(this.db).candidates(upTo);
    const result: PenaltyRunResult = { upTo, invoices: 0, penalties: [], dunningNotices: 0 };
    for (const { id, contractId } of candidates) {
      const outcome = await this.#bringUpTo(id, contractId, upTo, actor);
      result.invoices += 1;
      result.penalties.push(...outcome.penalties);
      result.dunningNotices += outcome.dunningNotices;
    }
    return result;
  }

  async #bringUpTo(invoiceId: string, contractId: string, upTo: string, actor?: string) {
    return this.db.transaction().execute(async (trx) => {
      const contract = await new ContractRepository(trx).lock(contractId);
      const invoices = new InvoiceRepository(trx);
      const before = await invoices.lock(invoiceId);
      const overdue = new OverdueRepository(trx);
      const penalties: (PenaltyRow & { currency: string })[] = [];
      let dunningNotices = 0;
      if (!contract || !before || before.status === 'planned' || before.status === 'cancelled')
        return { penalties, dunningNotices };
      let invoice = before;
      // Nobody is late with an invoice not received yet: days count after the due date and the issue date.
      const lateSince = laterOf(invoice.dueDate, invoice.issueDate);
      const last = await overdue.lastChargeDate(invoiceId);
      const days = dailyPenalties({
        dueDate: invoice.dueDate,
        principal: invoice.principal,
        paid: await new AllocationRepository(trx).principalPaid(invoiceId),
        from: addDays(last ?? lateSince, 1),
        upTo,
        rate: contract.penaltyRate,
        currency: invoice.currency,
      });
      const who = actor ?? 'system';
      for (const day of days) {
        const penalty = await overdue.addPenalty({
          invoiceId,
          contractId,
          chargeDate: day.chargeDate,
          daysOverdue: day.daysOverdue,
          base: formatAmount(day.base, invoice.currency),
          rate: contract.penaltyRate,
          amount: formatAmount(day.amount, invoice.currency),
        });
        if (!penalty) continue;
        invoice = await invoices.addPenalty(invoiceId, penalty.amount, who);
        await this.events.penaltyCharged(trx, penalty, invoice, actor);
        await this.events.penaltyCreated(trx, penalty, invoice, actor);
        penalties.push({ ...penalty, currency: invoice.currency });
      }
      if (penalties.length > 0) {
        const status = paymentStatus(invoice);
        if (status !== invoice.status) invoice = await invoices.setStatus(invoiceId, status);
        // One change event for the run's days on this invoice, not one per day (each day has its penalty's).
        await this.events.invoiceChanged(trx, 'updated', before, invoice, actor);
        // A penalty on an invoice paid late can reopen it while the client has credit: the credit pays it.
        await this.allocations.settle(trx, contract, actor);
      }
      const { levels } = (await this.settings.dunningLevels(trx)).value;
      for (const level of dunningDates(lateSince, levels, upTo)) {
        if (new D(await overdue.openOn(invoiceId, level.date)).lte(0)) continue;
        const notice = await overdue.addDunning(invoiceId, level.level, level.date);
        if (!notice) continue;
        await this.events.dunningNoticeCreated(trx, notice, invoice, actor);
        dunningNotices += 1;
      }
      await overdue.markSeen(invoiceId, upTo);
      return { penalties, dunningNotices };
    });
  }

  /** Receivables at the end of `at` by days past due, per currency (amounts are never added across them). */
  async aging(filter: AgingFilter): Promise<AgingRow[]> {
    const rows = (await new OverdueRepository(this.db).openAt(filter)).filter((row) => new D(row.open).gt(0));
    const currencies = [...new Set(rows.map((row) => row.currency))].sort();
    return currencies.map((currency) => {
      const mine = rows.filter((row) => row.currency === currency);
      const buckets = AGING_BUCKETS.map((bucket) => {
        const inBucket = mine.filter((row) => agingBucket(daysBetween(row.dueDate, filter.at)) === bucket);
        return { bucket, amount: sum(inBucket.map((row) => row.open)), invoices: inBucket.length };
      });
      return { currency, buckets, total: buckets.reduce((total, bucket) => total.plus(bucket.amount), ZERO) };
    });
  }
}
