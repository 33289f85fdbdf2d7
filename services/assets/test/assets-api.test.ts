import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { assetsService } from '../src/assets.service.ts';
import { aCar, onToday, uniqueSerial, uniqueVin } from './fixtures.ts';

const STATUSES = ['available', 'reserved', 'leased', 'returned', 'sold'] as const;
/** The manual paths that bring a new asset to each status. */
const PATH_TO: Record<(typeof STATUSES)[number], string[]> = {
  available: [],
  reserved: ['reserved'],
  leased: ['reserved', 'leased'],
  returned: ['reserved', 'leased', 'returned'],
  sold: ['sold'],
};
const ALLOWED: Record<string, string[]> = {
  available: ['reserved', 'sold'],
  reserved: ['available', 'leased'],
  leased: ['returned'],
  returned: ['available', 'sold'],
  sold: [],
};

describe.each(testBackends())('the assets API on %s', (backend) => {
  let assets: TestServices & TestService;
  let admin: string;
  const adminId = '0193a1b2-0000-7000-8000-00000000ad01';

  beforeAll(async () => {
    assets = await startTestService(assetsService, {
      setup: { backend, broker: 'in-process' },
      options: onToday,
    });
    admin = await assets.token(['assets:*:*'], adminId);
  });
  afterAll(() => assets.close());

  const create = (body: Record<string, unknown>, token = admin) =>
    assets.call('POST', '/v1/assets', token, body);
  const setStatus = (id: string, status: string, reason = `to ${status}`) =>
    assets.call('POST', `/v1/assets/${id}/status`, admin, { status, reason });

  it('should register, read, find, change, soft delete and restore an asset', async () => {
    const created = await create(aCar({ vin: 'WVWZZZ1KZAW123456', model: 'Golf Variant' }));
    expect(created.status).toBe(201);
    expect(created.headers.etag).toBe('"1"');
    expect(created.headers.location).toBe(`/v1/assets/${created.body.id}`);
    expect(created.body).toMatchObject({
      type: 'car',
      vin: 'WVWZZZ1KZAW123456',
      serialNumber: null,
      price: { amount: '28990.00', currency: 'EUR' },
      status: 'available',
      contractId: null,
      insuredUntil: null,
      createdBy: adminId,
      version: 1,
    });
    const id = created.body.id as string;

    expect((await assets.call('GET', `/v1/assets/${id}`, admin)).body.model).toBe('Golf Variant');
    const found = await assets.call('GET', '/v1/assets?q=123456', admin);
    expect(found.body.items.map((asset: { id: string }) => asset.id)).toEqual([id]);
    expect(
      (await assets.call('GET', '/v1/assets?q=variant&type=car&status=available', admin)).body.items,
    ).toHaveLength(1);
    expect((await assets.call('GET', '/v1/assets?q=variant&status=leased', admin)).body.items).toHaveLength(
      0,
    );

    const stale = await assets.call(
      'PATCH',
      `/v1/assets/${id}`,
      admin,
      { year: 2024 },
      { 'if-match': '"9"' },
    );
    expect(stale.status).toBe(412);
    const blind = await assets.call('PATCH', `/v1/assets/${id}`, admin, { year: 2024 });
    expect(blind.status).toBe(428);
    const changed = await assets.call(
      'PATCH',
      `/v1/assets/${id}`,
      admin,
      { year: 2024, price: { amount: '27500', currency: 'EUR' }, locationText: null },
      { 'if-match': '"1"' },
    );
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      year: 2024,
      price: { amount: '27500.00', currency: 'EUR' },
      locationText: null,
      version: 2,
    });

    const removed = await assets.call('DELETE', `/v1/assets/${id}`, admin, undefined, { 'if-match': '"2"' });
    expect(removed.status).toBe(200);
    expect(removed.body.deletedAt).not.toBeNull();
    expect((await assets.call('GET', `/v1/assets/${id}`, admin)).status).toBe(404);
    expect((await assets.call('GET', '/v1/assets?q=123456', admin)).body.items).toEqual([]);
    expect(
      (await assets.call('GET', '/v1/assets?q=123456&deleted=only', admin)).body.items.map(
        (asset: { id: string }) => asset.id,
      ),
    ).toEqual([id]);

    const restored = await assets.call('POST', `/v1/assets/${id}/restore`, admin);
    expect(restored.status).toBe(200);
    expect(restored.body.deletedAt).toBeNull();

    const changes = (await assets.outbox())
      .filter((event) => event.subject === id)
      .map((event) => event.type);
    expect(changes).toEqual([
      'lessor.assets.asset.created.v1',
      'lessor.assets.asset.updated.v1',
      'lessor.assets.asset.deleted.v1',
      'lessor.assets.asset.restored.v1',
    ]);
    const updated = (await assets.outbox('lessor.assets.asset.updated.v1')).find(
      (event) => event.subject === id,
    );
    expect(updated?.data).toMatchObject({ changed: ['year', 'price', 'locationText'] });
    expect(updated?.actor).toBe(adminId);
  });

  it('should answer the typed client of its generated OpenAPI types: register, reserve, read the history', async () => {
    const api = assets.api<paths>(admin);
    const created = await api.POST('/v1/assets', {
      body: {
        type: 'van',
        make: 'Mercedes-Benz',
        model: 'Sprinter 317 CDI',
        vin: uniqueVin(),
        year: 2026,
        price: { amount: '54300.00', currency: 'EUR' },
      },
    });
    expect(created.response.status).toBe(201);
    const id = created.data!.id;
    const reserved = await api.POST('/v1/assets/{id}/status', {
      params: { path: { id } },
      body: { status: 'reserved', reason: 'held for the Spedition Nord deal' },
    });
    expect(reserved.data).toMatchObject({ id, status: 'reserved', version: 2 });
    const history = await api.GET('/v1/assets/{id}/status-history', {
      params: { path: { id }, query: { limit: 10 } },
    });
    expect(history.data!.items.map((change) => [change.from, change.to, change.actor])).toEqual([
      ['available', 'reserved', adminId],
      [null, 'available', adminId],
    ]);
    const anonymous = await assets.api<paths>().GET('/v1/assets/{id}', {
      params: { path: { id }, query: { includeDeleted: false } },
    });
    expect(anonymous.response.status).toBe(401);
    expect(anonymous.error).toMatchObject({ code: 'UNAUTHENTICATED' });
  });

  it('should register equipment by its serial number and keep serials unique per make', async () => {
    const serial = uniqueSerial();
    const excavator = {
      type: 'construction',
      make: 'Caterpillar',
      model: '320 GC',
      serialNumber: serial,
      year: 2023,
      price: { amount: '185000.00', currency: 'EUR' },
    };
    expect((await create(excavator)).status).toBe(201);
    const again = await create({ ...excavator, make: 'CATERPILLAR' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ code: 'ASSET_SERIAL_NUMBER_TAKEN' });
    expect(again.body.errors).toEqual([{ field: '/body/serialNumber', message: expect.any(String) }]);
    expect((await create({ ...excavator, make: 'Komatsu' })).status).toBe(201);
  });

  it.each([
    ['a VIN of 16 characters', { vin: 'WVWZZZ1KZAW00001' }, '/body/vin'],
    ['a VIN with an I', { vin: 'WVWZZZ1KZAI000001' }, '/body/vin'],
    ['a VIN in lower case', { vin: 'wvwzzz1kzaw000001' }, '/body/vin'],
    ['a car without a VIN', { vin: undefined }, '/body/vin'],
    ['both a VIN and a serial number', { serialNumber: 'ABC-1' }, '/body/serialNumber'],
    ['equipment without a serial number', { type: 'medical', vin: undefined }, '/body/serialNumber'],
    ['equipment with a VIN', { type: 'it', serialNumber: 'LAPTOP-1' }, '/body/vin'],
    ['the year 1900', { year: 1900 }, '/body/year'],
    ['a year after next year', { year: 2028 }, '/body/year'],
    ['a negative price', { price: { amount: '-100.00', currency: 'EUR' } }, '/body/price/amount'],
    ['a price of zero', { price: { amount: '0.00', currency: 'EUR' } }, '/body/price/amount'],
    ['a price with cents in yen', { price: { amount: '100.50', currency: 'JPY' } }, '/body/price/amount'],
    ['a price that is not a decimal', { price: { amount: '1e5', currency: 'EUR' } }, '/body/price/amount'],
    ['an unknown currency', { price: { amount: '100.00', currency: 'ABC' } }, '/body/price/currency'],
    ['a currency in lower case', { price: { amount: '100.00', currency: 'eur' } }, '/body/price/currency'],
    ['an unknown type', { type: 'boat' }, '/body/type'],
    ['a blank make', { make: '   ' }, '/body/make'],
    ['an unknown field', { colour: 'red' }, '/body/colour'],
    ['a malformed supplier id', { supplierId: 'not-a-uuid' }, '/body/supplierId'],
  ])('should refuse %s with 400 naming the field', async (_name, change, field) => {
    const body: Record<string, unknown> = aCar(change);
    for (const [key, value] of Object.entries(change)) if (value === undefined) delete body[key];
    const answer = await create(body);
    expect(answer.status).toBe(400);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('VALIDATION_FAILED');
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
  });

  it('should refuse an unknown supplier with 422 naming the field', async () => {
    const answer = await create(aCar({ supplierId: '0193a1b2-0000-7000-8000-000000000999' }));
    expect(answer.status).toBe(422);
    expect(answer.body).toMatchObject({
      code: 'ASSET_SUPPLIER_NOT_FOUND',
      errors: [{ field: '/body/supplierId', message: expect.any(String) }],
    });
  });

  it('should refuse a change that breaks the asset as a whole, naming the field', async () => {
    const car = (await create(aCar())).body;
    const answer = await assets.call(
      'PATCH',
      `/v1/assets/${car.id}`,
      admin,
      { type: 'agricultural' },
      {
        'if-match': '"1"',
      },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.errors.map((error: { field: string }) => error.field).sort()).toEqual([
      '/body/serialNumber',
      '/body/vin',
    ]);
    const tractor = await assets.call(
      'PATCH',
      `/v1/assets/${car.id}`,
      admin,
      { type: 'agricultural', vin: null, serialNumber: uniqueSerial(), make: 'Fendt' },
      { 'if-match': '"1"' },
    );
    expect(tractor.status).toBe(200);
    expect(tractor.body).toMatchObject({ type: 'agricultural', vin: null, make: 'Fendt' });
  });

  it('should refuse a second live asset with the same VIN, and free the VIN when the first is deleted', async () => {
    const vin = uniqueVin();
    const first = await create(aCar({ vin }));
    const second = await create(aCar({ vin }));
    expect(second.status).toBe(409);
    expect(second.body).toMatchObject({
      code: 'ASSET_VIN_TAKEN',
      errors: [{ field: '/body/vin', message: expect.any(String) }],
    });
    const other = (await create(aCar())).body;
    const patched = await assets.call(
      'PATCH',
      `/v1/assets/${other.id}`,
      admin,
      { vin },
      { 'if-match': '"1"' },
    );
    expect(patched.status).toBe(409);

    await assets.call('DELETE', `/v1/assets/${first.body.id}`, admin, undefined, { 'if-match': '"1"' });
    const reused = await create(aCar({ vin }));
    expect(reused.status).toBe(201);
    // Restoring the first would give one VIN to two live assets.
    const restore = await assets.call('POST', `/v1/assets/${first.body.id}/restore`, admin);
    expect(restore.status).toBe(409);
    expect(restore.body.code).toBe('ASSET_VIN_TAKEN');
  });

  it('should answer a replay of the first answer when the Idempotency-Key repeats', async () => {
    const body = aCar();
    const headers = { 'idempotency-key': `asset-${body.vin}` };
    const first = await assets.call('POST', '/v1/assets', admin, body, headers);
    const second = await assets.call('POST', '/v1/assets', admin, body, headers);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotent-replayed']).toBe('true');
    expect(second.body.id).toBe(first.body.id);
    const reused = await assets.call('POST', '/v1/assets', admin, aCar(), headers);
    expect(reused.status).toBe(422);
  });

  it('should follow every allowed manual transition and record each in the history', async () => {
    const id = (await create(aCar())).body.id as string;
    for (const status of ['reserved', 'available', 'reserved', 'leased', 'returned', 'available', 'sold']) {
      const answer = await setStatus(id, status, `manual ${status}`);
      expect(answer.status, `→ ${status}`).toBe(200);
      expect(answer.body.status).toBe(status);
    }
    const history = await assets.call('GET', `/v1/assets/${id}/status-history?limit=20`, admin);
    expect(
      history.body.items.map((row: { from: string | null; to: string }) => `${row.from}→${row.to}`),
    ).toEqual([
      'available→sold',
      'returned→available',
      'leased→returned',
      'reserved→leased',
      'available→reserved',
      'reserved→available',
      'available→reserved',
      'null→available',
    ]);
    expect(history.body.items[0]).toMatchObject({ reason: 'manual sold', actor: adminId, eventId: null });
    const statusEvents = (await assets.outbox())
      .filter((event) => event.subject === id && !/(created|updated)\.v1$/.test(event.type))
      .map((event) => event.type.split('.')[3]);
    expect(statusEvents).toEqual([
      'reserved',
      'released',
      'reserved',
      'leased',
      'returned',
      'released',
      'sold',
    ]);
  });

  it('should refuse each transition the guard table forbids with 409 naming from and to', async () => {
    for (const from of STATUSES) {
      for (const to of STATUSES.filter((target) => !ALLOWED[from]!.includes(target))) {
        const id = (await create(aCar())).body.id as string;
        for (const step of PATH_TO[from]) expect((await setStatus(id, step)).status).toBe(200);
        const answer = await setStatus(id, to);
        expect(answer.status, `${from} → ${to}`).toBe(409);
        expect(answer.body).toMatchObject({ code: 'ASSET_STATUS_TRANSITION_FORBIDDEN', from, to });
        expect(answer.body.allowed).toEqual(ALLOWED[from]);
        expect((await assets.call('GET', `/v1/assets/${id}`, admin)).body.status).toBe(from);
      }
    }
  });

  it('should check If-Match on a status change only when it is sent', async () => {
    const id = (await create(aCar())).body.id as string;
    const stale = await assets.call(
      'POST',
      `/v1/assets/${id}/status`,
      admin,
      { status: 'reserved', reason: 'x' },
      {
        'if-match': '"5"',
      },
    );
    expect(stale.status).toBe(412);
    const fresh = await assets.call(
      'POST',
      `/v1/assets/${id}/status`,
      admin,
      { status: 'reserved', reason: 'x' },
      {
        'if-match': '"1"',
      },
    );
    expect(fresh.status).toBe(200);
    const noReason = await assets.call('POST', `/v1/assets/${id}/status`, admin, { status: 'available' });
    expect(noReason.status).toBe(400);
    expect(noReason.body.errors[0].field).toBe('/body/reason');
  });

  it('should refuse to delete an asset while it is reserved or leased', async () => {
    const id = (await create(aCar())).body.id as string;
    await setStatus(id, 'reserved');
    const reserved = await assets.call('DELETE', `/v1/assets/${id}`, admin, undefined, { 'if-match': '"2"' });
    expect(reserved.status).toBe(409);
    expect(reserved.body).toMatchObject({ code: 'ASSET_IN_USE', status: 409 });
    await setStatus(id, 'leased');
    const leased = await assets.call('DELETE', `/v1/assets/${id}`, admin, undefined, { 'if-match': '"3"' });
    expect(leased.status).toBe(409);
    expect(leased.body.code).toBe('ASSET_IN_USE');
    await setStatus(id, 'returned');
    expect(
      (await assets.call('DELETE', `/v1/assets/${id}`, admin, undefined, { 'if-match': '"4"' })).status,
    ).toBe(200);
  });

  it('should answer a small cacheable summary and 304 when the cached one is current', async () => {
    const id = (await create(aCar({ year: 2026 }))).body.id as string;
    const summary = await assets.call('GET', `/v1/assets/${id}/summary`, admin);
    expect(summary.status).toBe(200);
    expect(summary.body).toEqual({
      id,
      type: 'car',
      make: 'Volkswagen',
      model: 'Golf 1.5 TSI',
      vin: expect.any(String),
      serialNumber: null,
      year: 2026,
      status: 'available',
    });
    expect(summary.headers['cache-control']).toBe('private, max-age=30');
    const tag = summary.headers.etag as string;
    const cached = await assets.call('GET', `/v1/assets/${id}/summary`, admin, undefined, {
      'if-none-match': tag,
    });
    expect(cached.status).toBe(304);
    await setStatus(id, 'reserved');
    const changed = await assets.call('GET', `/v1/assets/${id}/summary`, admin, undefined, {
      'if-none-match': tag,
    });
    expect(changed.status).toBe(200);
    expect(changed.body.status).toBe('reserved');
  });

  it('should answer 400 naming the parameter when a path or query parameter is malformed', async () => {
    const badId = await assets.call('GET', '/v1/assets/42', admin);
    expect(badId.status).toBe(400);
    expect(badId.body.errors[0].field).toBe('/params/id');
    const badSort = await assets.call('GET', '/v1/assets?sort=price', admin);
    expect(badSort.status).toBe(400);
    expect(badSort.body.errors[0].field).toBe('/query/sort');
    const badStatus = await assets.call('GET', '/v1/assets?status=stolen', admin);
    expect(badStatus.status).toBe(400);
    expect(badStatus.body.errors[0].field).toBe('/query/status');
  });

  it('should refuse a caller without a token (401) or without the permission (403)', async () => {
    expect((await assets.call('GET', '/v1/assets', undefined)).status).toBe(401);
    expect((await assets.call('GET', '/v1/assets', 'not-a-jwt')).status).toBe(401);
    const reader = await assets.token(['assets:assets:read']);
    expect((await assets.call('GET', '/v1/assets', reader)).status).toBe(200);
    const denied = await create(aCar(), reader);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ code: 'FORBIDDEN', permission: 'assets:assets:write' });
    const id = (await create(aCar())).body.id as string;
    expect((await setStatus(id, 'reserved')).status).toBe(200);
    expect(
      (await assets.call('POST', `/v1/assets/${id}/status`, reader, { status: 'available', reason: 'x' }))
        .status,
    ).toBe(403);
    const stranger = await assets.token(['sso:users:read']);
    expect((await assets.call('GET', `/v1/assets/${id}/summary`, stranger)).status).toBe(403);
    expect((await assets.call('GET', `/v1/assets/${id}/status-history`, stranger)).status).toBe(403);
    expect((await assets.call('GET', '/openapi.json', stranger)).status).toBe(403);
    expect((await assets.call('GET', '/openapi.json', await assets.token(['assets:docs:read']))).status).toBe(
      200,
    );
  });
});
