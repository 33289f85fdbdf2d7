import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createTestIssuer, type TestIssuer } from '@lessor/auth/testing';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { ServiceApp } from '../src/index.ts';
import { buildWidgetService } from './widget-service.ts';

const backends = await testBackends();

/**
 * Bad input the kit refuses before a service sees it (issue 12): a NUL character in any string (PostgreSQL
 * cannot store one in text and answered 500), a body that is not UTF-8 (stored with replacement characters),
 * a JSON number where the schema wants a string (a float must never become money), a garbage cursor on the
 * parked-events list.
 */
describe.each(backends)('bad input refused by the kit on %s', (backend) => {
  let issuer: TestIssuer;
  let app: ServiceApp;
  let dispose: () => Promise<void>;
  let writer: string;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const database = await createTestDatabase(backend, { schema: 'widgets' });
    dispose = () => database.dispose();
    app = await buildWidgetService(database, issuer, pino({ level: 'silent' }), { events: true });
    await app.ready();
    writer = await issuer.sign({ permissions: ['widgets:*:*'] });
  });
  afterAll(async () => {
    await app?.close();
    await dispose?.();
  });

  const call = (options: {
    method?: 'GET' | 'POST';
    url: string;
    payload?: string | Buffer | object;
    headers?: Record<string, string>;
  }) =>
    app.inject({
      method: options.method ?? 'GET',
      url: options.url,
      headers: { authorization: `Bearer ${writer}`, ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });

  const expectFieldRefused = (
    response: Awaited<ReturnType<typeof call>>,
    field: string,
    code = 'VALIDATION_FAILED',
  ) => {
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body.code).toBe(code);
    expect(body.errors.map((error: { field: string }) => error.field)).toContain(field);
  };

  it('should refuse a NUL character in a body string with 400 naming the field', async () => {
    const response = await call({
      method: 'POST',
      url: '/v1/widgets',
      payload: { name: 'a\u0000b', price: '1.00' },
    });
    expectFieldRefused(response, '/body/name');
  });

  it('should refuse a NUL character nested in a body array or object', async () => {
    const response = await call({
      method: 'POST',
      url: '/v1/widgets',
      payload: { name: 'ok', price: '1.00', extra: { tags: ['x', 'y\u0000'] } },
    });
    expectFieldRefused(response, '/body/extra/tags/1');
  });

  it('should refuse a NUL character in a body field name', async () => {
    const response = await call({
      method: 'POST',
      url: '/v1/widgets',
      payload: '{"name":"ok","price":"1.00","a\\u0000":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });

  it('should refuse a NUL character in the query string with 400 naming the parameter', async () => {
    expectFieldRefused(await call({ url: '/v1/widgets?name=%00' }), '/query/name');
  });

  it('should refuse a NUL character in a path parameter with 400 naming it', async () => {
    expectFieldRefused(await call({ url: '/v1/widgets/by-name/a%00b' }), '/params/name');
  });

  it('should refuse a NUL character in a header with 400 naming it', async () => {
    const response = await call({
      url: '/v1/widgets/by-name/a',
      headers: { 'x-widget-label': 'b\u0000' },
    });
    expectFieldRefused(response, '/headers/x-widget-label');
  });

  it('should refuse a JSON body that is not valid UTF-8 with 400', async () => {
    const payload = Buffer.concat([
      Buffer.from('{"name":"caf'),
      Buffer.from([0xe9]), // Latin-1 é: not UTF-8
      Buffer.from('","price":"1.00"}'),
    ]);
    const response = await call({
      method: 'POST',
      url: '/v1/widgets',
      payload,
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode, response.body).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(response.json().detail).toMatch(/UTF-8/);
  });

  it('should still take UTF-8 bodies, a byte order mark and an explicit charset', async () => {
    const response = await call({
      method: 'POST',
      url: '/v1/widgets',
      payload: Buffer.from('\uFEFF{"name":"café ☕","price":"2.00"}', 'utf8'),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json().name).toBe('café ☕');
  });

  it('should refuse a JSON number where the body wants a decimal string, naming the field', async () => {
    // Coerced, 12.34 became "12.34" and 1e2 became "100": a float must never become money.
    for (const price of [12.34, 1e2]) {
      const response = await call({ method: 'POST', url: '/v1/widgets', payload: { name: 'n', price } });
      expectFieldRefused(response, '/body/price');
    }
  });

  it('should still coerce query parameters, which are strings on the wire', async () => {
    const response = await call({ url: '/v1/widgets?limit=2' });
    expect(response.statusCode).toBe(200);
  });

  it('should answer 400 INVALID_CURSOR for a garbage cursor on the parked events', async () => {
    for (const cursor of ['garbage', 'e30', '%00', 'eyJpZCI6MX0', '../..']) {
      const response = await call({ url: `/v1/events/parked?cursor=${cursor}` });
      expect(response.statusCode, `${cursor}: ${response.body}`).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(['INVALID_CURSOR', 'VALIDATION_FAILED']).toContain(response.json().code);
    }
    const garbage = await call({ url: '/v1/events/parked?cursor=garbage' });
    expect(garbage.json()).toMatchObject({ code: 'INVALID_CURSOR', status: 400 });
  });

  it('should answer a path it cannot route (bad percent-encoding, a long parameter) as problem+json', async () => {
    for (const segment of ['%ZZ', '%C0%AF', 'p'.repeat(4000)]) {
      const response = await call({ url: `/v1/widgets/by-name/${segment}` });
      expect(response.statusCode, segment.slice(0, 10)).toBe(400);
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.json().errors[0].field).toBe('/params');
    }
  });

  it('should refuse a NUL character in the parked events type filter', async () => {
    expectFieldRefused(await call({ url: '/v1/events/parked?type=%00' }), '/query/type');
  });
});
