import { sql, type Kysely } from 'kysely';
import { leasingEvents, type EventDataOf, type EventDefinition } from '@lessor/event-catalog';
import type { EventEnvelope } from '@lessor/events';
import type { ConsumedEvent } from '@lessor/service-kit';
import type { FinanceDatabase } from '../database.ts';
import {
  earnedInterestChange,
  interestChange,
  unbilledInterest,
  type KeptInstallment,
  type KeptInstallmentState,
} from './lease.ts';

type Activated = EventDataOf<typeof leasingEvents.contractActivated>;
type Restructured = EventDataOf<typeof leasingEvents.contractRestructured>;
type Terminated = EventDataOf<typeof leasingEvents.contractTerminated>;
type Schedule = Activated['schedule'];

/**
 * True when the event is of this definition. Its data then has the definition's shape: the consumer checks every
 * event against the catalogue before a handler sees it.
 */
function isEventOf<Definition extends EventDefinition>(
  definition: Definition,
  event: EventEnvelope,
): event is ConsumedEvent<Definition> {
  return event.type === definition.type;
}

/**
 * Finance's copy of each activated lease's schedule, kept from leasing's events: income recognition reads it,
 * and termination and restructuring derive from it what their events do not carry. `apply` runs in the
 * consumer's transaction, before the posting, and returns the derived values (computed from the copy as it
 * was before this event changed it).
 */
export class LeaseBook {
  async apply(trx: Kysely<FinanceDatabase>, event: EventEnvelope): Promise<Record<string, string>> {
    if (isEventOf(leasingEvents.contractActivated, event)) {
      await this.#keep(trx, event.data, event.data.schedule);
      return {};
    }
    if (isEventOf(leasingEvents.contractRestructured, event)) return this.#restructured(trx, event.data);
    if (isEventOf(leasingEvents.contractTerminated, event)) return this.#terminated(trx, event.data);
    return {};
  }

  async #restructured(trx: Kysely<FinanceDatabase>, data: Restructured): Promise<Record<string, string>> {
    const schedule = data.schedule;
    const kept = await trx
      .selectFrom('leaseContracts')
      .select('scheduleVersion')
      .where('contractId', '=', data.contractId)
      .forUpdate()
      .executeTakeFirst();
    // Leasing numbers a contract's versions in order: one finance keeps already, or an older one published
    // again after a newer, changes nothing (every amount zero: nothing is posted).
    if (kept && kept.scheduleVersion >= schedule.version) {
      return { interestChange: '0', earnedInterestChange: '0' };
    }
    // Locked: an income recognition running now either committed before (and is seen here) or waits,
    // then recognises the installment at its new interest.
    const rows = await this.#states(trx, data.contractId);
    const before = rows.filter((row) => !row.voided);
    if (before.length === 0) return {};
    const change = interestChange(before, schedule.installments, schedule.effectiveFrom);
    const earned = earnedInterestChange(rows, schedule.installments, schedule.effectiveFrom);
    await this.#keep(trx, data, schedule);
    return { interestChange: change.toFixed(), earnedInterestChange: earned.toFixed() };
  }

  async #terminated(trx: Kysely<FinanceDatabase>, data: Terminated): Promise<Record<string, string>> {
    const settlement = data.settlement;
    const kept = await this.installments(trx, data.contractId);
    if (kept.length === 0) return {};
    await trx
      .updateTable('leaseContracts')
      .set({ terminatedOn: settlement.terminationDate, updatedAt: sql`now()` })
      .where('contractId', '=', data.contractId)
      .execute();
    return {
      unbilledInterest: unbilledInterest(
        kept,
        settlement.terminationDate,
        settlement.accruedInterest.amount,
      ).toFixed(),
    };
  }

  /** The live installments of a kept schedule, in order. */
  installments(trx: Kysely<FinanceDatabase>, contractId: string): Promise<KeptInstallment[]> {
    return trx
      .selectFrom('leaseInstallments')
      .select(['n', 'dueDate', 'principal', 'interest'])
      .where('contractId', '=', contractId)
      .where('voided', '=', false)
      .orderBy('n')
      .execute();
  }

  /** Every installment of a kept schedule, voided ones too, with whether it was recognised; locked. */
  async #states(trx: Kysely<FinanceDatabase>, contractId: string): Promise<KeptInstallmentState[]> {
    const rows = await trx
      .selectFrom('leaseInstallments')
      .select(['n', 'dueDate', 'principal', 'interest', 'voided', 'recognisedEntryId'])
      .where('contractId', '=', contractId)
      .orderBy('n')
      .forUpdate()
      .execute();
    return rows.map(({ recognisedEntryId, ...row }) => ({ ...row, recognised: recognisedEntryId !== null }));
  }

  /**
   * Keeps a schedule version: installments due from its `effectiveFrom` are (re)written, earlier ones stay as
   * they were (leasing keeps them unchanged too), and any later one the new version no longer has is voided.
   */
  async #keep(
    trx: Kysely<FinanceDatabase>,
    data: Activated | Restructured,
    schedule: Schedule,
  ): Promise<void> {
    await trx
      .insertInto('leaseContracts')
      .values({
        contractId: data.contractId,
        legalEntity: data.contract.legalEntity,
        partyId: data.contract.partyId,
        currency: data.contract.currency,
        scheduleVersion: schedule.version,
        terminatedOn: null,
      })
      .onConflict((conflict) =>
        conflict
          .column('contractId')
          .doUpdateSet({ scheduleVersion: schedule.version, updatedAt: sql`now()` }),
      )
      .execute();
    const rows = schedule.installments
      .filter((installment) => installment.dueDate >= schedule.effectiveFrom)
      .map((installment) => ({
        contractId: data.contractId,
        n: installment.n,
        dueDate: installment.dueDate,
        principal: installment.principal,
        interest: installment.interest,
        voided: false,
        recognisedEntryId: null,
      }));
    if (rows.length > 0) {
      await trx
        .insertInto('leaseInstallments')
        .values(rows)
        .onConflict((conflict) =>
          conflict.columns(['contractId', 'n']).doUpdateSet((eb) => ({
            dueDate: eb.ref('excluded.dueDate'),
            principal: eb.ref('excluded.principal'),
            interest: eb.ref('excluded.interest'),
            voided: false,
          })),
        )
        .execute();
    }
    await trx
      .updateTable('leaseInstallments')
      .set({ voided: true })
      .where('contractId', '=', data.contractId)
      .where('dueDate', '>=', schedule.effectiveFrom)
      .where('n', 'not in', rows.length > 0 ? rows.map((row) => row.n) : [-1])
      .execute();
  }
}
