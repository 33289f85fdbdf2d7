import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasingEvents, type EventDataOf } from '@lessor/event-catalog';
import type { EventEnvelope } from '@lessor/events';
import {
  startTestService,
  testSetups,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import { assetsService } from '../src/assets.service.ts';
import { aCar, onToday } from './fixtures.ts';

const RETRY_DELAYS_MS = [50, 100];
const LEASING_ACTOR = '0193a1b2-0000-7000-8000-00000000ae01';

type Verb = 'signed' | 'activated' | 'closed' | 'terminated';
const money = (amount: string) => ({ amount, currency: 'EUR' });

type Transition = EventDataOf<typeof leasingEvents.contractSigned>;
type Contract = Transition['contract'];
type ContractStatus = Transition['to'];

/** A contract as leasing's events carry it (every field the catalogue asks for). */
function contractOf(assetId: string, number: string): Contract {
  return {
    id: randomUUID(),
    number,
    legalEntity: 'Lessor Leasing GmbH',
    status: 'approved',
    partyId: randomUUID(),
    assetId,
    productId: randomUUID(),
    calculationId: randomUUID(),
    currency: 'EUR',
    assetPrice: '28990.00',
    advance: '2899.00',
    financedAmount: '26091.00',
    residualValue: '8697.00',
    termMonths: 36,
    annualRate: '5.90',
    vatRate: '19.00',
    penaltyRate: '0.05',
    scheduleType: 'annuity',
    startDate: '2026-07-01',
    scheduleVersion: 1,
    paymentReference: `LS-${number}`,
  };
}
/** The fields every contract transition carries: the contract as it is after the move. */
function transition(contract: Contract, from: ContractStatus, to: ContractStatus): Transition {
  return {
    contractId: contract.id,
    from,
    to,
    businessDate: '2026-06-15',
    contract: { ...contract, status: to },
  };
}

const SCHEDULE: EventDataOf<typeof leasingEvents.contractActivated>['schedule'] = {
  version: 1,
  effectiveFrom: '2026-07-01',
  currency: 'EUR',
  installments: [
    {
      n: 1,
      dueDate: '2026-08-01',
      payment: '597.43',
      principal: '469.15',
      interest: '128.28',
      vat: '113.51',
      balance: '25621.85',
    },
  ],
  totals: { payments: '597.43', principal: '469.15', interest: '128.28', vat: '113.51' },
};

const SETTLEMENT: EventDataOf<typeof leasingEvents.contractTerminated>['settlement'] = {
  terminationDate: '2026-06-15',
  remainingPrincipal: money('20000.00'),
  accruedInterest: money('98.36'),
  fee: money('400.00'),
  feeVat: money('76.00'),
  overdue: money('0.00'),
  total: money('20574.36'),
};

describe.each(testSetups())(
  'assets following leasing’s contract events on $backend with the $broker transport',
  ({ backend, broker }) => {
    let assets: TestServices & TestService;
    let admin: string;

    beforeAll(async () => {
      // Leasing publishes from a real outbox in its own schema of the same database, through the same
      // transport (the in-process bus or RabbitMQ), exactly as the leasing service does.
      assets = await startTestService(assetsService, {
        setup: { backend, broker },
        options: onToday,
        publishers: ['leasing'],
        eventRetryDelaysMs: RETRY_DELAYS_MS,
      });
      admin = await assets.token(['assets:*:*']);
    });
    afterAll(() => assets?.close());

    /** Leasing publishes a contract event from its outbox, in a transaction, as its use cases do. */
    function publish(verb: Verb, contract: Contract, buyout = false): Promise<EventEnvelope> {
      switch (verb) {
        case 'signed':
          return assets.publish(
            leasingEvents.contractSigned,
            transition(contract, 'approved', 'signed'),
            LEASING_ACTOR,
          );
        case 'activated':
          return assets.publish(
            leasingEvents.contractActivated,
            { ...transition(contract, 'signed', 'active'), schedule: SCHEDULE },
            LEASING_ACTOR,
          );
        case 'closed':
          return assets.publish(
            leasingEvents.contractClosed,
            { ...transition(contract, 'active', 'closed'), buyout },
            LEASING_ACTOR,
          );
        case 'terminated':
          return assets.publish(
            leasingEvents.contractTerminated,
            { ...transition(contract, 'active', 'terminated'), settlement: SETTLEMENT },
            LEASING_ACTOR,
          );
      }
    }

    const asset = async (id: string) => (await assets.call('GET', `/v1/assets/${id}`, admin)).body;
    const history = async (id: string) =>
      (await assets.call('GET', `/v1/assets/${id}/status-history?limit=50`, admin)).body.items;
    const untilStatus = (id: string, status: string) =>
      assets.until(async () => {
        const current = await asset(id);
        return current.status === status ? current : undefined;
      }, `asset ${id} ${status}`);
    /** How many deliveries the consumer settled with this outcome (its own metrics). */
    const settled = async (outcome: string): Promise<number> => {
      const metric = await assets.app.metrics.getSingleMetric('lessor_events_consumed_total')?.get();
      return (metric?.values ?? [])
        .filter((value) => value.labels.outcome === outcome)
        .reduce((sum, value) => sum + value.value, 0);
    };
    const newAsset = async () => (await assets.call('POST', '/v1/assets', admin, aCar())).body.id as string;

    it('should reserve on signing, lease on activation and return on a close without buyout', async () => {
      const id = await newAsset();
      const contract = contractOf(id, 'LC-2026-000101');
      await publish('signed', contract);
      expect(await untilStatus(id, 'reserved')).toMatchObject({ contractId: contract.id });
      await publish('activated', contract);
      await untilStatus(id, 'leased');
      // A leased asset is with the lessee: it cannot be deleted.
      const version = (await asset(id)).version;
      const refused = await assets.call('DELETE', `/v1/assets/${id}`, admin, undefined, {
        'if-match': `"${version}"`,
      });
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('ASSET_IN_USE');
      await publish('closed', contract, false);
      expect(await untilStatus(id, 'returned')).toMatchObject({ contractId: contract.id });

      const rows = await history(id);
      expect(rows.map((row: { from: string | null; to: string }) => `${row.from}→${row.to}`)).toEqual([
        'leased→returned',
        'reserved→leased',
        'available→reserved',
        'null→available',
      ]);
      expect(rows[0]).toMatchObject({
        reason: 'contract LC-2026-000101 closed',
        contractId: contract.id,
        actor: LEASING_ACTOR,
        eventId: expect.any(String),
      });
      expect(rows[2].reason).toBe('contract LC-2026-000101 signed');

      const statusEvents = (await assets.outbox())
        .filter((event) => event.subject === id && /\.(reserved|leased|returned)\.v1$/.test(event.type))
        .map((event) => [event.type, (event.data as { contractId: string }).contractId]);
      expect(statusEvents).toEqual([
        ['lessor.assets.asset.reserved.v1', contract.id],
        ['lessor.assets.asset.leased.v1', contract.id],
        ['lessor.assets.asset.returned.v1', contract.id],
      ]);
    });

    it('should sell the asset when the contract closes with a buyout', async () => {
      const id = await newAsset();
      const contract = contractOf(id, 'LC-2026-000102');
      await publish('signed', contract);
      await untilStatus(id, 'reserved');
      await publish('activated', contract);
      await untilStatus(id, 'leased');
      await publish('closed', contract, true);
      await untilStatus(id, 'sold');
      expect((await history(id))[0]).toMatchObject({
        from: 'leased',
        to: 'sold',
        reason: 'contract LC-2026-000102 closed with buyout',
      });
      expect((await assets.outbox('lessor.assets.asset.sold.v1')).map((event) => event.subject)).toContain(
        id,
      );
    });

    it('should return the asset when the contract is terminated', async () => {
      const id = await newAsset();
      const contract = contractOf(id, 'LC-2026-000103');
      await publish('signed', contract);
      await publish('activated', contract);
      await untilStatus(id, 'leased');
      await publish('terminated', contract);
      await untilStatus(id, 'returned');
      expect((await history(id))[0]).toMatchObject({ from: 'leased', to: 'returned' });
    });

    it('should change nothing when an event is delivered again or repeated under a new id', async () => {
      const id = await newAsset();
      const contract = contractOf(id, 'LC-2026-000104');
      const signed = await publish('signed', contract);
      await untilStatus(id, 'reserved');
      const before = await asset(id);
      const rowsBefore = await history(id);

      // The very same envelope again, through the broker (as a redelivery would): the inbox knows its id.
      const duplicates = await settled('duplicate');
      await assets.app.events!.transport.publish([signed]);
      await assets.until(async () => (await settled('duplicate')) > duplicates, 'the duplicate settled');

      // The same fact under a new id (a second signed event of the contract): handled, but already done.
      const again = await publish('signed', contract);
      await assets.handled(again);

      expect(await asset(id)).toMatchObject({ status: 'reserved', version: before.version });
      expect(await history(id)).toEqual(rowsBefore);
      expect(
        (await assets.outbox('lessor.assets.asset.reserved.v1')).filter((event) => event.subject === id),
      ).toHaveLength(1);
    });

    it('should take over a reservation made by hand when the contract is signed', async () => {
      const id = await newAsset();
      await assets.call('POST', `/v1/assets/${id}/status`, admin, {
        status: 'reserved',
        reason: 'held for deal',
      });
      const contract = contractOf(id, 'LC-2026-000105');
      await publish('signed', contract);
      await assets.until(
        async () => (await asset(id)).contractId === contract.id,
        'the reservation taken over',
      );
      expect((await history(id))[0]).toMatchObject({
        from: 'reserved',
        to: 'reserved',
        contractId: contract.id,
      });
    });

    it('should park an event that finds the asset held by another contract, and apply it on replay once resolved', async () => {
      const id = await newAsset();
      const first = contractOf(id, 'LC-2026-000106');
      const second = contractOf(id, 'LC-2026-000107');
      await publish('signed', first);
      await untilStatus(id, 'reserved');
      const conflicting = await publish('signed', second);

      const parked = await assets.until(async () => {
        const page = (await assets.call('GET', '/v1/events/parked?status=parked', admin)).body;
        return page.items.find((item: { eventId: string }) => item.eventId === conflicting.id);
      }, 'the second signing parked');
      expect(parked.attempts).toBe(RETRY_DELAYS_MS.length + 1);
      expect(parked.reason).toContain(`the asset is reserved under contract ${first.id}`);
      expect(await asset(id)).toMatchObject({ status: 'reserved', contractId: first.id });

      // Still held: a replay fails again and the event stays parked.
      expect((await assets.call('POST', `/v1/events/parked/${parked.id}/replay`, admin)).status).toBe(409);
      // A person releases the first reservation (that deal fell through) and replays the second signing.
      const released = await assets.call('POST', `/v1/assets/${id}/status`, admin, {
        status: 'available',
        reason: 'LC-2026-000106 cancelled',
      });
      expect(released.body).toMatchObject({ status: 'available', contractId: null });
      const replay = await assets.call('POST', `/v1/events/parked/${parked.id}/replay`, admin);
      expect(replay.body).toEqual({ outcome: 'applied' });
      expect(await asset(id)).toMatchObject({ status: 'reserved', contractId: second.id });
      expect(
        (await history(id)).map((row: { to: string; contractId: string | null }) => [row.to, row.contractId]),
      ).toEqual([
        ['reserved', second.id],
        ['available', first.id],
        ['reserved', first.id],
        ['available', null],
      ]);
    });

    it('should park an event for an asset that is not in the register', async () => {
      const missing = contractOf(randomUUID(), 'LC-2026-000108');
      const event = await publish('activated', missing);
      const parked = await assets.until(async () => {
        const page = (await assets.call('GET', '/v1/events/parked', admin)).body;
        return page.items.find((item: { eventId: string }) => item.eventId === event.id);
      }, 'the activation parked');
      expect(parked.reason).toContain('not in the register');
    });

    it('should refuse the parked events to a caller without assets:events:read', async () => {
      const reader = await assets.token(['assets:assets:read']);
      expect((await assets.call('GET', '/v1/events/parked', reader)).status).toBe(403);
    });
  },
);
