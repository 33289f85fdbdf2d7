import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { assetsService } from '../src/assets.service.ts';
import { aCar, onToday } from './fixtures.ts';

// The clock of assets stands on 2026-06-15 (UTC) in these tests: "today" for insurance cover.

/** A policy that passes every rule (its number is made unique where it is used). */
const ALLIANZ_POLICY = {
  insurer: 'Allianz Versicherungs-AG',
  policyNumber: 'KFZ-0001',
  coverage: 'Comprehensive (Vollkasko), EUR 500 deductible',
  insuredAmount: { amount: '28990.00', currency: 'EUR' },
  premium: { amount: '912.40', currency: 'EUR' },
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
};

describe.each(testBackends())('suppliers and insurance policies on %s', (backend) => {
  let assets: TestServices & TestService;
  let admin: string;

  beforeAll(async () => {
    assets = await startTestService(assetsService, {
      setup: { backend, broker: 'in-process' },
      options: onToday,
    });
    admin = await assets.token(['assets:*:*']);
  });
  afterAll(() => assets.close());

  const newAsset = async (overrides: Record<string, unknown> = {}) =>
    (await assets.call('POST', '/v1/assets', admin, aCar(overrides))).body.id as string;
  const policy = (overrides: Record<string, unknown> = {}) => ({
    ...ALLIANZ_POLICY,
    policyNumber: `KFZ-${Math.random().toString(36).slice(2, 10).toUpperCase()}`,
    ...overrides,
  });
  const addPolicy = (assetId: string, body: Record<string, unknown>) =>
    assets.call('POST', `/v1/assets/${assetId}/insurance-policies`, admin, body);

  describe('suppliers', () => {
    it('should create, find, change, delete and restore a supplier, and give it to an asset', async () => {
      const created = await assets.call('POST', '/v1/suppliers', admin, {
        name: 'Autohaus Müller GmbH',
        country: 'DE',
        taxId: 'DE811907980',
        contactName: 'Petra Müller',
        contactEmail: 'einkauf@autohaus-mueller.example',
        contactPhone: '+49 30 1234567',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ name: 'Autohaus Müller GmbH', country: 'DE', version: 1 });
      const id = created.body.id as string;
      expect(
        (await assets.call('GET', '/v1/suppliers?q=m%C3%BCller&country=DE', admin)).body.items.map(
          (supplier: { id: string }) => supplier.id,
        ),
      ).toEqual([id]);
      const changed = await assets.call(
        'PATCH',
        `/v1/suppliers/${id}`,
        admin,
        { contactPhone: null },
        { 'if-match': '"1"' },
      );
      expect(changed.body).toMatchObject({ contactPhone: null, version: 2 });

      const asset = await assets.call('POST', '/v1/assets', admin, aCar({ supplierId: id }));
      expect(asset.status).toBe(201);
      expect(
        (await assets.call('GET', `/v1/assets?supplierId=${id}`, admin)).body.items.map(
          (item: { id: string }) => item.id,
        ),
      ).toEqual([asset.body.id]);

      expect(
        (await assets.call('DELETE', `/v1/suppliers/${id}`, admin, undefined, { 'if-match': '"2"' })).status,
      ).toBe(200);
      // A deleted supplier stays on its assets but cannot be given to a new one.
      expect((await assets.call('GET', `/v1/assets/${asset.body.id}`, admin)).body.supplierId).toBe(id);
      expect((await assets.call('POST', '/v1/assets', admin, aCar({ supplierId: id }))).status).toBe(422);
      expect((await assets.call('POST', `/v1/suppliers/${id}/restore`, admin)).status).toBe(200);
      expect((await assets.call('POST', '/v1/assets', admin, aCar({ supplierId: id }))).status).toBe(201);

      const types = (await assets.outbox())
        .filter((event) => event.subject === id)
        .map((event) => event.type);
      expect(types).toEqual([
        'lessor.assets.supplier.created.v1',
        'lessor.assets.supplier.updated.v1',
        'lessor.assets.supplier.deleted.v1',
        'lessor.assets.supplier.restored.v1',
      ]);
    });

    it.each([
      ['an unassigned country', { country: 'UK' }, '/body/country'],
      ['a country in lower case', { country: 'de' }, '/body/country'],
      ['a malformed e-mail', { contactEmail: 'not-an-email' }, '/body/contactEmail'],
      ['a phone with letters', { contactPhone: 'call me' }, '/body/contactPhone'],
      ['no name', { name: undefined }, '/body/name'],
    ])('should refuse %s with 400 naming the field', async (_name, change, field) => {
      const body: Record<string, unknown> = { name: 'Supplier', country: 'AT', ...change };
      for (const [key, value] of Object.entries(change)) if (value === undefined) delete body[key];
      const answer = await assets.call('POST', '/v1/suppliers', admin, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });
  });

  describe('insurance policies', () => {
    it('should add, list, change, delete and restore a policy of an asset', async () => {
      const assetId = await newAsset();
      const api = assets.api<paths>(admin);
      const ofAsset = { path: { id: assetId } };
      const created = await api.POST('/v1/assets/{id}/insurance-policies', {
        params: ofAsset,
        body: { ...ALLIANZ_POLICY, policyNumber: 'KFZ-4711' },
      });
      expect(created.response.status).toBe(201);
      expect(created.data).toMatchObject({
        assetId,
        policyNumber: 'KFZ-4711',
        insuredAmount: { amount: '28990.00', currency: 'EUR' },
        premium: { amount: '912.40', currency: 'EUR' },
        validFrom: '2026-01-01',
        validTo: '2026-12-31',
      });
      const id = created.data!.id;
      const onePolicy = { path: { id: assetId, policyId: id } };
      const listed = async () =>
        (
          await api.GET('/v1/assets/{id}/insurance-policies', {
            params: { ...ofAsset, query: { limit: 50, deleted: 'exclude' } },
          })
        ).data!.items.map((listedPolicy) => listedPolicy.id);
      const insuredUntil = async () =>
        (
          await api.GET('/v1/assets/{id}', {
            params: { ...ofAsset, query: { includeDeleted: false } },
          })
        ).data!.insuredUntil;
      expect(await listed()).toEqual([id]);
      expect(await insuredUntil()).toBe('2026-12-31');

      const changed = await api.PATCH('/v1/assets/{id}/insurance-policies/{policyId}', {
        params: { ...onePolicy, header: { 'if-match': '"1"' } },
        body: { validTo: '2027-01-31', premium: { amount: '990', currency: 'EUR' } },
      });
      expect(changed.response.status).toBe(200);
      expect(changed.data).toMatchObject({
        validTo: '2027-01-31',
        premium: { amount: '990.00' },
        version: 2,
      });
      const backwards = await api.PATCH('/v1/assets/{id}/insurance-policies/{policyId}', {
        params: { ...onePolicy, header: { 'if-match': '"2"' } },
        body: { validFrom: '2027-02-01' },
      });
      expect(backwards.response.status).toBe(400);
      expect(backwards.error?.errors).toEqual([{ field: '/body/validTo', message: expect.any(String) }]);

      const deleted = await api.DELETE('/v1/assets/{id}/insurance-policies/{policyId}', {
        params: { ...onePolicy, header: { 'if-match': '"2"' } },
      });
      expect(deleted.response.status).toBe(200);
      expect(await listed()).toEqual([]);
      expect(await insuredUntil()).toBeNull();
      const restored = await api.POST('/v1/assets/{id}/insurance-policies/{policyId}/restore', {
        params: onePolicy,
      });
      expect(restored.response.status).toBe(200);
      expect(await insuredUntil()).toBe('2027-01-31');

      // A policy is read through its own asset only.
      const otherAsset = await newAsset();
      const elsewhere = await api.GET('/v1/assets/{id}/insurance-policies/{policyId}', {
        params: { path: { id: otherAsset, policyId: id }, query: { includeDeleted: false } },
      });
      expect(elsewhere.response.status).toBe(404);
      const types = (await assets.outbox())
        .filter((event) => event.subject === id)
        .map((event) => event.type);
      expect(types).toEqual([
        'lessor.assets.insurance-policy.created.v1',
        'lessor.assets.insurance-policy.updated.v1',
        'lessor.assets.insurance-policy.deleted.v1',
        'lessor.assets.insurance-policy.restored.v1',
      ]);
    });

    it.each([
      ['validTo before validFrom', { validTo: '2025-12-31' }, '/body/validTo'],
      ['validTo equal to validFrom', { validTo: '2026-01-01' }, '/body/validTo'],
      ['an impossible date', { validFrom: '2026-02-30' }, '/body/validFrom'],
      ['a date with a time', { validTo: '2026-12-31T00:00:00Z' }, '/body/validTo'],
      ['a negative premium', { premium: { amount: '-1.00', currency: 'EUR' } }, '/body/premium/amount'],
      [
        'an insured amount of zero',
        { insuredAmount: { amount: '0', currency: 'EUR' } },
        '/body/insuredAmount/amount',
      ],
      ['an unknown currency', { premium: { amount: '10.00', currency: 'EUX' } }, '/body/premium/currency'],
      ['no insurer', { insurer: undefined }, '/body/insurer'],
    ])('should refuse %s with 400 naming the field', async (_name, change, field) => {
      const assetId = await newAsset();
      const body: Record<string, unknown> = policy(change);
      for (const [key, value] of Object.entries(change)) if (value === undefined) delete body[key];
      const answer = await addPolicy(assetId, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    });

    it('should refuse a second live policy with the same insurer and number', async () => {
      const first = await addPolicy(await newAsset(), policy({ policyNumber: 'DUP-1' }));
      expect(first.status).toBe(201);
      const second = await addPolicy(
        await newAsset(),
        policy({ policyNumber: 'DUP-1', insurer: 'ALLIANZ Versicherungs-AG' }),
      );
      expect(second.status).toBe(409);
      expect(second.body.code).toBe('INSURANCE_POLICY_NUMBER_TAKEN');
      expect(
        (await addPolicy(await newAsset(), policy({ policyNumber: 'DUP-1', insurer: 'HUK-Coburg' }))).status,
      ).toBe(201);
    });

    it('should refuse a policy for an asset that does not exist', async () => {
      expect((await addPolicy('0193a1b2-0000-7000-8000-000000000404', policy())).status).toBe(404);
    });

    it('should list the policies to renew, soonest first, leaving out renewed, ended, sold and deleted ones', async () => {
      const make = `Renewal-${Date.now()}`;
      const car = () => newAsset({ make });
      const [soon, later, renewed, ended, sold, removed, far] = await Promise.all(
        Array.from({ length: 7 }, () => car()),
      );
      const ids: Record<string, string> = {};
      const add = async (name: string, assetId: string, validTo: string, validFrom = '2025-07-01') => {
        const answer = await addPolicy(assetId, policy({ validFrom, validTo }));
        expect(answer.status, name).toBe(201);
        ids[name] = answer.body.id;
      };
      await add('soon', soon!, '2026-06-20');
      await add('later', later!, '2026-07-10');
      await add('renewed', renewed!, '2026-06-30');
      await add('renewal', renewed!, '2027-06-30', '2026-07-01');
      await add('ended', ended!, '2026-06-01');
      await add('sold', sold!, '2026-06-25');
      await add('removed', removed!, '2026-06-25');
      await add('far', far!, '2026-09-30');
      await assets.call('POST', `/v1/assets/${sold}/status`, admin, {
        status: 'sold',
        reason: 'sold to a dealer',
      });
      await assets.call('DELETE', `/v1/assets/${removed}`, admin, undefined, { 'if-match': '"1"' });

      const worklist = await assets.call(
        'GET',
        '/v1/insurance-policies?expiringBefore=2026-08-01&limit=200',
        admin,
      );
      expect(worklist.status).toBe(200);
      const ours = worklist.body.items.filter(
        (item: { asset: { make: string } }) => item.asset.make === make,
      );
      expect(ours.map((item: { id: string }) => item.id)).toEqual([ids.soon, ids.later]);
      expect(ours[0].asset).toMatchObject({ id: soon, status: 'available', type: 'car' });

      const withEnded = await assets.call(
        'GET',
        '/v1/insurance-policies?expiringBefore=2026-08-01&includeExpired=true&limit=200',
        admin,
      );
      expect(
        withEnded.body.items
          .filter((item: { asset: { make: string } }) => item.asset.make === make)
          .map((item: { id: string }) => item.id),
      ).toEqual([ids.ended, ids.soon, ids.later]);

      // Paging keeps the order: one at a time.
      const first = await assets.call(
        'GET',
        '/v1/insurance-policies?expiringBefore=2026-08-01&limit=1',
        admin,
      );
      const next = await assets.call(
        'GET',
        `/v1/insurance-policies?expiringBefore=2026-08-01&limit=1&cursor=${first.body.nextCursor}`,
        admin,
      );
      expect(first.body.items[0].validTo <= next.body.items[0].validTo).toBe(true);
    });

    it('should filter assets by whether a policy covers today', async () => {
      const make = `Cover-${Date.now()}`;
      const covered = await newAsset({ make });
      const lapsed = await newAsset({ make });
      const bare = await newAsset({ make });
      await addPolicy(covered, policy({ validFrom: '2026-06-15', validTo: '2026-06-16' }));
      await addPolicy(lapsed, policy({ validFrom: '2025-06-15', validTo: '2026-06-14' }));
      const insured = await assets.call('GET', `/v1/assets?q=${make}&insured=true`, admin);
      expect(insured.body.items.map((item: { id: string }) => item.id)).toEqual([covered]);
      expect(insured.body.items[0].insuredUntil).toBe('2026-06-16');
      const uninsured = await assets.call('GET', `/v1/assets?q=${make}&insured=false&sort=createdAt`, admin);
      expect(uninsured.body.items.map((item: { id: string }) => item.id)).toEqual([lapsed, bare]);
    });

    it('should refuse the policies to a caller without assets:insurance permissions', async () => {
      const assetId = await newAsset();
      const assetsOnly = await assets.token(['assets:assets:read', 'assets:assets:write']);
      expect((await assets.call('GET', `/v1/assets/${assetId}/insurance-policies`, assetsOnly)).status).toBe(
        403,
      );
      expect(
        (await assets.call('POST', `/v1/assets/${assetId}/insurance-policies`, assetsOnly, policy())).status,
      ).toBe(403);
      expect(
        (await assets.call('GET', '/v1/insurance-policies?expiringBefore=2026-08-01', undefined)).status,
      ).toBe(401);
      const reader = await assets.token(['assets:insurance:read']);
      expect((await assets.call('GET', '/v1/insurance-policies', reader)).status).toBe(400);
      expect((await assets.call('GET', '/v1/suppliers', reader)).status).toBe(403);
    });
  });
});
