import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { eventually } from '@lessor/events/testing';
import { createTestIssuer, type TestIssuer } from '@lessor/auth/testing';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { ServiceApp } from '../src/index.ts';
import { buildWidgetService } from './widget-service.ts';

const backends = await testBackends();

describe.each(backends)('service kit over HTTP on %s', (backend) => {
  let issuer: TestIssuer;
  let app: ServiceApp;
  let dispose: () => Promise<void>;
  let releaseSlow: () => void = () => {};
  const logLines: string[] = [];
  let reader: string;
  let writer: string;

  beforeAll(async () => {
    issuer = await createTestIssuer();
    const database = await createTestDatabase(backend, { schema: 'widgets' });
    dispose = () => database.dispose();
    const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    app = await buildWidgetService(database, issuer, logger, { slowGate });
    await app.ready();
    reader = await issuer.sign({ permissions: ['widgets:widgets:read'] });
    writer = await issuer.sign({ permissions: ['widgets:*:*'] });
  });
  afterAll(async () => {
    releaseSlow();
    await app.close();
    await dispose();
  });

  const create = (body: unknown, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/widgets',
      headers: { authorization: `Bearer ${writer}`, ...headers },
      payload: body as object,
    });

  it('should answer 400 problem+json naming every bad field when the body is invalid', async () => {
    const response = await create({ name: '', price: '12.5', colour: 'red' });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = response.json();
    expect(body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      type: 'urn:lessor:problem:validation-failed',
    });
    const fields = body.errors.map((error: { field: string }) => error.field).sort();
    expect(fields).toEqual(['/body/colour', '/body/name', '/body/price']);
  });

  it('should answer 400 problem+json when the JSON is malformed', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/widgets',
      headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('VALIDATION_FAILED');
  });

  it('should answer 404 problem+json when no route matches', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404 });
  });

  it('should answer 500 without internals and log the cause when a handler throws', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/boom',
      headers: { authorization: `Bearer ${reader}`, 'x-request-id': 'req-boom-1' },
    });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(response.body).not.toMatch(/hunter2|secret\.ts|at /);
    const logged = logLines
      .map((line) => JSON.parse(line))
      .find((line) => line.requestId === 'req-boom-1' && line.level === 50);
    expect(logged?.err?.message).toContain('hunter2');
  });

  it('should refuse a request without a token with 401 and a Bearer challenge', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/widgets' });
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(response.json().code).toBe('UNAUTHENTICATED');
  });

  it('should refuse a token without the route permission with 403', async () => {
    const response = await create({ name: 'x', price: '1.00' }, { authorization: `Bearer ${reader}` });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ code: 'FORBIDDEN', permission: 'widgets:widgets:write' });
  });

  it('should refuse the docs and openapi.json without a token and serve them with docs permission', async () => {
    for (const url of ['/openapi.json', '/docs', '/docs/json']) {
      expect((await app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    const docsReader = await issuer.sign({ permissions: ['widgets:docs:read'] });
    const spec = await app.inject({
      method: 'GET',
      url: '/openapi.json',
      headers: { authorization: `Bearer ${docsReader}` },
    });
    expect(spec.statusCode).toBe(200);
    expect(spec.json().openapi).toBe('3.1.0');
    expect(Object.keys(spec.json().paths)).toContain('/v1/widgets');
    const page = await app.inject({
      method: 'GET',
      url: '/docs/',
      headers: { cookie: `lessor_access_token=${docsReader}` },
    });
    expect(page.statusCode).toBe(200);
    // Without the slash, a relative redirect: behind the gateway's /api/<service>/ its assets still resolve.
    const bare = await app.inject({
      method: 'GET',
      url: '/docs',
      headers: { cookie: `lessor_access_token=${docsReader}` },
    });
    expect(bare.statusCode).toBe(302);
    expect(bare.headers.location).toBe('docs/');
    expect(
      (
        await app.inject({
          method: 'GET',
          url: '/openapi.json',
          headers: { authorization: `Bearer ${reader}` },
        })
      ).statusCode,
    ).toBe(403);
  });

  it('should count requests by route template in /metrics with a 0.3 s bucket', async () => {
    await app.inject({ method: 'GET', url: '/v1/widgets', headers: { authorization: `Bearer ${reader}` } });
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(
      /http_requests_total\{[^}]*route="\/v1\/widgets"[^}]*method="GET"[^}]*status="200"[^}]*\} [1-9]/,
    );
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*le="0\.3"[^}]*route="\/v1\/widgets"/);
    expect(metrics).toMatch(/service="widgets"/);
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);
  });

  it('should answer health live and ready with the database check', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'up' });
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).json()).toEqual({
      status: 'up',
      checks: { database: 'up' },
    });
  });

  it('should echo the request id and continue the caller trace in the logs', async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const response = await app.inject({
      method: 'GET',
      url: '/v1/widgets',
      headers: {
        authorization: `Bearer ${reader}`,
        'x-request-id': 'req-trace-1',
        traceparent: `00-${traceId}-00f067aa0ba902b7-01`,
      },
    });
    expect(response.headers['x-request-id']).toBe('req-trace-1');
    const lines = logLines.map((line) => JSON.parse(line)).filter((line) => line.requestId === 'req-trace-1');
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.traceId === traceId && line.service === 'widgets')).toBe(true);
    expect(lines.some((line) => typeof line.actor === 'string')).toBe(true);
    expect(logLines.join('\n')).not.toContain(reader);
  });

  it('should log one line per request when it is answered, with method, url, status and time (issue 13)', async () => {
    await app.inject({
      method: 'GET',
      url: '/v1/widgets?limit=5',
      headers: { authorization: `Bearer ${reader}`, 'x-request-id': 'req-one-line-1' },
    });
    const lines = logLines
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === 'req-one-line-1');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: 'request completed',
      actor: expect.any(String),
      req: { method: 'GET', url: '/v1/widgets?limit=5' },
      res: { statusCode: 200 },
      responseTime: expect.any(Number),
    });
  });

  it('should hide soft-deleted rows from lists, list them on request and bring them back on restore', async () => {
    const created = (await create({ name: 'aa-to-delete', price: '10.00' })).json();
    const list = async (deleted = 'exclude') =>
      (
        await app.inject({
          method: 'GET',
          url: `/v1/widgets?limit=100&deleted=${deleted}`,
          headers: { authorization: `Bearer ${reader}` },
        })
      )
        .json()
        .items.map((item: { id: string }) => item.id);
    expect(await list()).toContain(created.id);
    const deleted = await app.inject({
      method: 'DELETE',
      url: `/v1/widgets/${created.id}`,
      headers: { authorization: `Bearer ${writer}`, 'if-match': `"${created.version}"` },
    });
    expect(deleted.statusCode).toBe(200);
    expect(await list()).not.toContain(created.id);
    expect(await list('only')).toContain(created.id);
    const restored = await app.inject({
      method: 'POST',
      url: `/v1/widgets/${created.id}/restore`,
      headers: { authorization: `Bearer ${writer}` },
    });
    expect(restored.statusCode).toBe(200);
    expect(await list()).toContain(created.id);
    expect(await list('only')).not.toContain(created.id);
  });

  it('should refuse a physical DELETE in the database and keep the row', async () => {
    const created = (await create({ name: 'bb-keep', price: '1.00' })).json();
    const response = await app.inject({
      method: 'DELETE',
      url: `/v1/widgets/${created.id}/physically`,
      headers: { authorization: `Bearer ${writer}` },
    });
    expect(response.statusCode).toBe(500);
    const list = await app.inject({
      method: 'GET',
      url: '/v1/widgets?limit=100',
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(list.json().items.map((item: { id: string }) => item.id)).toContain(created.id);
  });

  it('should answer 412 for a stale If-Match and 428 for none', async () => {
    const created = (await create({ name: 'cc-versioned', price: '1.00' })).json();
    const patch = (ifMatch?: string) =>
      app.inject({
        method: 'PATCH',
        url: `/v1/widgets/${created.id}`,
        headers: { authorization: `Bearer ${writer}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
        payload: { price: '2.00' },
      });
    const first = await patch('"1"');
    expect(first.statusCode).toBe(200);
    expect(first.headers.etag).toBe('"2"');
    const stale = await patch('"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.json().code).toBe('PRECONDITION_FAILED');
    expect((await patch()).statusCode).toBe(428);
  });

  it('should replay the stored answer when an Idempotency-Key repeats with the same body', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const first = await create({ name: 'dd-once', price: '5.00' }, { 'idempotency-key': key });
    const second = await create({ name: 'dd-once', price: '5.00' }, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json().id).toBe(first.json().id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const list = await app.inject({
      method: 'GET',
      url: '/v1/widgets?limit=100',
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(list.json().items.filter((item: { name: string }) => item.name === 'dd-once')).toHaveLength(1);
  });

  it('should answer 422 when an Idempotency-Key repeats with another body', async () => {
    const key = `key-${crypto.randomUUID()}`;
    expect((await create({ name: 'ee-first', price: '5.00' }, { 'idempotency-key': key })).statusCode).toBe(
      201,
    );
    const other = await create({ name: 'ee-other', price: '6.00' }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(422);
    expect(other.json().code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('should answer 409 when an Idempotency-Key repeats while the first request is in flight', async () => {
    const key = `key-${crypto.randomUUID()}`;
    const first = create({ name: 'slow', price: '7.00' }, { 'idempotency-key': key });
    // Let the first request claim the key before the second arrives.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = await create({ name: 'slow', price: '7.00' }, { 'idempotency-key': key });
    expect(second.statusCode).toBe(409);
    expect(second.json().code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
    releaseSlow();
    expect((await first).statusCode).toBe(201);
    const third = await create({ name: 'slow', price: '7.00' }, { 'idempotency-key': key });
    expect(third.json().id).toBe((await first).json().id);
  });

  it('should page through every row exactly once with the cursor', async () => {
    for (let i = 0; i < 7; i++) await create({ name: `zz-page-${i}`, price: '1.00' });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/widgets?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const page = (
        await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${reader}` } })
      ).json();
      seen.push(...page.items.map((item: { name: string }) => item.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.filter((name) => name.startsWith('zz-page-'))).toEqual(
      [0, 1, 2, 3, 4, 5, 6].map((i) => `zz-page-${i}`),
    );
    expect(new Set(seen).size).toBe(seen.length);
    const bad = await app.inject({
      method: 'GET',
      url: '/v1/widgets?cursor=not-a-cursor',
      headers: { authorization: `Bearer ${reader}` },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('INVALID_CURSOR');
  });
});

describe.each(backends)('the signing keys of a service on %s', (backend) => {
  it('should be loaded when the service is ready, so its first request does not fetch them', async () => {
    const issuer = await createTestIssuer();
    const database = await createTestDatabase(backend, { schema: 'widgets' });
    let reads = 0;
    const app = await buildWidgetService(database, issuer, pino({ level: 'silent' }), {
      keysRead: () => (reads += 1),
    });
    try {
      await app.ready();
      await eventually(() => reads === 1);
      const reader = await issuer.sign({ permissions: ['widgets:widgets:read'] });
      const first = await app.inject({
        method: 'GET',
        url: '/v1/widgets',
        headers: { authorization: `Bearer ${reader}` },
      });
      expect(first.statusCode).toBe(200);
      expect(reads).toBe(1);
    } finally {
      await app.close();
      await database.dispose();
    }
  });
});
