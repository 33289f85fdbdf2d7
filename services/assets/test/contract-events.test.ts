import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { eventConsumers } from '@lessor/event-catalog';
import {
  createInProcessTransport,
  createRabbitTransport,
  eventMigrations,
  type EventEnvelope,
  type Transport,
} from '@lessor/events';
import { deleteTestNamespace, eventually, readOutbox, testAmqpUrl } from '@lessor/events/testing';
import { migrate, openDatabase, ServiceEvents, type Database } from '@lessor/service-kit';
import {
  createTestDatabase,
  testBackends,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { aCar, startAssets, type AssetsHarness } from './harness.ts';

const silent = pino({ level: 'silent' });
const amqpUrl = testAmqpUrl();
const RETRY_DELAYS_MS = [50, 100];
const LEASING_ACTOR = '0193a1b2-0000-7000-8000-00000000ae01';
// Embedded: the in-process bus, as `npm start` runs. Distributed: RabbitMQ when it answers, as CI runs it.
const setups: { backend: Backend; broker: 'in-process' | 'rabbitmq' }[] = [];
for (const backend of testBackends()) {
  setups.push({ backend, broker: 'in-process' });
  if (amqpUrl) setups.push({ backend, broker: 'rabbitmq' });
}

type Verb = 'signed' | 'activated' | 'closed' | 'terminated';
const money = (amount: string) => ({ amount, currency: 'EUR' });

/** A contract as leasing's events carry it (every field the catalogue asks for). */
function contractOf(assetId: string, number: string) {
  return {
    id: randomUUID(),
    number,
    legalEntity: 'Lessor Leasing GmbH',
    status: 'approved' as string,
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
type Contract = ReturnType<typeof contractOf>;

const TRANSITIONS: Record<Verb, { from: string; to: string }> = {
  signed: { from: 'approved', to: 'signed' },
  activated: { from: 'signed', to: 'active' },
  closed: { from: 'active', to: 'closed' },
  terminated: { from: 'active', to: 'terminated' },
};

function dataOf(verb: Verb, contract: Contract, buyout: boolean) {
  const { from, to } = TRANSITIONS[verb];
  const base = {
    contractId: contract.id,
    from,
    to,
    businessDate: '2026-06-15',
    contract: { ...contract, status: to },
  };
  switch (verb) {
    case 'activated':
      return {
        ...base,
        schedule: {
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
        },
      };
    case 'closed':
      return { ...base, buyout };
    case 'terminated':
      return {
        ...base,
        settlement: {
          terminationDate: '2026-06-15',
          remainingPrincipal: money('20000.00'),
          accruedInterest: money('98.36'),
          fee: money('400.00'),
          feeVat: money('76.00'),
          overdue: money('0.00'),
          total: money('20574.36'),
        },
      };
    default:
      return base;
  }
}

describe.each(setups)(
  'assets following leasing’s contract events on $backend with the $broker transport',
  ({ backend, broker }) => {
    const namespace = `test-assets-${Date.now().toString(36)}`;
    let assetsDb: TestDatabase<unknown>;
    let leasingDb: Database<unknown>;
    let leasing: ServiceEvents;
    const transports: Transport[] = [];
    let assets: AssetsHarness;
    let admin: string;

    beforeAll(async () => {
      assetsDb = await createTestDatabase(backend, { schema: 'assets' });
      // Leasing's outbox in its own schema of the same database, as in embedded mode (in production: its own
      // database); it publishes through the real transport, exactly as the leasing service does.
      leasingDb = await openDatabase<unknown>({ schema: 'leasing', url: assetsDb.url });
      await migrate(leasingDb, eventMigrations);
      if (broker === 'rabbitmq') {
        transports.push(
          createRabbitTransport({ url: amqpUrl!, namespace, connectionName: 'leasing' }),
          createRabbitTransport({ url: amqpUrl!, namespace, connectionName: 'assets' }),
        );
      } else {
        // One bus object for the process, as in embedded mode: its wake-ups reach every consumer at once.
        const bus = createInProcessTransport({ db: assetsDb.db });
        transports.push(bus, bus);
      }
      leasing = new ServiceEvents(
        'leasing',
        leasingDb.db,
        { transport: transports[0]! },
        silent,
        new Registry(),
      );
      await leasing.start();
      assets = await startAssets(backend, {
        database: assetsDb,
        transport: transports[1]!,
        eventRetryDelaysMs: RETRY_DELAYS_MS,
      });
      admin = await assets.token(['assets:*:*']);
    });

    afterAll(async () => {
      await assets?.close();
      await leasing?.stop();
      for (const transport of new Set(transports)) await transport.close();
      await leasingDb?.close();
      await assetsDb?.dispose();
      if (broker === 'rabbitmq') {
        await deleteTestNamespace(amqpUrl!, namespace, ['assets'], RETRY_DELAYS_MS);
        const others = eventConsumers.map((consumer) => consumer.service).filter((name) => name !== 'assets');
        await deleteTestNamespace(amqpUrl!, namespace, others).catch(() => {});
      }
    });

    /** Leasing publishes a contract event from its outbox, in a transaction, as its use cases do. */
    async function publish(verb: Verb, contract: Contract, buyout = false): Promise<EventEnvelope> {
      const envelope = await leasingDb.db.transaction().execute((trx) =>
        leasing.publish(trx, {
          type: `lessor.leasing.contract.${verb}.v1`,
          subject: contract.id,
          data: dataOf(verb, contract, buyout),
          actor: LEASING_ACTOR,
        }),
      );
      leasing.relay.wake();
      return envelope;
    }

    const asset = async (id: string) => (await assets.call('GET', `/v1/assets/${id}`, admin)).body;
    const history = async (id: string) =>
      (await assets.call('GET', `/v1/assets/${id}/status-history?limit=50`, admin)).body.items;
    const untilStatus = (id: string, status: string) =>
      eventually(
        async () => {
          const current = await asset(id);
          if (current.status !== status) throw new Error(`asset is ${current.status}, waiting for ${status}`);
          return current;
        },
        { timeoutMs: 20_000 },
      );
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

      // The very same envelope again, through the broker: the inbox knows its id.
      const duplicates = await settled('duplicate');
      const [stored] = await readOutbox(leasingDb.db, { type: signed.type }).then((events) =>
        events.filter((event) => event.id === signed.id),
      );
      await transports[0]!.publish([stored!]);
      await eventually(async () => (await settled('duplicate')) > duplicates, { timeoutMs: 20_000 });

      // The same fact under a new id (a second signed event of the contract): handled, but already done.
      const handled = await settled('handled');
      await publish('signed', contract);
      await eventually(async () => (await settled('handled')) > handled, { timeoutMs: 20_000 });

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
      await eventually(async () => ((await asset(id)).contractId === contract.id ? true : undefined), {
        timeoutMs: 20_000,
      });
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

      const parked = await eventually(
        async () => {
          const page = (await assets.call('GET', '/v1/events/parked?status=parked', admin)).body;
          return page.items.find((item: { eventId: string }) => item.eventId === conflicting.id);
        },
        { timeoutMs: 20_000 },
      );
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
      const parked = await eventually(
        async () => {
          const page = (await assets.call('GET', '/v1/events/parked', admin)).body;
          return page.items.find((item: { eventId: string }) => item.eventId === event.id);
        },
        { timeoutMs: 20_000 },
      );
      expect(parked.reason).toContain('not in the register');
    });

    it('should refuse the parked events to a caller without assets:events:read', async () => {
      const reader = await assets.token(['assets:assets:read']);
      expect((await assets.call('GET', '/v1/events/parked', reader)).status).toBe(403);
    });
  },
);
