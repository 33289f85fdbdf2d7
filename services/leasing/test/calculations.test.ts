import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from 'decimal.js';
import * as formula from '@formulajs/formulajs';
import { testBackends } from '@lessor/service-kit/testing';
import { authorAndApprover, exampleCalculation, seed, startLeasing, type Leasing } from './fixtures.ts';

describe.each(testBackends())('leasing calculations and products on %s', (backend) => {
  let leasing: Leasing;
  let author: string;
  let productId: string;

  beforeAll(async () => {
    leasing = await startLeasing(backend);
    ({ author } = await authorAndApprover(leasing));
    ({ productId } = await seed(leasing, author));
  });
  afterAll(async () => leasing?.close());

  it('should answer the whole schedule when given the example terms', async () => {
    const answer = await leasing.call('POST', '/v1/calculations', author, exampleCalculation(productId));
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    const calculation = answer.body;
    expect(calculation.financedAmount).toEqual({ amount: '96000.00', currency: 'EUR' });
    expect(calculation.schedule).toHaveLength(36);
    expect(calculation.schedule[0].dueDate).toBe('2026-02-28');
    expect(calculation.schedule[1].dueDate).toBe('2026-03-31');
    // Excel's PMT, computed independently: the level payment that brings 96,000 to the 10,000 residual.
    const rate = 9.5 / 12 / 100;
    const expected = new Decimal(formula.PMT(rate, 36, -96000, 10000) as number).toFixed(2);
    expect(calculation.schedule[0].payment).toEqual({ amount: expected, currency: 'EUR' });
    expect(calculation.schedule[0].interest.amount).toBe(new Decimal(96000).times(rate).toFixed(2));
    const principal = calculation.schedule.reduce(
      (sum: Decimal, line: { principal: { amount: string } }) => sum.plus(line.principal.amount),
      new Decimal(0),
    );
    expect(principal.toFixed(2)).toBe('86000.00');
    expect(calculation.schedule.at(-1).balance.amount).toBe('10000.00');
    expect(calculation.schedule[0].vat.amount).toBe(new Decimal(expected).times(0.2).toFixed(2));
    expect(calculation.effectiveRate).toMatch(/^\d+\.\d{4,}$/);
    expect(calculation.totals.principal).toEqual({ amount: '86000.00', currency: 'EUR' });

    const read = await leasing.call('GET', `/v1/calculations/${calculation.id}`, author);
    expect(read.status).toBe(200);
    expect(read.body.schedule).toEqual(calculation.schedule);
    const list = await leasing.call('GET', `/v1/calculations?productId=${productId}`, author);
    expect(list.body.items.map((item: { id: string }) => item.id)).toContain(calculation.id);
  });

  it('should calculate differentiated and seasonal schedules when asked', async () => {
    const differentiated = await leasing.call('POST', '/v1/calculations', author, {
      ...exampleCalculation(productId),
      scheduleType: 'differentiated',
    });
    expect(differentiated.status).toBe(201);
    const payments = differentiated.body.schedule.map(
      (line: { payment: { amount: string } }) => line.payment.amount,
    );
    expect(new Decimal(payments[0]).gt(payments[10])).toBe(true);
    const seasonal = await leasing.call('POST', '/v1/calculations', author, {
      ...exampleCalculation(productId),
      scheduleType: 'seasonal',
      seasonalWeights: ['0.5', '0.5', '1', '1', '1.5', '1.5', '1.5', '1.5', '1', '1', '0.5', '0.5'],
    });
    expect(seasonal.status, JSON.stringify(seasonal.body)).toBe(201);
    const june = seasonal.body.schedule.find((line: { dueDate: string }) =>
      line.dueDate.startsWith('2026-06'),
    );
    const december = seasonal.body.schedule.find((line: { dueDate: string }) =>
      line.dueDate.startsWith('2026-12'),
    );
    expect(new Decimal(june.payment.amount).gt(december.payment.amount)).toBe(true);
    expect(seasonal.body.schedule.at(-1).balance.amount).toBe('10000.00');
  });

  const bad: [string, (body: ReturnType<typeof exampleCalculation>) => object, number, string][] = [
    [
      'a zero price',
      (b) => ({ ...b, assetPrice: { amount: '0', currency: 'EUR' } }),
      422,
      '/body/assetPrice/amount',
    ],
    [
      'a negative price',
      (b) => ({ ...b, assetPrice: { amount: '-5.00', currency: 'EUR' } }),
      422,
      '/body/assetPrice/amount',
    ],
    ['term 0', (b) => ({ ...b, termMonths: 0 }), 400, '/body/termMonths'],
    ['a rate above the product’s range', (b) => ({ ...b, annualRate: '25' }), 422, '/body/annualRate'],
    ['a rate below the product’s range', (b) => ({ ...b, annualRate: '1' }), 422, '/body/annualRate'],
    ['a term outside the product’s range', (b) => ({ ...b, termMonths: 6 }), 422, '/body/termMonths'],
    [
      'a residual above the financed amount',
      (b) => ({ ...b, productId: undefined, residualValue: { amount: '100000.00', currency: 'EUR' } }),
      422,
      '/body/residualValue/amount',
    ],
    [
      'an unknown currency',
      (b) => ({
        ...b,
        productId: undefined,
        assetPrice: { amount: '1000.00', currency: 'XYZ' },
        residualValue: undefined,
      }),
      400,
      '/body/assetPrice/currency',
    ],
    [
      'a lower-case currency',
      (b) => ({ ...b, assetPrice: { amount: '1000.00', currency: 'eur' } }),
      400,
      '/body/assetPrice/currency',
    ],
    [
      '11 seasonal weights',
      (b) => ({ ...b, scheduleType: 'seasonal', seasonalWeights: Array(11).fill('1') }),
      400,
      '/body/seasonalWeights',
    ],
    ['seasonal without weights', (b) => ({ ...b, scheduleType: 'seasonal' }), 422, '/body/seasonalWeights'],
    [
      'a residual in another currency',
      (b) => ({ ...b, residualValue: { amount: '10.00', currency: 'USD' } }),
      422,
      '/body/residualValue/currency',
    ],
    ['a bad start date', (b) => ({ ...b, startDate: '2026-02-30' }), 400, '/body/startDate'],
    ['an unknown field', (b) => ({ ...b, discount: '5' }), 400, '/body/discount'],
    [
      'an unknown product',
      (b) => ({ ...b, productId: '0190a5c4-0000-7000-8000-000000000000' }),
      422,
      '/body/productId',
    ],
  ];

  it.each(bad)('should refuse %s naming the field', async (_what, change, status, field) => {
    const before = (await leasing.outbox()).length;
    const answer = await leasing.call(
      'POST',
      '/v1/calculations',
      author,
      change(exampleCalculation(productId)),
    );
    expect(answer.status, JSON.stringify(answer.body)).toBe(status);
    expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(answer.body.errors.map((error: { field: string }) => error.field)).toContain(field);
    expect((await leasing.outbox()).length).toBe(before);
  });

  it('should add the product’s fees and lower the first flow when the product has fees', async () => {
    const product = await leasing.call('POST', '/v1/products', author, {
      code: `FEE-${Date.now().toString(36).toUpperCase()}`,
      name: 'With a handling fee',
      currencies: ['EUR'],
      scheduleTypes: ['annuity'],
      minTermMonths: 12,
      maxTermMonths: 60,
      minRate: '0',
      maxRate: '20',
      fees: [{ name: 'handling', percent: '1' }],
    });
    expect(product.status, JSON.stringify(product.body)).toBe(201);
    const withFee = await leasing.call(
      'POST',
      '/v1/calculations',
      author,
      exampleCalculation(product.body.id),
    );
    const without = await leasing.call('POST', '/v1/calculations', author, exampleCalculation());
    expect(without.status, JSON.stringify(without.body)).toBe(201);
    expect(withFee.body.fees).toEqual([{ name: 'handling', amount: { amount: '1200.00', currency: 'EUR' } }]);
    expect(new Decimal(withFee.body.effectiveRate).gt(without.body.effectiveRate)).toBe(true);
  });

  it('should refuse a duplicate product code and inverted ranges', async () => {
    const body = {
      code: 'DUP-1',
      name: 'x',
      currencies: ['EUR'],
      scheduleTypes: ['annuity'],
      minTermMonths: 12,
      maxTermMonths: 24,
      minRate: '1',
      maxRate: '2',
    };
    expect((await leasing.call('POST', '/v1/products', author, body)).status).toBe(201);
    const again = await leasing.call('POST', '/v1/products', author, {
      ...body,
      code: 'dup-1'.toUpperCase(),
    });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('PRODUCT_CODE_TAKEN');
    const inverted = await leasing.call('POST', '/v1/products', author, {
      ...body,
      code: 'INV-1',
      minRate: '5',
    });
    expect(inverted.status).toBe(422);
    expect(inverted.body.errors[0].field).toBe('/body/maxRate');
  });

  it('should refuse without a token or without the permission', async () => {
    expect((await leasing.call('POST', '/v1/calculations', undefined, exampleCalculation())).status).toBe(
      401,
    );
    const reader = await leasing.token(['leasing:calculations:read']);
    expect((await leasing.call('POST', '/v1/calculations', reader, exampleCalculation())).status).toBe(403);
  });

  it('should publish the calculation and product changes through the outbox', async () => {
    const created = await leasing.outbox('lessor.leasing.calculation.created.v1');
    expect(created.length).toBeGreaterThan(0);
    expect(created[0]!.actor).toBe('user-author');
    expect((await leasing.outbox('lessor.leasing.product.created.v1')).length).toBeGreaterThan(0);
  });
});
