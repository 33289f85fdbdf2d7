import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { pino } from 'pino';
import { partiesEvents } from '@lessor/event-catalog';
import type { ConsumedEvent } from '@lessor/service-kit';
import { testBackends } from '@lessor/service-kit/testing';
import type { LeasingDatabase } from '../src/database.ts';
import { onPartyUpdated } from '../src/event-handlers/on-reference-updated.handler.ts';
import { authorAndApprover, exampleCalculation, seed, startLeasing, type Leasing } from './fixtures.ts';

/**
 * Issue 13 item 2: reads never wait on a neighbour. leasing keeps its own copy of the party and asset names its
 * contracts show (kept by parties' and assets' events, each with the time it was last updated) and calls
 * parties or assets only for a write that needs a fresh check.
 */
describe.each(testBackends())('leasing references on %s', (backend) => {
  let leasing: Leasing;
  let author: string;
  let approver: string;

  beforeAll(async () => {
    leasing = await startLeasing(backend);
    ({ author, approver } = await authorAndApprover(leasing));
  });
  afterAll(async () => leasing?.close());

  async function draft() {
    const seeded = await seed(leasing, author);
    const calculation = await leasing.call(
      'POST',
      '/v1/calculations',
      author,
      exampleCalculation(seeded.productId),
    );
    expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
    const contract = await leasing.call('POST', '/v1/contracts', author, {
      calculationId: calculation.body.id,
      partyId: seeded.partyId,
      assetId: seeded.assetId,
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    return { ...seeded, calculationId: calculation.body.id, contract: contract.body };
  }

  /** Calls leasing made to parties and assets so far, as its http-client counts them in leasing's metrics. */
  async function outgoingCalls(): Promise<number> {
    const metric = leasing.app.metrics.getSingleMetric('lessor_upstream_request_duration_seconds');
    if (!metric) return 0;
    const { values } = await metric.get();
    return values
      .filter(
        (value) =>
          (value as { metricName?: string }).metricName === 'lessor_upstream_request_duration_seconds_count',
      )
      .reduce((sum, value) => sum + value.value, 0);
  }

  it('should show the new name with a newer asOf when parties publishes a rename', async () => {
    const { contract, partyId } = await draft();
    expect(contract.party).toMatchObject({ id: partyId, name: expect.stringContaining('Muster Logistik') });
    const first = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    const firstAsOf = Date.parse(first.body.party.asOf);
    expect(firstAsOf).not.toBeNaN();

    const party = await leasing.service('parties').call('GET', `/v1/parties/${partyId}`, author);
    const renamed = await leasing
      .service('parties')
      .call(
        'PATCH',
        `/v1/parties/${partyId}`,
        author,
        { name: 'Umbenannt Logistik GmbH' },
        { 'if-match': party.headers.etag as string },
      );
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    await leasing.until(async () => {
      const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
      return read.body.party.name === 'Umbenannt Logistik GmbH';
    });
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    expect(read.body.party).toMatchObject({ id: partyId, name: 'Umbenannt Logistik GmbH', stale: false });
    expect(Date.parse(read.body.party.asOf)).toBeGreaterThan(firstAsOf);
    // A rename is not a change of the contract: its version and events stay as they were.
    expect(read.body.version).toBe(contract.version);
    const list = await leasing.call('GET', `/v1/contracts?partyId=${partyId}`, author);
    expect(list.body.items[0].party).toEqual(read.body.party);
  });

  it('should keep the newer name when an older event arrives late', async () => {
    const { contract, partyId } = await draft();
    const db = leasing.db<LeasingDatabase>();
    const party = {
      id: partyId,
      kind: 'company' as const,
      name: 'x',
      country: 'DE',
      taxId: null,
      kycStatus: 'verified' as const,
      legalForm: 'GmbH',
      registrationNumber: null,
    };
    const event = (name: string, time: string): ConsumedEvent<typeof partiesEvents.partyUpdated> => ({
      specversion: '1.0',
      id: `evt-${name}`,
      source: '/lessor/parties',
      type: partiesEvents.partyUpdated.type,
      subject: partyId,
      time,
      datacontenttype: 'application/json',
      data: {
        entityType: 'party',
        entityId: partyId,
        before: party,
        after: { ...party, name },
        changed: ['name'],
      },
    });
    // As the consumer applies them, in its transaction; here one after the other, the older one last.
    const context = { trx: db, log: pino({ level: 'silent' }), attempt: 1 };
    await onPartyUpdated(event('Neu GmbH', '2099-01-01T00:00:00.000Z'), context);
    await onPartyUpdated(event('Alt GmbH', '2098-01-01T00:00:00.000Z'), context);
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    expect(read.body.party).toMatchObject({ name: 'Neu GmbH', asOf: '2099-01-01T00:00:00.000Z' });
  });

  it('should answer a read with the id and a null name marked not yet known when no event has come', async () => {
    const { contract, assetId } = await draft();
    // As if the contract came before leasing had heard of its asset (a copy lost, an event still on its way).
    await sql`delete from asset_names where id = ${assetId}`.execute(leasing.db<unknown>());
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    expect(read.status).toBe(200);
    expect(read.body.asset).toEqual({
      id: assetId,
      name: null,
      asOf: null,
      stale: true,
      reason: 'not yet known: no event from assets has reached leasing',
    });
  });

  it('should answer reads from its own copy without calling anyone when parties and assets are down, and refuse a write with 503 PARTIES_UNAVAILABLE', async () => {
    const { contract, calculationId, assetId } = await draft();
    const other = await draft();
    const before = (await leasing.outbox()).length;
    const calls = await outgoingCalls();

    await leasing.service('parties').stop();
    await leasing.service('assets').stop();
    const started = performance.now();
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    const list = await leasing.call('GET', '/v1/contracts?limit=200', author);
    const elapsed = performance.now() - started;

    expect(read.status).toBe(200);
    expect(read.body.party).toEqual({ ...contract.party, stale: false });
    expect(read.body.asset).toEqual({ ...contract.asset, stale: false });
    expect(read.body.party.asOf).toEqual(expect.any(String));
    expect(list.status).toBe(200);
    const listed = list.body.items.find((item: { id: string }) => item.id === other.contract.id);
    expect(listed.party).toMatchObject({ id: other.partyId, name: other.contract.party.name, stale: false });
    expect(listed.asset).toMatchObject({ id: other.assetId, name: other.contract.asset.name, stale: false });
    expect(await outgoingCalls()).toBe(calls);
    // Generous for a shared 2-core machine; a call that waited for a deadline would take seconds here.
    expect(elapsed).toBeLessThan(1000);

    const write = await leasing.call('POST', '/v1/contracts', author, {
      calculationId,
      partyId: contract.party.id,
      assetId,
    });
    expect(write.status).toBe(503);
    expect(write.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(write.headers['retry-after']).toBe('5');
    expect(write.body.code).toBe('PARTIES_UNAVAILABLE');
    expect(write.body.detail).toMatch(/parties could not confirm/);
    const approve = await leasing.call('POST', `/v1/contracts/${contract.id}/approve`, approver, {});
    expect(approve.status).toBe(503);
    expect(approve.body.code).toBe('PARTIES_UNAVAILABLE');
    expect((await leasing.call('GET', `/v1/contracts/${contract.id}`, author)).body.status).toBe('draft');
    expect((await leasing.outbox()).length).toBe(before);
  });
});
