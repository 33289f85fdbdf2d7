import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutbox } from '@lessor/events';
import { eventually } from '@lessor/events/testing';
import { openDatabase, type Database } from '@lessor/service-kit';
import { aLease, paymentReceived, EVENTS, type TestLease } from './events.ts';
import {
  consumedWith,
  financeSetups,
  redeliver,
  startFinance,
  type FinanceWorld,
} from './fixtures/finance-world.ts';

// Events written by billing in ONE transaction reach finance together: the relay publishes them in one go, and
// the consumer takes them in one batch (always with the in-process bus, which hands them over in one fetch;
// usually with RabbitMQ). Whatever the batches, every outcome below must be the same as one event at a time.
describe.each(financeSetups())(
  'finance posting events that arrive together on $backend with the $broker transport',
  (setup) => {
    let world: FinanceWorld;
    /** A user who may do anything in finance. */
    let admin: string;
    let billing: Database<unknown>;
    let lease: TestLease;
    const outbox = createOutbox({ service: 'billing' });

    beforeAll(async () => {
      // A snapshot of the books kept for a minute: a change made behind its back (another replica's) is seen only
      // by the database's guards.
      world = await startFinance(setup, { cacheMs: 60_000 });
      admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
      billing = await openDatabase<unknown>({ schema: 'billing', url: world.database.url, poolSize: 2 });
      lease = aLease();
    });
    afterAll(async () => {
      await billing?.close();
      await world?.close();
    });

    /** billing's payment.received events, written in one transaction. */
    async function publishTogether(payments: ReturnType<typeof paymentReceived>[]) {
      return billing.db.transaction().execute((trx) =>
        outbox.addMany(
          trx,
          payments.map((data) => ({
            type: EVENTS.paymentReceived.type,
            subject: data.paymentId,
            data,
            actor: 'system',
          })),
        ),
      );
    }
    const entriesOf = async (eventId: string) =>
      (await world.call('GET', `/v1/entries?sourceEventId=${eventId}`, admin)).body.items;
    const reviewOf = async (eventId: string) =>
      (await world.call('GET', `/v1/review-items?eventId=${eventId}`, admin)).body.items;
    const fallbacks = async () =>
      (await world.app.metrics.getSingleMetric('lessor_event_batch_fallbacks_total')?.get())?.values[0]
        ?.value ?? 0;

    it('should post the others and review the refused one as alone when one of them is refused by its checks', async () => {
      const [warmUp] = await publishTogether([paymentReceived(lease, '1.00', '2026-02-01')]);
      await world.handled(warmUp!);
      const payments = [
        paymentReceived(lease, '100.00', '2026-02-10'),
        paymentReceived(null, '200.00', '2026-02-11'),
        { ...paymentReceived(lease, '300.00', '2026-02-12'), legalEntity: 'NO-BOOKS' },
        paymentReceived(lease, '400.00', '2026-02-13'),
      ];
      const events = await publishTogether(payments);
      for (const event of events) await world.handled(event);

      for (const [index, event] of events.entries()) {
        if (index === 2) continue;
        const entries = await entriesOf(event.id);
        expect(entries).toHaveLength(1);
        expect(entries[0]).toMatchObject({
          date: payments[index]!.valueDate,
          kind: 'event',
          createdBy: 'system',
        });
      }
      // The unmatched payment goes to suspense by its own rule, the others to the client's credit.
      const lines = async (eventId: string) =>
        (await entriesOf(eventId))[0].lines.map((line: any) => [
          line.accountCode,
          line.side,
          line.amount.amount,
        ]);
      expect(await lines(events[1]!.id)).toEqual([
        ['1000', 'debit', '200.00'],
        ['2900', 'credit', '200.00'],
      ]);
      expect(await lines(events[3]!.id)).toEqual([
        ['1000', 'debit', '400.00'],
        ['2200', 'credit', '400.00'],
      ]);
      if (setup.broker === 'in-process') {
        // One batch, one statement: the entries are in the ledger in the order of their events.
        const seqs = await Promise.all(
          [0, 1, 3].map(async (index) => BigInt((await entriesOf(events[index]!.id))[0].seq)),
        );
        expect([...seqs].sort((a, b) => (a < b ? -1 : 1))).toEqual(seqs);
      }
      expect(await entriesOf(events[2]!.id)).toEqual([]);
      expect(await reviewOf(events[2]!.id)).toMatchObject([
        {
          status: 'open',
          reasonCode: 'LEGAL_ENTITY_NOT_FOUND',
          attempts: 1,
          eventType: EVENTS.paymentReceived.type,
        },
      ]);
      // Each posting announced once, with its lines.
      const posted = await world.outbox('lessor.finance.entry.posted.v1');
      for (const [index, event] of events.entries()) {
        const announced = posted.filter((envelope: any) => envelope.data.sourceEventId === event.id);
        expect(announced).toHaveLength(index === 2 ? 0 : 1);
      }
    });

    it('should post the others and review the one a guard refused when the books changed behind the snapshot', async () => {
      const [warmUp] = await publishTogether([paymentReceived(lease, '1.00', '2026-03-01')]);
      await world.handled(warmUp!);
      // Another replica closes April: this one's snapshot (a minute) still has it open.
      await sql`insert into accounting_periods (legal_entity, period, status, changed_by)
        values ('LESSOR', '2026-04', 'closed', 'another replica')`.execute(world.database.db);
      const fallbacksBefore = await fallbacks();
      const payments = [
        paymentReceived(lease, '10.00', '2026-03-10'),
        paymentReceived(lease, '20.00', '2026-04-10'),
        paymentReceived(lease, '30.00', '2026-03-11'),
      ];
      const events = await publishTogether(payments);
      for (const event of events) await world.handled(event);

      expect(await entriesOf(events[0]!.id)).toHaveLength(1);
      expect(await entriesOf(events[2]!.id)).toHaveLength(1);
      expect(await entriesOf(events[1]!.id)).toEqual([]);
      // The guard's refusal made the ledger read the books again: then the check refuses it, a business refusal.
      expect(await reviewOf(events[1]!.id)).toMatchObject([
        { status: 'open', reasonCode: 'PERIOD_CLOSED', attempts: 1 },
      ]);
      if (setup.broker === 'in-process') {
        // One batch: its statement failed on the guard, and the events took the per-event path.
        expect(await fallbacks()).toBe(fallbacksBefore + 1);
      }

      // A second delivery of the whole batch changes nothing: every copy is a duplicate.
      const duplicates = await consumedWith(world, 'duplicate');
      for (const event of events) await redeliver(world, event);
      await eventually(async () => (await consumedWith(world, 'duplicate')) === duplicates + events.length);
      expect(await entriesOf(events[0]!.id)).toHaveLength(1);
      expect(await entriesOf(events[2]!.id)).toHaveLength(1);
      expect(await reviewOf(events[1]!.id)).toMatchObject([{ attempts: 1 }]);
    });
  },
);
