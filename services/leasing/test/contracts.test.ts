import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { eventually } from '@lessor/events/testing';
import { testBackends } from '@lessor/service-kit/testing';
import { exampleCalculation, startLeasingWorld, type LeasingWorld } from './harness.ts';

describe.each(testBackends())('leasing contracts on %s', (backend) => {
  let world: LeasingWorld;

  beforeAll(async () => {
    world = await startLeasingWorld(backend);
  });
  afterAll(async () => world?.close());

  /** A draft contract on fresh reference data, made by the author. */
  async function draft(options: { kyc?: string } = {}) {
    const seeded = await world.seed(options);
    const calculation = await world.call(
      'POST',
      '/v1/calculations',
      world.author,
      exampleCalculation(seeded.productId),
    );
    expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
    const contract = await world.call('POST', '/v1/contracts', world.author, {
      calculationId: calculation.body.id,
      partyId: seeded.partyId,
      assetId: seeded.assetId,
    });
    expect(contract.status, JSON.stringify(contract.body)).toBe(201);
    return { ...seeded, calculationId: calculation.body.id, contract: contract.body };
  }

  const move = (id: string, action: string, token: string, body: object = {}) =>
    world.call('POST', `/v1/contracts/${id}/${action}`, token, body);

  it('should run a contract from draft to closed when each step is allowed, publishing each', async () => {
    const { contract, assetId } = await draft();
    expect(contract.status).toBe('draft');
    expect(contract.number).toMatch(/^LC-LESSOR-2026-\d{6}$/);
    expect(contract.party).toMatchObject({ name: expect.stringContaining('Muster Logistik'), stale: false });
    expect(contract.asset.name).toContain('Volkswagen ID.4');
    expect(contract.financedAmount).toEqual({ amount: '96000.00', currency: 'EUR' });

    expect((await move(contract.id, 'approve', world.approver)).body.status).toBe('approved');
    expect((await move(contract.id, 'sign', world.author)).body.status).toBe('signed');
    // Assets follows the contract's events through the bus: reserved on signing.
    await eventually(async () => {
      const asset = await world.assets('GET', `/v1/assets/${assetId}`, world.author);
      expect(asset.body.status).toBe('reserved');
      return true;
    });
    const active = await move(contract.id, 'activate', world.author, { businessDate: '2026-01-31' });
    expect(active.status, JSON.stringify(active.body)).toBe(200);
    expect(active.body.status).toBe('active');
    await eventually(async () => {
      expect((await world.assets('GET', `/v1/assets/${assetId}`, world.author)).body.status).toBe('leased');
      return true;
    });

    const early = await move(contract.id, 'close', world.author, {
      businessDate: '2027-06-30',
      buyout: false,
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/runs until 2029-01-31/);
    const closed = await move(contract.id, 'close', world.author, {
      businessDate: '2029-01-31',
      buyout: true,
    });
    expect(closed.body.status).toBe('closed');

    const history = await world.call('GET', `/v1/contracts/${contract.id}/history`, world.author);
    expect(history.body.items.map((item: { to: string }) => item.to)).toEqual([
      'approved',
      'signed',
      'active',
      'closed',
    ]);
    const events = (await world.outbox()).filter((event) => event.subject === contract.id);
    expect(events.map((event) => event.type)).toEqual([
      'lessor.leasing.contract.created.v1',
      'lessor.leasing.contract.approved.v1',
      'lessor.leasing.contract.signed.v1',
      'lessor.leasing.contract.activated.v1',
      'lessor.leasing.contract.closed.v1',
    ]);
    const activated = events[3]!.data as any;
    expect(activated.schedule.installments).toHaveLength(36);
    expect(activated.schedule.version).toBe(1);
    expect(activated.contract.paymentReference).toBe(contract.paymentReference);
    expect(events[1]!.actor).toBe('user-approver');
    await eventually(async () => {
      expect((await world.assets('GET', `/v1/assets/${assetId}`, world.author)).body.status).toBe('sold');
      return true;
    });
  });

  it('should refuse approval by the contract’s author when four eyes apply', async () => {
    const { contract } = await draft();
    const answer = await move(contract.id, 'approve', world.author);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('FOUR_EYES_REQUIRED');
    const rejected = await move(contract.id, 'reject', world.author, { reason: 'self' });
    expect(rejected.body.code).toBe('FOUR_EYES_REQUIRED');
    expect((await world.call('GET', `/v1/contracts/${contract.id}`, world.author)).body.status).toBe('draft');
  });

  it('should refuse each forbidden transition and change nothing', async () => {
    const { contract } = await draft();
    const forbidden: [string, object][] = [
      ['sign', {}],
      ['activate', {}],
      ['close', { buyout: false }],
      ['default', { reason: 'x' }],
    ];
    for (const [action, body] of forbidden) {
      const answer = await move(contract.id, action, world.approver, body);
      expect(answer.status, action).toBe(409);
      expect(answer.body.code).toBe('CONTRACT_TRANSITION_REFUSED');
    }
    await move(contract.id, 'approve', world.approver);
    for (const [action, body] of [
      ['approve', {}],
      ['activate', {}],
      ['reject', { reason: 'late' }],
    ] as const) {
      expect((await move(contract.id, action, world.approver, body)).status, action).toBe(409);
    }
    await move(contract.id, 'sign', world.author);
    await move(contract.id, 'activate', world.author);
    for (const [action, body] of [
      ['approve', {}],
      ['sign', {}],
      ['activate', {}],
    ] as const) {
      expect((await move(contract.id, action, world.approver, body)).status, action).toBe(409);
    }
    const read = await world.call('GET', `/v1/contracts/${contract.id}`, world.author);
    expect(read.body.status).toBe('active');
    expect(
      (
        await world.call(
          'PATCH',
          `/v1/contracts/${contract.id}`,
          world.author,
          { penaltyRate: '0.1' },
          { 'if-match': read.headers.etag as string },
        )
      ).status,
    ).toBe(409);
  });

  it('should refuse each transition without its permission', async () => {
    const { contract } = await draft();
    const writer = await world.token(['leasing:contracts:write', 'leasing:contracts:read'], 'user-writer');
    expect((await move(contract.id, 'approve', writer)).status).toBe(403);
    expect((await move(contract.id, 'approve', undefined as never)).status).toBe(401);
  });

  it('should refuse approval when the party’s KYC is not verified', async () => {
    const { contract } = await draft({ kyc: 'pending' });
    const answer = await move(contract.id, 'approve', world.approver);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('PARTY_NOT_ELIGIBLE');
  });

  it('should refuse a second contract on an asset a live contract holds, naming that contract', async () => {
    const { contract, assetId, partyId, calculationId } = await draft();
    const again = await world.call('POST', '/v1/contracts', world.author, {
      calculationId,
      partyId,
      assetId,
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('ASSET_NOT_AVAILABLE');
    expect(again.body.detail).toContain(contract.number);
    expect(again.body.holder).toEqual({ id: contract.id, number: contract.number, status: 'draft' });
    expect(again.body.errors).toEqual([
      { field: '/body/assetId', message: `held by contract ${contract.number}` },
    ]);
  });

  it('should refuse references that do not exist, naming the field', async () => {
    const { partyId, calculationId } = await draft();
    const missing = '0190a5c4-0000-7000-8000-000000000000';
    const answer = await world.call('POST', '/v1/contracts', world.author, {
      calculationId,
      partyId,
      assetId: missing,
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ field: '/body/assetId', message: 'no such asset' }]);
    const noCalc = await world.call('POST', '/v1/contracts', world.author, {
      calculationId: missing,
      partyId,
      assetId: missing,
    });
    expect(noCalc.body.errors[0].field).toBe('/body/calculationId');
  });

  it('should quote and execute an early termination when the contract is active', async () => {
    const { contract } = await draft();
    await move(contract.id, 'approve', world.approver);
    await move(contract.id, 'sign', world.author);
    await move(contract.id, 'activate', world.author);
    const schedule = await world.call('GET', `/v1/contracts/${contract.id}/schedule`, world.author);
    const afterTwelve = schedule.body.schedule[11].balance.amount;
    const quote = await world.call('POST', `/v1/contracts/${contract.id}/termination-quotes`, world.author, {
      terminationDate: '2027-02-15',
      feePercent: '2',
    });
    expect(quote.status, JSON.stringify(quote.body)).toBe(201);
    expect(quote.body.remainingPrincipal.amount).toBe(afterTwelve);
    expect(new Decimal(quote.body.accruedInterest.amount).gt(0)).toBe(true);
    expect(quote.body.fee.amount).toBe(new Decimal(afterTwelve).times(0.02).toFixed(2));
    const total = ['remainingPrincipal', 'accruedInterest', 'fee', 'feeVat', 'overdue'].reduce(
      (sum, key) => sum.plus(quote.body[key].amount),
      new Decimal(0),
    );
    expect(quote.body.total.amount).toBe(total.toFixed(2));

    const terminated = await world.call('POST', `/v1/contracts/${contract.id}/terminate`, world.author, {
      quoteId: quote.body.id,
    });
    expect(terminated.status, JSON.stringify(terminated.body)).toBe(200);
    expect(terminated.body.status).toBe('terminated');
    const again = await world.call('POST', `/v1/contracts/${contract.id}/terminate`, world.author, {
      quoteId: quote.body.id,
    });
    expect(again.status).toBe(409);
    const [event] = await world.outbox('lessor.leasing.contract.terminated.v1');
    expect((event!.data as any).settlement.total.amount).toBe(quote.body.total.amount);
  });

  it('should restructure an active contract from a date, keeping what fell due before it', async () => {
    const { contract } = await draft();
    await move(contract.id, 'approve', world.approver);
    await move(contract.id, 'sign', world.author);
    await move(contract.id, 'activate', world.author);
    const before = (await world.call('GET', `/v1/contracts/${contract.id}/schedule`, world.author)).body;
    const answer = await world.call('POST', `/v1/contracts/${contract.id}/restructure`, world.author, {
      fromDate: '2027-01-01',
      termMonths: 36,
      annualRate: '7.5',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.scheduleVersion).toBe(2);
    const after = (await world.call('GET', `/v1/contracts/${contract.id}/schedule`, world.author)).body;
    expect(after.version).toBe(2);
    expect(after.schedule.slice(0, 11)).toEqual(before.schedule.slice(0, 11));
    expect(after.schedule).toHaveLength(11 + 36);
    expect(after.schedule.at(-1).balance.amount).toBe('10000.00');
    const old = (await world.call('GET', `/v1/contracts/${contract.id}/schedule?version=1`, world.author))
      .body;
    expect(old.schedule).toEqual(before.schedule);
    const [event] = (await world.outbox('lessor.leasing.contract.restructured.v1')).filter(
      (e) => e.subject === contract.id,
    );
    expect((event!.data as any).schedule.version).toBe(2);
  });

  it('should show the new party name in lists when parties publishes a rename', async () => {
    const { contract, partyId } = await draft();
    const party = await world.parties('GET', `/v1/parties/${partyId}`, world.author);
    const renamed = await world.parties(
      'PATCH',
      `/v1/parties/${partyId}`,
      world.author,
      { name: 'Renamed Logistik GmbH' },
      { 'if-match': party.headers.etag as string },
    );
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    await eventually(async () => {
      const list = await world.call('GET', `/v1/contracts?partyId=${partyId}`, world.author);
      return list.body.items[0]?.party.name === 'Renamed Logistik GmbH';
    });
    const read = await world.call('GET', `/v1/contracts/${contract.id}`, world.author);
    expect(read.body.version).toBe(contract.version);
  });

  it('should answer reads from its own copy of the names and refuse writes with 503 when parties is down', async () => {
    const { contract, assetId, calculationId } = await draft();
    const before = (await world.outbox()).length;
    const count = (await world.call('GET', '/v1/contracts?limit=200', world.author)).body.items.length;

    await world.stopParties();
    const read = await world.call('GET', `/v1/contracts/${contract.id}`, world.author);
    expect(read.status).toBe(200);
    expect(read.body.party).toEqual(contract.party);
    expect(read.body.party).toMatchObject({ name: expect.stringContaining('Muster'), stale: false });
    const list = await world.call('GET', '/v1/contracts', world.author);
    expect(list.status).toBe(200);
    // `names=stored` is still accepted from older callers; every read is from leasing's copy now.
    const stored = await world.call('GET', `/v1/contracts/${contract.id}?names=stored`, world.author);
    expect(stored.body.party).toEqual(read.body.party);
    const withSchedule = await world.call(
      'GET',
      `/v1/contracts/${contract.id}?include=schedule`,
      world.author,
    );
    expect(withSchedule.body.schedule).toMatchObject({ contractId: contract.id, version: 1 });
    expect(withSchedule.body.schedule.schedule).toHaveLength(36);
    expect(read.body.schedule).toBeUndefined();

    const write = await world.call('POST', '/v1/contracts', world.author, {
      calculationId,
      partyId: contract.party.id,
      assetId,
    });
    expect(write.status).toBe(503);
    expect(write.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(write.body.code).toBe('PARTIES_UNAVAILABLE');
    expect(write.body.detail).toMatch(/parties could not confirm/);
    const approve = await move(contract.id, 'approve', world.approver);
    expect(approve.status).toBe(503);
    expect(approve.body.code).toBe('PARTIES_UNAVAILABLE');
    expect((await world.call('GET', `/v1/contracts/${contract.id}`, world.author)).body.status).toBe('draft');
    expect((await world.outbox()).length).toBe(before);
    expect((await world.call('GET', '/v1/contracts?limit=200', world.author)).body.items.length).toBe(count);
  });
});
