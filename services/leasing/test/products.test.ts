import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testBackends } from '@lessor/service-kit/testing';
import { authorAndApprover, exampleCalculation, startLeasing, type Leasing } from './fixtures.ts';

/**
 * What the admin's product pages do (issue 12: a fresh install has no product and so cannot quote): make one,
 * edit it, retire it (`active: false`: kept, read, no longer offered) and offer it again.
 */
describe.each(testBackends())('leasing products as the admin manages them on %s', (backend) => {
  let leasing: Leasing;
  let author: string;

  beforeAll(async () => {
    leasing = await startLeasing(backend);
    ({ author } = await authorAndApprover(leasing));
  });
  afterAll(async () => leasing?.close());

  const change = (id: string, etag: string, body: unknown) =>
    leasing.call('PATCH', `/v1/products/${id}`, author, body, { 'if-match': etag });

  it('should stop offering a product to calculations when it is retired, and offer it again when reactivated', async () => {
    const created = await leasing.call('POST', '/v1/products', author, {
      code: 'RETIRE-1',
      name: 'Cars, 2025 terms',
      currencies: ['EUR'],
      scheduleTypes: ['annuity'],
      minTermMonths: 12,
      maxTermMonths: 60,
      minRate: '2',
      maxRate: '15',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.active).toBe(true);
    const id = created.body.id as string;

    const edited = await change(id, created.headers.etag as string, {
      name: 'Cars, 2026 terms',
      maxRate: '12',
    });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    expect(edited.body).toMatchObject({ name: 'Cars, 2026 terms', maxRate: '12', version: 2 });
    // An edit is checked as a whole product: a range it inverts is refused, naming the field.
    const inverted = await change(id, edited.headers.etag as string, { minTermMonths: 72 });
    expect(inverted.status).toBe(422);
    expect(inverted.body.errors[0].field).toBe('/body/maxTermMonths');

    const retired = await change(id, edited.headers.etag as string, { active: false });
    expect(retired.status, JSON.stringify(retired.body)).toBe(200);
    const offered = await leasing.call('GET', '/v1/products?limit=200&active=true', author);
    expect(offered.body.items.map((product: { id: string }) => product.id)).not.toContain(id);
    const all = await leasing.call('GET', '/v1/products?limit=200', author);
    expect(all.body.items.find((product: { id: string }) => product.id === id)).toMatchObject({
      active: false,
    });
    const quote = await leasing.call('POST', '/v1/calculations', author, exampleCalculation(id));
    expect(quote.status).toBe(422);
    expect(quote.body.errors[0].field).toBe('/body/productId');

    const again = await change(id, retired.headers.etag as string, { active: true });
    expect(again.status).toBe(200);
    const quoted = await leasing.call('POST', '/v1/calculations', author, exampleCalculation(id));
    expect(quoted.status, JSON.stringify(quoted.body)).toBe(201);
  });

  it('should refuse a change to a product without the write permission', async () => {
    const reader = await leasing.token(['leasing:products:read']);
    const created = await leasing.call('POST', '/v1/products', author, {
      code: 'RETIRE-2',
      name: 'Trucks',
      currencies: ['EUR'],
      scheduleTypes: ['annuity'],
      minTermMonths: 12,
      maxTermMonths: 60,
      minRate: '2',
      maxRate: '15',
    });
    const refused = await leasing.call(
      'PATCH',
      `/v1/products/${created.body.id}`,
      reader,
      { active: false },
      { 'if-match': created.headers.etag as string },
    );
    expect(refused.status).toBe(403);
  });
});
