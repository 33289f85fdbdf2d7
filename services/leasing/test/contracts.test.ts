import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import { testBackends } from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { authorAndApprover, exampleCalculation, seed, startLeasing, type Leasing } from './fixtures.ts';

describe.each(testBackends())('leasing contracts on %s', (backend) => {
  let leasing: Leasing;
  let author: string;
  let approver: string;

  beforeAll(async () => {
    leasing = await startLeasing(backend);
    ({ author, approver } = await authorAndApprover(leasing));
  });
  afterAll(async () => leasing?.close());

  /** A draft contract on fresh reference data, made by the author through the typed client. */
  async function draft(options: { kyc?: string } = {}) {
    const seeded = await seed(leasing, author, options);
    const api = leasing.api<paths>(author);
    const calculation = await api.POST('/v1/calculations', { body: exampleCalculation(seeded.productId) });
    expect(calculation.response.status, JSON.stringify(calculation.error)).toBe(201);
    const calculationId = calculation.data!.id;
    const contract = await api.POST('/v1/contracts', {
      body: { calculationId, partyId: seeded.partyId, assetId: seeded.assetId },
    });
    expect(contract.response.status, JSON.stringify(contract.error)).toBe(201);
    return { ...seeded, calculationId, contract: contract.data! };
  }

  const move = (id: string, action: string, token: string, body: object = {}) =>
    leasing.call('POST', `/v1/contracts/${id}/${action}`, token, body);

  it('should run a contract from draft to closed when each step is allowed, publishing each', async () => {
    const { contract, assetId } = await draft();
    expect(contract.status).toBe('draft');
    expect(contract.number).toMatch(/^LC-LESSOR-2026-\d{6}$/);
    expect(contract.party).toMatchObject({ name: expect.stringContaining('Muster Logistik'), stale: false });
    expect(contract.asset.name).toContain('Volkswagen ID.4');
    expect(contract.financedAmount).toEqual({ amount: '96000.00', currency: 'EUR' });

    const path = { params: { path: { id: contract.id } } };
    const approved = await leasing
      .api<paths>(approver)
      .POST('/v1/contracts/{id}/approve', { ...path, body: {} });
    expect(approved.data?.status).toBe('approved');
    const api = leasing.api<paths>(author);
    expect((await api.POST('/v1/contracts/{id}/sign', { ...path, body: {} })).data?.status).toBe('signed');
    // Assets follows the contract's events through the bus: reserved on signing.
    await leasing.until(async () => {
      const asset = await leasing.service('assets').call('GET', `/v1/assets/${assetId}`, author);
      expect(asset.body.status).toBe('reserved');
      return true;
    });
    const active = await api.POST('/v1/contracts/{id}/activate', {
      ...path,
      body: { businessDate: '2026-01-31' },
    });
    expect(active.response.status, JSON.stringify(active.error)).toBe(200);
    expect(active.data?.status).toBe('active');
    await leasing.until(async () => {
      expect((await leasing.service('assets').call('GET', `/v1/assets/${assetId}`, author)).body.status).toBe(
        'leased',
      );
      return true;
    });

    const early = await move(contract.id, 'close', author, {
      businessDate: '2027-06-30',
      buyout: false,
    });
    expect(early.status).toBe(409);
    expect(early.body.detail).toMatch(/runs until 2029-01-31/);
    const closed = await api.POST('/v1/contracts/{id}/close', {
      ...path,
      body: { businessDate: '2029-01-31', buyout: true },
    });
    expect(closed.data?.status).toBe('closed');

    const history = await api.GET('/v1/contracts/{id}/history', path);
    expect(history.data?.items.map((item) => item.to)).toEqual(['approved', 'signed', 'active', 'closed']);
    const events = (await leasing.outbox()).filter((event) => event.subject === contract.id);
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
    await leasing.until(async () => {
      expect((await leasing.service('assets').call('GET', `/v1/assets/${assetId}`, author)).body.status).toBe(
        'sold',
      );
      return true;
    });
  });

  it('should refuse approval by the contract’s author when four eyes apply', async () => {
    const { contract } = await draft();
    const answer = await move(contract.id, 'approve', author);
    expect(answer.status).toBe(403);
    expect(answer.body.code).toBe('FOUR_EYES_REQUIRED');
    const rejected = await move(contract.id, 'reject', author, { reason: 'self' });
    expect(rejected.body.code).toBe('FOUR_EYES_REQUIRED');
    expect((await leasing.call('GET', `/v1/contracts/${contract.id}`, author)).body.status).toBe('draft');
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
      const answer = await move(contract.id, action, approver, body);
      expect(answer.status, action).toBe(409);
      expect(answer.body.code).toBe('CONTRACT_TRANSITION_REFUSED');
    }
    await move(contract.id, 'approve', approver);
    for (const [action, body] of [
      ['approve', {}],
      ['activate', {}],
      ['reject', { reason: 'late' }],
    ] as const) {
      expect((await move(contract.id, action, approver, body)).status, action).toBe(409);
    }
    await move(contract.id, 'sign', author);
    await move(contract.id, 'activate', author);
    for (const [action, body] of [
      ['approve', {}],
      ['sign', {}],
      ['activate', {}],
    ] as const) {
      expect((await move(contract.id, action, approver, body)).status, action).toBe(409);
    }
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    expect(read.body.status).toBe('active');
    expect(
      (
        await leasing.call(
          'PATCH',
          `/v1/contracts/${contract.id}`,
          author,
          { penaltyRate: '0.1' },
          { 'if-match': read.headers.etag as string },
        )
      ).status,
    ).toBe(409);
  });

  it('should refuse each transition without its permission', async () => {
    const { contract } = await draft();
    const writer = await leasing.token(['leasing:contracts:write', 'leasing:contracts:read'], 'user-writer');
    expect((await move(contract.id, 'approve', writer)).status).toBe(403);
    expect((await move(contract.id, 'approve', undefined as never)).status).toBe(401);
  });

  it('should refuse approval when the party’s KYC is not verified', async () => {
    const { contract } = await draft({ kyc: 'pending' });
    const answer = await move(contract.id, 'approve', approver);
    expect(answer.status).toBe(409);
    expect(answer.body.code).toBe('PARTY_NOT_ELIGIBLE');
  });

  it('should refuse a second contract on an asset a live contract holds, naming that contract', async () => {
    const { contract, assetId, partyId, calculationId } = await draft();
    const again = await leasing.call('POST', '/v1/contracts', author, {
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
    const answer = await leasing.call('POST', '/v1/contracts', author, {
      calculationId,
      partyId,
      assetId: missing,
    });
    expect(answer.status).toBe(422);
    expect(answer.body.errors).toEqual([{ field: '/body/assetId', message: 'no such asset' }]);
    const noCalc = await leasing.call('POST', '/v1/contracts', author, {
      calculationId: missing,
      partyId,
      assetId: missing,
    });
    expect(noCalc.body.errors[0].field).toBe('/body/calculationId');
  });

  it('should quote and execute an early termination when the contract is active', async () => {
    const { contract } = await draft();
    await move(contract.id, 'approve', approver);
    await move(contract.id, 'sign', author);
    await move(contract.id, 'activate', author);
    const schedule = await leasing.call('GET', `/v1/contracts/${contract.id}/schedule`, author);
    const afterTwelve = schedule.body.schedule[11].balance.amount;
    const quote = await leasing.call('POST', `/v1/contracts/${contract.id}/termination-quotes`, author, {
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

    const terminated = await leasing.call('POST', `/v1/contracts/${contract.id}/terminate`, author, {
      quoteId: quote.body.id,
    });
    expect(terminated.status, JSON.stringify(terminated.body)).toBe(200);
    expect(terminated.body.status).toBe('terminated');
    const again = await leasing.call('POST', `/v1/contracts/${contract.id}/terminate`, author, {
      quoteId: quote.body.id,
    });
    expect(again.status).toBe(409);
    const [event] = await leasing.outbox('lessor.leasing.contract.terminated.v1');
    expect((event!.data as any).settlement.total.amount).toBe(quote.body.total.amount);
  });

  it('should restructure an active contract from a date, keeping what fell due before it', async () => {
    const { contract } = await draft();
    await move(contract.id, 'approve', approver);
    await move(contract.id, 'sign', author);
    await move(contract.id, 'activate', author);
    const before = (await leasing.call('GET', `/v1/contracts/${contract.id}/schedule`, author)).body;
    const answer = await leasing.call('POST', `/v1/contracts/${contract.id}/restructure`, author, {
      fromDate: '2027-01-01',
      termMonths: 36,
      annualRate: '7.5',
    });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.body.scheduleVersion).toBe(2);
    const after = (await leasing.call('GET', `/v1/contracts/${contract.id}/schedule`, author)).body;
    expect(after.version).toBe(2);
    expect(after.schedule.slice(0, 11)).toEqual(before.schedule.slice(0, 11));
    expect(after.schedule).toHaveLength(11 + 36);
    expect(after.schedule.at(-1).balance.amount).toBe('10000.00');
    const old = (await leasing.call('GET', `/v1/contracts/${contract.id}/schedule?version=1`, author)).body;
    expect(old.schedule).toEqual(before.schedule);
    const [event] = (await leasing.outbox('lessor.leasing.contract.restructured.v1')).filter(
      (e) => e.subject === contract.id,
    );
    expect((event!.data as any).schedule.version).toBe(2);
  });

  it('should show the new party name in lists when parties publishes a rename', async () => {
    const { contract, partyId } = await draft();
    const party = await leasing.service('parties').call('GET', `/v1/parties/${partyId}`, author);
    const renamed = await leasing
      .service('parties')
      .call(
        'PATCH',
        `/v1/parties/${partyId}`,
        author,
        { name: 'Renamed Logistik GmbH' },
        { 'if-match': party.headers.etag as string },
      );
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    await leasing.until(async () => {
      const list = await leasing.call('GET', `/v1/contracts?partyId=${partyId}`, author);
      return list.body.items[0]?.party.name === 'Renamed Logistik GmbH';
    });
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    expect(read.body.version).toBe(contract.version);
  });

  it('should answer reads from its own copy of the names and refuse writes with 503 when parties is down', async () => {
    const { contract, assetId, calculationId } = await draft();
    const before = (await leasing.outbox()).length;
    const count = (await leasing.call('GET', '/v1/contracts?limit=200', author)).body.items.length;

    await leasing.service('parties').stop();
    const read = await leasing.call('GET', `/v1/contracts/${contract.id}`, author);
    expect(read.status).toBe(200);
    expect(read.body.party).toEqual(contract.party);
    expect(read.body.party).toMatchObject({ name: expect.stringContaining('Muster'), stale: false });
    const list = await leasing.call('GET', '/v1/contracts', author);
    expect(list.status).toBe(200);
    // `names=stored` is still accepted from older callers; every read is from leasing's copy now.
    const stored = await leasing.call('GET', `/v1/contracts/${contract.id}?names=stored`, author);
    expect(stored.body.party).toEqual(read.body.party);
    const withSchedule = await leasing.call('GET', `/v1/contracts/${contract.id}?include=schedule`, author);
    expect(withSchedule.body.schedule).toMatchObject({ contractId: contract.id, version: 1 });
    expect(withSchedule.body.schedule.schedule).toHaveLength(36);
    expect(read.body.schedule).toBeUndefined();

    const write = await leasing.call('POST', '/v1/contracts', author, {
      calculationId,
      partyId: contract.party.id,
      assetId,
    });
    expect(write.status).toBe(503);
    expect(write.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(write.body.code).toBe('PARTIES_UNAVAILABLE');
    expect(write.body.detail).toMatch(/parties could not confirm/);
    const approve = await move(contract.id, 'approve', approver);
    expect(approve.status).toBe(503);
    expect(approve.body.code).toBe('PARTIES_UNAVAILABLE');
    expect((await leasing.call('GET', `/v1/contracts/${contract.id}`, author)).body.status).toBe('draft');
    expect((await leasing.outbox()).length).toBe(before);
    expect((await leasing.call('GET', '/v1/contracts?limit=200', author)).body.items.length).toBe(count);
  });
});
