import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aLease, paymentMatched, paymentReceived, penaltyCharged, EVENTS, type TestLease } from './events.ts';
import { financeSetups, startFinance, type FinanceWorld } from './fixtures/finance-world.ts';

describe.each(financeSetups())(
  'finance refusals and the review list on $backend with the $broker transport',
  (setup) => {
    let world: FinanceWorld;
    /** A user who may do anything in finance. */
    let admin: string;
    let lease: TestLease;

    beforeAll(async () => {
      world = await startFinance(setup);
      admin = await world.token(['finance:*:*'], undefined, 'Finance Admin');
      lease = aLease();
    });
    afterAll(async () => {
      await world?.close();
    });

    async function publish<Definition extends EventDefinition>(
      definition: Definition,
      data: EventDataOf<Definition>,
    ) {
      const envelope = await world.publish(definition, data);
      await world.handled(envelope);
      return envelope;
    }
    const entriesOf = async (eventId: string) =>
      (await world.call('GET', `/v1/entries?sourceEventId=${eventId}`, admin)).body.items;
    const reviewOf = async (eventId: string) => {
      const items = (await world.call('GET', `/v1/review-items?eventId=${eventId}`, admin)).body.items;
      expect(items).toHaveLength(1);
      return items[0];
    };
    const retry = (item: any) => world.call('POST', `/v1/review-items/${item.id}/retry`, admin);
    const ruleNamed = async (name: string) =>
      (await world.call('GET', '/v1/posting-rules?limit=200', admin)).body.items.find(
        (rule: any) => rule.name === name,
      );
    const accountOf = async (code: string) =>
      (await world.call('GET', `/v1/accounts?code=${code}&currency=EUR`, admin)).body.items[0];

    describe('events', () => {
      it('should put an event without a rule on review with the reason, and post it on retry once a rule exists', async () => {
        const rule = await ruleNamed('Penalty charged');
        expect(
          (
            await world.call('DELETE', `/v1/posting-rules/${rule.id}`, admin, undefined, {
              'if-match': `"${rule.version}"`,
            })
          ).status,
        ).toBe(200);
        const event = await publish(
          EVENTS.penaltyCharged,
          penaltyCharged(lease, randomUUID(), '4.00', '2026-05-02'),
        );
        expect(await entriesOf(event.id)).toEqual([]);
        const item = await reviewOf(event.id);
        expect(item).toMatchObject({
          status: 'open',
          reasonCode: 'NO_MATCHING_RULE',
          reason: 'no posting rule for lessor.billing.penalty.charged.v1',
          eventType: EVENTS.penaltyCharged.type,
          attempts: 1,
          legalEntity: 'LESSOR',
          entryId: null,
        });
        expect(item.event.id).toBe(event.id);

        // Still no rule: the retry is refused again, the item stays open with one more attempt.
        expect((await retry(item)).body).toMatchObject({
          status: 'open',
          attempts: 2,
          reasonCode: 'NO_MATCHING_RULE',
        });

        expect((await world.call('POST', `/v1/posting-rules/${rule.id}/restore`, admin)).status).toBe(200);
        const resolved = (await retry(item)).body;
        expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: expect.any(String) });
        const [entry] = await entriesOf(event.id);
        expect(resolved.entryId).toBe(entry.id);
        expect(entry.lines.map((line: any) => line.accountCode)).toEqual(['1100', '4200']);
        // Done is done: a second retry is refused.
        expect((await retry(item)).body.code).toBe('REVIEW_ITEM_NOT_OPEN');
      });

      it('should put an event dated in a closed period on review, and post it after the period is reopened', async () => {
        expect(
          (await world.call('POST', '/v1/periods/LESSOR/2026-04/close', admin, { reason: 'April done' }))
            .body,
        ).toMatchObject({
          status: 'closed',
          history: [{ action: 'closed', reason: 'April done' }],
        });
        const event = await publish(EVENTS.paymentReceived, paymentReceived(lease, '100.00', '2026-04-10'));
        const item = await reviewOf(event.id);
        expect(item).toMatchObject({
          reasonCode: 'PERIOD_CLOSED',
          reason: 'period 2026-04 of LESSOR is closed',
        });
        expect((await retry(item)).body.status).toBe('open');

        const reopened = await world.call('POST', '/v1/periods/LESSOR/2026-04/reopen', admin, {
          reason: 'late bank statement',
        });
        expect(reopened.body).toMatchObject({ status: 'open' });
        expect(reopened.body.history.map((change: any) => change.action)).toEqual(['closed', 'reopened']);
        expect((await retry(item)).body.status).toBe('resolved');
        expect(await entriesOf(event.id)).toHaveLength(1);
      });

      it('should put an event on review when an account is disabled, and post it once enabled again', async () => {
        const account = await accountOf('4200');
        const disabled = await world.call(
          'PATCH',
          `/v1/accounts/${account.id}`,
          admin,
          { disabled: true },
          {
            'if-match': `"${account.version}"`,
          },
        );
        expect(disabled.body.disabled).toBe(true);
        const event = await publish(
          EVENTS.penaltyCharged,
          penaltyCharged(lease, randomUUID(), '2.00', '2026-05-03'),
        );
        expect(await reviewOf(event.id)).toMatchObject({
          reasonCode: 'ACCOUNT_DISABLED',
          reason: 'account 4200 (EUR) is disabled',
        });
        await world.call(
          'PATCH',
          `/v1/accounts/${account.id}`,
          admin,
          { disabled: false },
          {
            'if-match': `"${disabled.body.version}"`,
          },
        );
        expect((await retry(await reviewOf(event.id))).body.status).toBe('resolved');
      });

      it('should put an event whose rule does not balance on review, and post it after the rule is fixed', async () => {
        const rule = await ruleNamed('Payment received unmatched');
        const broken = await world.call(
          'PATCH',
          `/v1/posting-rules/${rule.id}`,
          admin,
          { lines: [rule.lines[0], { ...rule.lines[1], amount: 'amount - 1' }] },
          { 'if-match': `"${rule.version}"` },
        );
        expect(broken.status).toBe(200);
        const event = await publish(EVENTS.paymentReceived, paymentReceived(null, '50.00', '2026-05-04'));
        expect(await reviewOf(event.id)).toMatchObject({
          reasonCode: 'ENTRY_UNBALANCED',
          reason: 'EUR debits 50.00 and credits 49.00 differ by 1.00',
        });
        await world.call(
          'PATCH',
          `/v1/posting-rules/${rule.id}`,
          admin,
          { lines: rule.lines },
          {
            'if-match': `"${broken.body.version}"`,
          },
        );
        expect((await retry(await reviewOf(event.id))).body.status).toBe('resolved');
        expect((await entriesOf(event.id))[0].lines.map((line: any) => line.amount.amount)).toEqual([
          '50.00',
          '50.00',
        ]);
      });

      it('should put an event on review when two rules apply to it', async () => {
        const rule = await ruleNamed('Payment matched by hand');
        const twin = await world.call('POST', '/v1/posting-rules', admin, {
          name: 'Second matching rule',
          eventType: EVENTS.paymentMatched.type,
          datePath: 'matchDate',
          entryDescription: 'twin',
          lines: rule.lines,
        });
        expect(twin.status).toBe(201);
        const event = await publish(
          EVENTS.paymentMatched,
          paymentMatched(lease, randomUUID(), '5.00', '2026-05-05'),
        );
        expect((await reviewOf(event.id)).reasonCode).toBe('AMBIGUOUS_RULES');
        await world.call('DELETE', `/v1/posting-rules/${twin.body.id}`, admin, undefined, {
          'if-match': '"1"',
        });
        expect((await retry(await reviewOf(event.id))).body.status).toBe('resolved');
      });

      it('should put an event dated after the business date on review, and post it once the date moves on', async () => {
        const event = await publish(EVENTS.paymentReceived, paymentReceived(lease, '10.00', '2027-01-05'));
        expect(await reviewOf(event.id)).toMatchObject({
          reasonCode: 'ENTRY_DATE_IN_FUTURE',
          reason: '2027-01-05 is after the business date 2026-12-31 of LESSOR',
        });
        const moved = await world.call('PUT', '/v1/business-date', admin, { businessDate: '2027-01-31' });
        expect(moved.body).toEqual({
          legalEntity: 'LESSOR',
          businessDate: '2027-01-31',
          followsSystemDate: false,
        });
        expect((await retry(await reviewOf(event.id))).body.status).toBe('resolved');
        const back = await world.call('PUT', '/v1/business-date', admin, { businessDate: null });
        expect(back.body).toEqual({
          legalEntity: 'LESSOR',
          businessDate: '2026-12-31',
          followsSystemDate: true,
        });
      });

      it('should put an event of a legal entity without books on review, and let it be discarded with a note', async () => {
        const event = await publish(EVENTS.paymentReceived, {
          ...paymentReceived(lease, '10.00', '2026-05-06'),
          legalEntity: 'ELSEWHERE',
        });
        const item = await reviewOf(event.id);
        expect(item.reasonCode).toBe('LEGAL_ENTITY_NOT_FOUND');
        const discarded = await world.call('POST', `/v1/review-items/${item.id}/discard`, admin, {
          note: 'not ours',
        });
        expect(discarded.body).toMatchObject({ status: 'discarded', note: 'not ours' });
        expect(
          (await world.call('GET', '/v1/review-items?status=open', admin)).body.items.map((i: any) => i.id),
        ).not.toContain(item.id);
      });
    });

    describe('manual entries', () => {
      const entry = (lines: any[], extra: Record<string, unknown> = {}) =>
        world.call('POST', '/v1/entries', admin, {
          description: 'Correction',
          date: '2026-06-10',
          lines,
          ...extra,
        });
      const line = (accountCode: string, side: string, amount: string) => ({ accountCode, side, amount });

      it('should refuse an unbalanced entry with 422 naming its lines', async () => {
        const answer = await entry([line('1000', 'debit', '100.00'), line('3000', 'credit', '90.00')]);
        expect(answer.status).toBe(422);
        expect(answer.headers['content-type']).toContain('application/problem+json');
        expect(answer.body).toMatchObject({
          code: 'ENTRY_UNBALANCED',
          errors: [
            { field: '/body/lines/0/amount', message: 'EUR debits 100.00 and credits 90.00 differ by 10.00' },
            { field: '/body/lines/1/amount', message: 'EUR debits 100.00 and credits 90.00 differ by 10.00' },
          ],
        });
      });

      it('should refuse a disabled or unknown account with 422 naming the line', async () => {
        const account = await accountOf('6900');
        await world.call(
          'PATCH',
          `/v1/accounts/${account.id}`,
          admin,
          { disabled: true },
          { 'if-match': `"${account.version}"` },
        );
        const disabled = await entry([line('1000', 'debit', '5'), line('6900', 'credit', '5')]);
        expect(disabled.status).toBe(422);
        expect(disabled.body).toMatchObject({
          code: 'ACCOUNT_DISABLED',
          errors: [{ field: '/body/lines/1/accountCode' }],
        });
        const unknown = await entry([line('1000', 'debit', '5'), line('9999', 'credit', '5')]);
        expect(unknown.body).toMatchObject({
          code: 'ACCOUNT_NOT_FOUND',
          errors: [{ field: '/body/lines/1/accountCode' }],
        });
      });

      it('should refuse an entry into a closed period with 409 and one dated after the business date with 422', async () => {
        await world.call('POST', '/v1/periods/LESSOR/2026-03/close', admin, {});
        const closed = await entry([line('1000', 'debit', '5'), line('3000', 'credit', '5')], {
          date: '2026-03-31',
        });
        expect(closed.status).toBe(409);
        expect(closed.body).toMatchObject({ code: 'PERIOD_CLOSED', errors: [{ field: '/body/date' }] });
        const future = await entry([line('1000', 'debit', '5'), line('3000', 'credit', '5')], {
          date: '2027-01-01',
        });
        expect(future.status).toBe(422);
        expect(future.body.code).toBe('ENTRY_DATE_IN_FUTURE');
      });

      it('should post a balanced entry and correct it by a reversal, once', async () => {
        const posted = await entry([
          { ...line('1000', 'debit', '250.00'), counterpartyId: lease.partyId },
          line('3000', 'credit', '250.00'),
        ]);
        expect(posted.status).toBe(201);
        expect(posted.body).toMatchObject({ kind: 'manual', date: '2026-06-10', description: 'Correction' });
        const reversal = await world.call('POST', `/v1/entries/${posted.body.id}/reverse`, admin, {
          date: '2026-06-11',
        });
        expect(reversal.status).toBe(201);
        expect(reversal.body).toMatchObject({
          kind: 'reversal',
          reversesEntryId: posted.body.id,
          description: 'Reversal of: Correction',
        });
        expect(
          reversal.body.lines.map((l: any) => [l.side, l.accountCode, l.amount.amount, l.counterpartyId]),
        ).toEqual([
          ['credit', '1000', '250.00', lease.partyId],
          ['debit', '3000', '250.00', null],
        ]);
        expect((await world.call('GET', `/v1/entries/${posted.body.id}`, admin)).body.reversedByEntryId).toBe(
          reversal.body.id,
        );
        const again = await world.call('POST', `/v1/entries/${posted.body.id}/reverse`, admin, {});
        expect(again.status).toBe(409);
        expect(again.body).toMatchObject({ code: 'ENTRY_ALREADY_REVERSED', reversalId: reversal.body.id });
      });

      it('should keep reopening a period to those allowed to', async () => {
        const closer = await world.token(['finance:periods:close', 'finance:periods:read']);
        const refused = await world.app.inject({
          method: 'POST',
          url: '/v1/periods/LESSOR/2026-03/reopen',
          headers: { authorization: `Bearer ${closer}` },
          payload: { reason: 'try' },
        });
        expect(refused.statusCode).toBe(403);
      });
    });

    describe('the database itself', () => {
      const raw = () => world.database.db.withoutPlugins();
      const anEntry = async () => (await world.call('GET', '/v1/entries?limit=1', admin)).body.items[0];
      const sqlstate = async (work: Promise<unknown>) => {
        try {
          await work;
          return 'committed';
        } catch (error) {
          return (error as { code?: string }).code;
        }
      };

      it('should refuse UPDATE, DELETE and TRUNCATE of entries and lines', async () => {
        const { id } = await anEntry();
        expect(
          await sqlstate(sql`update journal_entries set description = 'x' where id = ${id}`.execute(raw())),
        ).toBe('LF001');
        expect(
          await sqlstate(sql`update journal_lines set amount = 1 where entry_id = ${id}`.execute(raw())),
        ).toBe('LF001');
        expect(await sqlstate(sql`delete from journal_lines where entry_id = ${id}`.execute(raw()))).toBe(
          'LF001',
        );
        expect(await sqlstate(sql`delete from journal_entries where id = ${id}`.execute(raw()))).toBe(
          'LF001',
        );
        expect(await sqlstate(sql`truncate journal_lines, journal_entries cascade`.execute(raw()))).toBe(
          'LF001',
        );
        expect((await world.call('GET', `/v1/entries/${id}`, admin)).status).toBe(200);
      });

      it('should refuse an unbalanced entry written by hand at commit, and keep nothing of it', async () => {
        const id = randomUUID();
        const { rows } = await sql<{ id: string }>`select id from accounts where code in ('1000', '3000')
        and currency = 'EUR' order by code`.execute(raw());
        const outcome = await sqlstate(
          raw()
            .transaction()
            .execute(async (trx) => {
              await sql`insert into journal_entries (id, legal_entity, entry_date, kind, description, created_by)
              values (${id}, 'LESSOR', '2026-06-01', 'manual', 'raw', 'test')`.execute(trx);
              await sql`insert into journal_lines (entry_id, line_no, account_id, currency, entry_date, side, amount)
              values (${id}, 1, ${rows[0]!.id}, 'EUR', '2026-06-01', 'debit', 10),
                     (${id}, 2, ${rows[1]!.id}, 'EUR', '2026-06-01', 'credit', 9)`.execute(trx);
            }),
        );
        expect(outcome).toBe('LF003');
        expect((await world.call('GET', `/v1/entries/${id}`, admin)).status).toBe(404);
      });

      it('should refuse a line added to an entry written before, and an entry dated in a closed period', async () => {
        const { id, lines } = await anEntry();
        const { rows } = await sql<{
          id: string;
        }>`select id from accounts where code = '1000' and currency = 'EUR'`.execute(raw());
        expect(
          await sqlstate(
            sql`insert into journal_lines (entry_id, line_no, account_id, currency, entry_date, side, amount)
            values (${id}, ${lines.length + 1}, ${rows[0]!.id}, 'EUR', '2026-06-01', 'debit', 1)`.execute(
              raw(),
            ),
          ),
        ).toBe('LF005');
        expect(
          await sqlstate(
            sql`insert into journal_entries (id, legal_entity, entry_date, kind, description, created_by)
            values (${randomUUID()}, 'LESSOR', '2026-03-15', 'manual', 'raw', 'test')`.execute(raw()),
          ),
        ).toBe('LF002');
      });
    });
  },
);
