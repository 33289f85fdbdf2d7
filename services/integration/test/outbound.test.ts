import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leasingEvents, type EventDataOf } from '@lessor/event-catalog';
import type { EventEnvelope } from '@lessor/events';
import {
  startTestService,
  testSetups,
  type TestService,
  type TestSetup,
  type TestServices,
} from '@lessor/service-kit/testing';
import { integrationService } from '../src/integration.service.ts';
import {
  seededAccount,
  seededBusinessPartner,
  startODataPeer,
  type ODataPeer,
  type PeerRequest,
} from './peers/index.ts';

// Lessor → CRM against the real CAP peer (test/peers): leasing's contract events, published from a real leasing
// outbox, update the lessee's account (OData v4) and business partner (OData v2). The lessee's links are written
// as the inbound sync leaves them (party_links), each test on its own seeded records.

type World = TestServices & TestService;

const LEASING_ACTOR = '0193a1b2-0000-7000-8000-00000000ae05';
const PERMISSIONS = ['integration:*:*'];

let peer: ODataPeer;

beforeAll(async () => {
  peer = await startODataPeer({ accounts: 40, businessPartners: 40 });
}, 120_000);
afterAll(async () => peer?.stop());

/** integration with a Dynamics (v4, OAuth2) and an SAP (v2, basic) CRM connector on the peer. */
async function startWorld(setup: TestSetup | undefined, eventRetryDelaysMs?: readonly number[]) {
  const world = await startTestService(integrationService, {
    ...(setup ? { setup } : {}),
    publishers: ['leasing'],
    env: testEnv(),
    ...(eventRetryDelaysMs ? { eventRetryDelaysMs } : {}),
  });
  const admin = await world.token(PERMISSIONS, 'user-integration-admin', 'Ida Integration');
  const connector = async (body: Record<string, unknown>) => {
    const answer = await world.call('POST', '/v1/connectors', admin, body);
    if (answer.status !== 201) throw new Error(`connector not created: ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  };
  const dynamics = await connector({
    name: 'Dynamics',
    kind: 'crm',
    protocol: 'odata-v4',
    baseUrl: peer.dynamics,
    auth: {
      kind: 'oauth2',
      tokenUrl: peer.tokenUrl,
      clientId: peer.clientId,
      clientSecret: peer.clientSecret,
    },
    mapping: { preset: 'dynamics' },
  });
  const sap = await connector({
    name: 'SAP',
    kind: 'crm',
    protocol: 'odata-v2',
    baseUrl: peer.sap,
    auth: { kind: 'basic', username: peer.basic.username, password: peer.basic.password },
    mapping: { preset: 'sap-business-partner' },
  });
  return { world, admin, dynamics, sap };
}

/** What integration reads beyond the runner's defaults: the credentials key (a test key, never a real one). */
function testEnv(): Record<string, string> {
  return { INTEGRATION_CREDENTIALS_KEYS: `test:${Buffer.alloc(32, 7).toString('base64')}` };
}

let seq = 0;

/** A contract of a lessee as leasing's events carry it. */
function aContract(partyId: string) {
  seq += 1;
  const number = `LC-OUT-2026-${String(seq).padStart(6, '0')}-${randomUUID().slice(0, 4)}`;
  return {
    id: randomUUID(),
    number,
    legalEntity: 'LESSOR',
    status: 'signed' as const,
    partyId,
    assetId: randomUUID(),
    productId: randomUUID(),
    calculationId: randomUUID(),
    currency: 'EUR',
    assetPrice: '4000.00',
    advance: '1000.00',
    financedAmount: '3000.00',
    residualValue: '0.00',
    termMonths: 1,
    annualRate: '20',
    vatRate: '20',
    penaltyRate: '0.1',
    scheduleType: 'annuity',
    startDate: '2026-01-31',
    scheduleVersion: 1,
    paymentReference: `RF${number}`,
  };
}
type Contract = ReturnType<typeof aContract>;

const signed = (contract: Contract, businessDate = '2026-01-20') =>
  [
    leasingEvents.contractSigned,
    {
      contractId: contract.id,
      from: 'approved',
      to: 'signed',
      businessDate,
      contract: { ...contract, status: 'signed' },
    },
    LEASING_ACTOR,
  ] as [typeof leasingEvents.contractSigned, EventDataOf<typeof leasingEvents.contractSigned>, string];

const activated = (contract: Contract, businessDate = '2026-01-31') =>
  [
    leasingEvents.contractActivated,
    {
      contractId: contract.id,
      from: 'signed',
      to: 'active',
      businessDate,
      contract: { ...contract, status: 'active' },
      schedule: {
        version: 1,
        effectiveFrom: '2026-01-31',
        currency: 'EUR',
        installments: [
          {
            n: 1,
            dueDate: '2026-02-28',
            principal: '3000.00',
            interest: '50.00',
            vat: '610.00',
            payment: '3050.00',
            balance: '0.00',
          },
        ],
        totals: { payments: '3050.00', principal: '3000.00', interest: '50.00', vat: '610.00' },
      },
    },
    LEASING_ACTOR,
  ] as [typeof leasingEvents.contractActivated, EventDataOf<typeof leasingEvents.contractActivated>, string];

const eur = (amount: string) => ({ amount, currency: 'EUR' });
const terminated = (contract: Contract, businessDate = '2026-02-15') =>
  [
    leasingEvents.contractTerminated,
    {
      contractId: contract.id,
      from: 'active',
      to: 'terminated',
      businessDate,
      contract: { ...contract, status: 'terminated' },
      settlement: {
        terminationDate: businessDate,
        remainingPrincipal: eur('3000.00'),
        accruedInterest: eur('10.00'),
        fee: eur('100.00'),
        feeVat: eur('20.00'),
        overdue: eur('0.00'),
        total: eur('3130.00'),
      },
    },
    LEASING_ACTOR,
  ] as [
    typeof leasingEvents.contractTerminated,
    EventDataOf<typeof leasingEvents.contractTerminated>,
    string,
  ];

/** The lessee linked to a CRM record, as the inbound sync links a party it brought in. */
async function link(world: World, connectorId: string, remoteId: string, partyId: string) {
  await sql`insert into party_links (connector_id, remote_id, party_id, remote_snapshot)
    values (${connectorId}::uuid, ${remoteId}, ${partyId}::uuid, '{}'::jsonb)`.execute(world.db());
}

/** The peer's requests to one record (its key in the URL), in order. */
async function requestsTo(key: string): Promise<PeerRequest[]> {
  return (await peer.control.requests()).filter((request) => request.url.includes(key));
}
const writes = (requests: PeerRequest[]) => requests.filter((request) => request.method !== 'GET');

async function outboundOf(world: World, admin: string, query: string) {
  const answer = await world.call('GET', `/v1/outbound?${query}`, admin);
  expect(answer.status).toBe(200);
  return answer.body.items as any[];
}

/** How many deliveries the consumer settled with this outcome (`duplicate`, `handled`…): its own metrics. */
async function consumedWith(world: World, outcome: string): Promise<number> {
  const metric = await world.app.metrics.getSingleMetric('lessor_events_consumed_total')?.get();
  return (metric?.values ?? [])
    .filter((value) => value.labels.outcome === outcome)
    .reduce((sum, value) => sum + value.value, 0);
}

describe.each(testSetups())('outbound to CRM on $backend with the $broker transport', (setup) => {
  let world: World;
  let admin: string;
  let dynamics: string;
  let sap: string;
  let record = 0;
  /** A lessee linked to fresh seeded records of both CRMs. */
  const nextRecord = () => record++ + (setup.broker === 'rabbitmq' ? 15 : 0);
  const aLinkedLessee = async (options: { sap?: boolean } = {}) => {
    const index = nextRecord();
    const account = seededAccount(index).accountid;
    const partner = seededBusinessPartner(index).BusinessPartner;
    const partyId = randomUUID();
    await link(world, dynamics, account, partyId);
    if (options.sap !== false) await link(world, sap, partner, partyId);
    return { partyId, account, partner };
  };

  beforeAll(async () => {
    ({ world, admin, dynamics, sap } = await startWorld(setup));
  }, 60_000);
  afterAll(async () => world?.close());

  it('should update the account by PATCH with If-Match and the business partner by MERGE with the CSRF token when a contract is activated', async () => {
    const { partyId, account, partner } = await aLinkedLessee();
    const contract = aContract(partyId);
    const event = await world.publish(...activated(contract));
    await world.handled(event);

    const stored = await peer.control.record('accounts', account);
    expect(stored).toMatchObject({ new_lessorcontract: contract.number, new_lessorstatus: 'active' });
    expect(Date.parse(String(stored?.new_lessorstatusdate))).toBe(Date.UTC(2026, 0, 31));
    expect(await peer.control.record('A_BusinessPartner', partner)).toMatchObject({
      YY1_LessorContract_bus: contract.number,
      YY1_LessorStatus_bus: 'active',
    });

    const [patch, ...morePatches] = writes(await requestsTo(account));
    expect(morePatches).toEqual([]);
    expect(patch).toMatchObject({ service: 'dynamics', method: 'PATCH', auth: 'bearer' });
    expect(patch?.status).toBeLessThan(300);
    expect(patch?.ifMatch).toMatch(/^W\/"/);
    const [merge, ...moreMerges] = writes(await requestsTo(partner));
    expect(moreMerges).toEqual([]);
    expect(merge).toMatchObject({ service: 'sap', auth: 'basic' });
    expect(['MERGE', 'PATCH', 'POST']).toContain(merge?.method);
    expect(merge?.status).toBeLessThan(300);
    expect(merge?.csrfToken).toBeTruthy();
    expect(merge?.csrfToken).not.toBe('Fetch');

    const entries = await outboundOf(world, admin, `contractId=${contract.id}`);
    expect(entries.map((entry) => [entry.connectorId, entry.status, entry.remoteId]).sort()).toEqual(
      [
        [dynamics, 'updated', account],
        [sap, 'updated', partner],
      ].sort(),
    );
    const dynamicsEntry = entries.find((entry) => entry.connectorId === dynamics);
    expect(dynamicsEntry).toMatchObject({
      eventId: event.id,
      eventType: 'lessor.leasing.contract.activated.v1',
      contractNumber: contract.number,
      contractStatus: 'active',
      statusDate: '2026-01-31',
      partyId,
      attempts: 1,
      fields: {
        new_lessorcontract: contract.number,
        new_lessorstatus: 'active',
        new_lessorstatusdate: '2026-01-31T00:00:00.000Z',
      },
    });
    expect(dynamicsEntry.etag).toBeTruthy();
  });

  it('should tell each of the lessee’s records in a CRM when the inbound sync linked two to one party', async () => {
    const { partyId, account } = await aLinkedLessee({ sap: false });
    const second = seededAccount(nextRecord()).accountid;
    await link(world, dynamics, second, partyId);
    const contract = aContract(partyId);
    await world.handled(await world.publish(...activated(contract)));

    for (const key of [account, second]) {
      expect(await peer.control.record('accounts', key)).toMatchObject({
        new_lessorcontract: contract.number,
        new_lessorstatus: 'active',
      });
      expect(writes(await requestsTo(key))).toHaveLength(1);
    }
    const entries = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(entries.map((entry) => [entry.remoteId, entry.status]).sort()).toEqual(
      [
        [account, 'updated'],
        [second, 'updated'],
      ].sort(),
    );
  });

  it('should update the CRM once when the same event is delivered twice', async () => {
    const { partyId, account } = await aLinkedLessee();
    const event = await world.publish(...signed(aContract(partyId)));
    await world.handled(event);
    const duplicates = await consumedWith(world, 'duplicate');

    await world.app.events!.transport.publish([event as EventEnvelope]);
    await world.until(async () => (await consumedWith(world, 'duplicate')) > duplicates, 'the redelivery');

    expect(writes(await requestsTo(account))).toHaveLength(1);
    const [entry] = await outboundOf(
      world,
      admin,
      `connectorId=${dynamics}&contractId=${event.data.contractId}`,
    );
    expect(entry).toMatchObject({ status: 'updated', attempts: 1 });
  });

  it('should not write again to a CRM that answered when an event another CRM refused is replayed', async () => {
    const { partyId, account, partner } = await aLinkedLessee();
    await peer.control.refuseWrites({ entity: 'A_BusinessPartner', key: partner, status: 400, times: 1 });
    const contract = aContract(partyId);
    const event = await world.publish(...signed(contract));

    // The delivery wrote the account, then met the partner refused: rolled back and parked at once (a refusal
    // is permanent), without retries.
    const parked = await world.until(async () => {
      const answer = await world.call('GET', '/v1/events/parked?status=parked', admin);
      return answer.body.items.find((item: any) => item.eventId === event.id);
    }, 'the refused event parked');
    expect(parked.attempts).toBe(1);
    const replay = await world.call('POST', `/v1/events/parked/${parked.id}/replay`, admin);
    expect(replay.status).toBeLessThan(300);

    // The replay found the account holding the fields and wrote only the partner.
    expect(writes(await requestsTo(account))).toHaveLength(1);
    expect(writes(await requestsTo(partner)).map((request) => request.status >= 300)).toEqual([true, false]);
    const entries = await outboundOf(world, admin, `contractId=${contract.id}`);
    expect(entries.find((entry) => entry.connectorId === dynamics)).toMatchObject({
      status: 'unchanged',
      attempts: 2,
      reason: expect.stringMatching(/holds these fields already/),
    });
    expect(entries.find((entry) => entry.connectorId === sap)).toMatchObject({
      status: 'updated',
      attempts: 2,
    });
    expect((await peer.control.record('accounts', account))?.new_lessorstatus).toBe('signed');
  });

  it('should retry the event when the CRM still throttles after the client’s own retries (429)', async () => {
    const { partyId, account } = await aLinkedLessee({ sap: false });
    // More 429s than one delivery's client attempts: the delivery fails, the consumer's retry gets through.
    await peer.control.throttle({ status: 429, times: 5, retryAfterSeconds: 0, service: 'dynamics' });
    const contract = aContract(partyId);
    await world.handled(await world.publish(...signed(contract)));

    const statuses = (await requestsTo(account)).map((request) => request.status);
    expect(statuses.filter((status) => status === 429).length).toBeGreaterThan(1);
    expect(statuses.at(-1)).toBeLessThan(300);
    expect((await peer.control.record('accounts', account))?.new_lessorstatus).toBe('signed');
    const [entry] = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(entry.status).toBe('updated');
    expect(entry.attempts).toBeGreaterThan(1);
  });

  it('should read the account again and write it when it changed between the read and the write (412)', async () => {
    const { partyId, account } = await aLinkedLessee();
    await peer.control.changeBetweenPages({
      entity: 'accounts',
      key: account,
      fields: { telephone1: '+49 30 5550100' },
    });
    const contract = aContract(partyId);
    const event = await world.publish(...activated(contract));
    await world.handled(event);

    const toAccount = await requestsTo(account);
    expect(toAccount.map((request) => [request.method, request.status])).toEqual([
      ['GET', 200],
      ['PATCH', 412],
      ['GET', 200],
      ['PATCH', expect.any(Number)],
    ]);
    expect(toAccount[3]?.ifMatch).not.toBe(toAccount[1]?.ifMatch);
    // The CRM user's change is kept, and ours is written over it.
    expect(await peer.control.record('accounts', account)).toMatchObject({
      telephone1: '+49 30 5550100',
      new_lessorcontract: contract.number,
      new_lessorstatus: 'active',
    });
    const [entry] = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(entry).toMatchObject({ status: 'updated', reason: expect.stringMatching(/412/) });
  });

  it('should hold back a status retried after a later one of the contract went through (superseded)', async () => {
    const { partyId, account } = await aLinkedLessee();
    const contract = aContract(partyId);
    await world.handled(await world.publish(...terminated(contract)));
    const late = await world.publish(...activated(contract));
    await world.handled(late);

    expect((await peer.control.record('accounts', account))?.new_lessorstatus).toBe('terminated');
    expect(writes(await requestsTo(account))).toHaveLength(1);
    const entries = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(entries.map((entry) => [entry.contractStatus, entry.status])).toEqual([
      ['active', 'superseded'],
      ['terminated', 'updated'],
    ]);
  });

  it('should park a refused update at once, without retries, show it on the parked events, and apply it when replayed', async () => {
    const { partyId, account } = await aLinkedLessee({ sap: false });
    await peer.control.refuseWrites({
      entity: 'accounts',
      key: account,
      status: 422,
      message: 'new_lessorstatus is locked',
    });
    const contract = aContract(partyId);
    const event = await world.publish(...signed(contract));

    const parked = await world.until(async () => {
      const answer = await world.call('GET', '/v1/events/parked?status=parked', admin);
      return answer.body.items.find((item: any) => item.eventId === event.id);
    }, 'the refused event parked');
    expect(parked.type).toBe('lessor.leasing.contract.signed.v1');
    expect(parked.reason).toMatch(/Dynamics refused \(422\)/);
    const [entry] = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(entry).toMatchObject({ status: 'refused', httpStatus: 422, attempts: 1 });
    expect(parked.attempts).toBe(1);
    const sapEntry = (await outboundOf(world, admin, `connectorId=${sap}&contractId=${contract.id}`))[0];
    expect(sapEntry).toBeUndefined();
    expect((await peer.control.record('accounts', account))?.new_lessorstatus).toBeNull();

    // The CRM's administrator lifts the lock; an admin replays the parked event.
    await peer.control.reset();
    const replay = await world.call('POST', `/v1/events/parked/${parked.id}/replay`, admin);
    expect(replay.status).toBeLessThan(300);
    expect((await peer.control.record('accounts', account))?.new_lessorstatus).toBe('signed');
    const [after] = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(after).toMatchObject({ status: 'updated', attempts: 2 });
  });

  it('should log a lessee without a link as skipped and call no CRM', async () => {
    const before = (await peer.control.requests()).length;
    const contract = aContract(randomUUID());
    const event = await world.publish(...activated(contract));
    await world.handled(event);

    const after = await peer.control.requests();
    expect(after.slice(before).filter((request) => request.service !== 'token')).toEqual([]);
    const entries = await outboundOf(world, admin, `contractId=${contract.id}&status=skipped`);
    expect(entries.map((entry) => entry.connectorId).sort()).toEqual([dynamics, sap].sort());
    expect(entries.every((entry) => /no link/.test(entry.reason) && entry.remoteId === null)).toBe(true);
  });

  it('should list the log by connector, status and contract, page by page, and refuse bad filters and missing permissions', async () => {
    const page = await world.call('GET', `/v1/outbound?connectorId=${dynamics}&limit=2`, admin);
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.items.every((entry: any) => entry.connectorId === dynamics)).toBe(true);
    const next = await world.call(
      'GET',
      `/v1/outbound?connectorId=${dynamics}&limit=2&cursor=${page.body.nextCursor}`,
      admin,
    );
    expect(next.status).toBe(200);
    expect(next.body.items.map((entry: any) => entry.id)).not.toContain(page.body.items[0].id);

    const one = await world.call('GET', `/v1/outbound/${page.body.items[0].id}`, admin);
    expect(one.body).toEqual(page.body.items[0]);
    expect((await world.call('GET', `/v1/outbound/${randomUUID()}`, admin)).status).toBe(404);

    const bad = await world.call('GET', '/v1/outbound?status=done&connectorId=nope', admin);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((error: any) => error.pointer ?? error.field ?? error.path).join(' ')).toMatch(
      /status|connectorId/,
    );
    const reader = await world.token(['integration:connectors:read']);
    expect((await world.call('GET', '/v1/outbound', reader)).status).toBe(403);
    expect((await world.call('GET', '/v1/outbound', undefined)).status).toBe(401);
  });
});

describe('outbound to CRM when the CRM is down', () => {
  let world: World;
  let admin: string;
  let dynamics: string;

  beforeAll(async () => {
    // Room for the peer to come back before the event's retries run out: short first retries, then longer.
    ({ world, admin, dynamics } = await startWorld(undefined, [50, 100, 3_000, 10_000, 30_000]));
  }, 60_000);
  afterAll(async () => world?.close());

  it('should retry while the CRM is down and apply the update when it is back', async () => {
    const account = seededAccount(35).accountid;
    const partyId = randomUUID();
    await link(world, dynamics, account, partyId);
    await peer.kill();
    const contract = aContract(partyId);
    const event = await world.publish(...terminated(contract));
    try {
      const [failed] = await world.until(async () => {
        const entries = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
        return entries[0]?.status === 'failed' ? entries : undefined;
      }, 'the CRM down logged');
      expect(failed.httpStatus).toBeNull();
    } finally {
      await peer.restart();
    }
    await world.handled(event);

    expect((await peer.control.record('accounts', account))?.new_lessorstatus).toBe('terminated');
    const [entry] = await outboundOf(world, admin, `connectorId=${dynamics}&contractId=${contract.id}`);
    expect(entry.status).toBe('updated');
    expect(entry.attempts).toBeGreaterThan(1);
    const parked = await world.call('GET', '/v1/events/parked', admin);
    expect(parked.body.items.map((item: any) => item.eventId)).not.toContain(event.id);
  });
});
