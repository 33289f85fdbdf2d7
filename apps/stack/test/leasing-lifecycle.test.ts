import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '@lessor/events/testing';
import { ADMIN_PASSWORD, bootForTest, systemSetups, type BootedForTest } from './support/booted-system.ts';

describe.each(systemSetups())(
  'a lease through the gateway, with audit watching, on $backend with the $broker transport',
  (setup) => {
    let booted: BootedForTest;
    let admin: string;
    let risk: string;
    let adminId: string;
    let riskId: string;

    beforeAll(async () => {
      booted = await bootForTest(setup);
      admin = await booted.login('admin', ADMIN_PASSWORD);
      adminId = (await api('GET', '/api/sso/v1/me', admin)).body.id;
      ({ token: risk, id: riskId } = await booted.user(
        'risk',
        ['leasing:contracts:read', 'leasing:contracts:approve', 'parties:parties:read', 'assets:assets:read'],
        admin,
      ));
    });
    afterAll(async () => booted?.close());

    const api = (method: string, path: string, token?: string, body?: unknown) =>
      booted.api(method, path, token, body);

    /**
     * The audit trail of one entity, oldest first, once it holds at least `count` records and every type in
     * `awaited` — audit reads each event when it arrives, so a count alone can be reached before a given one.
     */
    const trail = (entityId: string, count: number, awaited: string[] = []) =>
      eventually(
        async () => {
          const page = await api('GET', `/api/audit/v1/records?entityId=${entityId}&limit=100`, admin);
          const types: string[] =
            page.body?.items?.map((record: { eventType: string }) => record.eventType) ?? [];
          if (page.status !== 200 || types.length < count || awaited.some((type) => !types.includes(type)))
            throw new Error(`${types.length} records so far: ${types.join(', ')}`);
          return [...page.body.items].reverse() as { eventType: string; actor: string; action: string }[];
        },
        { timeoutMs: 45_000 },
      );

    let contractId: string;
    let partyId: string;
    let assetId: string;

    it('should take a contract from a calculation to termination, each step recorded by audit with its actor', async () => {
      const product = await api('POST', '/api/leasing/v1/products', admin, {
        code: 'CAR-E2E',
        name: 'Cars',
        currencies: ['EUR'],
        scheduleTypes: ['annuity'],
        minTermMonths: 12,
        maxTermMonths: 60,
        minRate: '3',
        maxRate: '12',
      });
      expect(product.status, JSON.stringify(product.body)).toBe(201);
      const party = await api('POST', '/api/parties/v1/parties', admin, {
        kind: 'company',
        name: 'Lifecycle Logistik GmbH',
        legalForm: 'GmbH',
        country: 'DE',
        taxId: 'DE136695976',
      });
      expect(party.status, JSON.stringify(party.body)).toBe(201);
      partyId = party.body.id;
      expect(
        (
          await api('POST', `/api/parties/v1/parties/${partyId}/kyc`, admin, {
            status: 'verified',
            reason: 'ok',
          })
        ).status,
      ).toBe(200);
      const asset = await api('POST', '/api/assets/v1/assets', admin, {
        type: 'car',
        make: 'Skoda',
        model: 'Enyaq',
        vin: 'TMBJC7NY5NF000001',
        year: 2025,
        price: { amount: '120000.00', currency: 'EUR' },
      });
      expect(asset.status, JSON.stringify(asset.body)).toBe(201);
      assetId = asset.body.id;
      const calculation = await api('POST', '/api/leasing/v1/calculations', admin, {
        productId: product.body.id,
        assetPrice: { amount: '120000.00', currency: 'EUR' },
        advance: { percent: '20' },
        termMonths: 36,
        annualRate: '9.5',
        scheduleType: 'annuity',
        residualValue: { amount: '10000.00', currency: 'EUR' },
        startDate: '2026-01-31',
        vatRate: '20',
      });
      expect(calculation.status, JSON.stringify(calculation.body)).toBe(201);
      const contract = await api('POST', '/api/leasing/v1/contracts', admin, {
        calculationId: calculation.body.id,
        partyId,
        assetId,
      });
      expect(contract.status, JSON.stringify(contract.body)).toBe(201);
      contractId = contract.body.id;

      const selfApproval = await api('POST', `/api/leasing/v1/contracts/${contractId}/approve`, admin, {});
      expect(selfApproval.status).toBe(403);
      expect(selfApproval.body.code).toBe('FOUR_EYES_REQUIRED');
      expect(
        (await api('POST', `/api/leasing/v1/contracts/${contractId}/approve`, risk, {})).body.status,
      ).toBe('approved');
      expect((await api('POST', `/api/leasing/v1/contracts/${contractId}/sign`, risk, {})).status).toBe(403);
      expect((await api('POST', `/api/leasing/v1/contracts/${contractId}/sign`, admin, {})).body.status).toBe(
        'signed',
      );
      const active = await api('POST', `/api/leasing/v1/contracts/${contractId}/activate`, admin, {
        businessDate: '2026-01-31',
      });
      expect(active.body.status).toBe('active');
      await eventually(
        async () => (await api('GET', `/api/assets/v1/assets/${assetId}`, admin)).body.status === 'leased',
      );
      const quote = await api('POST', `/api/leasing/v1/contracts/${contractId}/termination-quotes`, admin, {
        terminationDate: '2026-08-15',
      });
      expect(quote.status, JSON.stringify(quote.body)).toBe(201);
      const terminated = await api('POST', `/api/leasing/v1/contracts/${contractId}/terminate`, admin, {
        quoteId: quote.body.id,
      });
      expect(terminated.body.status).toBe('terminated');

      const records = await trail(contractId, 5);
      expect(records.map((record) => record.eventType)).toEqual([
        'lessor.leasing.contract.created.v1',
        'lessor.leasing.contract.approved.v1',
        'lessor.leasing.contract.signed.v1',
        'lessor.leasing.contract.activated.v1',
        'lessor.leasing.contract.terminated.v1',
      ]);
      expect(records.map((record) => record.actor)).toEqual([adminId, riskId, adminId, adminId, adminId]);
      await eventually(
        async () => (await api('GET', `/api/assets/v1/assets/${assetId}`, admin)).body.status === 'returned',
      );
      // created, then each of reserved, leased and returned as an `updated` change and as its own event.
      const assetTrail = await trail(assetId, 7, ['lessor.assets.asset.returned.v1']);
      expect(assetTrail.map((record) => record.eventType)).toContain('lessor.assets.asset.leased.v1');
      expect(assetTrail.every((record) => record.actor)).toBe(true);
      const partyTrail = await trail(partyId, 2, ['lessor.parties.party.kyc-changed.v1']);
      expect(partyTrail[0]?.eventType).toBe('lessor.parties.party.created.v1');
    });

    it('should compose a contract card from every service, and leave the part of a stopped one empty', async () => {
      const card = await api('GET', `/api/gateway/v1/contract-cards/${contractId}`, admin);
      expect(card.status, JSON.stringify(card.body)).toBe(200);
      expect(card.body.parts).toEqual({
        contract: { status: 'ok' },
        party: { status: 'ok' },
        asset: { status: 'ok' },
        schedule: { status: 'ok' },
      });
      expect(card.body.party.name).toBe('Lifecycle Logistik GmbH');
      expect(card.body.asset.vin).toBe('TMBJC7NY5NF000001');
      expect(card.body.schedule.installments).toBe(36);

      // The card has its own permission; the gateway refuses a reader without it before calling anyone.
      const narrow = await api('GET', `/api/gateway/v1/contract-cards/${contractId}`, risk);
      expect(narrow.status).toBe(403);

      await booted.system.stopService('assets');
      const degraded = await api('GET', `/api/gateway/v1/contract-cards/${contractId}`, admin);
      expect(degraded.status).toBe(200);
      expect(degraded.body.asset).toBeNull();
      expect(degraded.body.parts.asset.status).toBe('unavailable');
      expect(degraded.body.parts.contract.status).toBe('ok');
      // The contract names its asset from leasing's own copy: no call to assets, nothing stale.
      expect(degraded.body.contract.asset).toMatchObject({ stale: false, asOf: expect.any(String) });
      expect(degraded.body.party.name).toBe('Lifecycle Logistik GmbH');

      await booted.system.stopService('parties');
      const read = await api('GET', `/api/leasing/v1/contracts/${contractId}`, admin);
      expect(read.status).toBe(200);
      expect(read.body.party).toMatchObject({ name: 'Lifecycle Logistik GmbH', stale: false });

      const missing = await api(
        'GET',
        '/api/gateway/v1/contract-cards/0190a5c4-0000-7000-8000-000000000000',
        admin,
      );
      expect(missing.status).toBe(404);
    });
  },
);
