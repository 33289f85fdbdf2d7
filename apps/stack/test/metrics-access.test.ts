import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import { openDatabase, type Database } from '@lessor/service-kit';
import { createTestDatabase, type TestDatabase } from '@lessor/service-kit/testing';
import { bootSystem, type BootedSystem } from '../src/boot.ts';

/**
 * Issue 12, item 7: metrics through the gateway need a token and `gateway:metrics:read`; Prometheus still
 * scrapes each service on its own port without one. sso, parties and the gateway.
 */
describe('metrics through the gateway', () => {
  const password = 'metrics-admin-password';
  let database: TestDatabase<unknown>;
  const opened: Database<unknown>[] = [];
  let system: BootedSystem;
  let gateway: string;
  let admin: string;
  let narrow: string;

  const get = (url: string, token?: string) =>
    fetch(url, token ? { headers: { authorization: `Bearer ${token}` } } : {});

  async function login(username: string, secret: string): Promise<string> {
    const response = await fetch(`${gateway}/api/sso/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: secret }),
    });
    expect(response.status).toBe(200);
    return ((await response.json()) as { accessToken: string }).accessToken;
  }

  async function post(path: string, body: unknown): Promise<{ id: string }> {
    const response = await fetch(`${gateway}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return (await response.json()) as { id: string };
  }

  beforeAll(async () => {
    database = await createTestDatabase<unknown>('postgres', { schema: 'lessor_bus' });
    const bus = createInProcessTransport({ db: database.db });
    system = await bootSystem({
      only: ['sso', 'parties', 'gateway'],
      databaseFor: async (schema) => {
        const db = await openDatabase<unknown>({ schema, url: database.url });
        opened.push(db);
        return db;
      },
      transportFor: () => bus,
      portFor: () => 0,
      env: { LOG_LEVEL: 'silent', LESSOR_ADMIN_PASSWORD: password, LESSOR_DATA_DIR: '/nonexistent' },
      logger: () => pino({ level: 'silent' }),
    });
    gateway = system.urls.get('gateway')!;
    admin = await login('admin', password);
    // Everything an operator might hold, except the metrics.
    const role = await post('/api/sso/v1/roles', {
      name: 'no metrics',
      permissions: ['gateway:services:read', 'parties:parties:read'],
    });
    await post('/api/sso/v1/users', {
      username: 'nometrics',
      fullName: 'No Metrics',
      password: 'no-metrics-password-1',
      roleIds: [role.id],
    });
    narrow = await login('nometrics', 'no-metrics-password-1');
  }, 120_000);

  afterAll(async () => {
    await system?.stop();
    for (const db of opened) await db.close();
    await database?.dispose();
  });

  it("should refuse a service's metrics through the gateway without a token (401) or the permission (403)", async () => {
    const anonymous = await get(`${gateway}/api/parties/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await anonymous.text()).not.toContain('http_request');

    const forbidden = await get(`${gateway}/api/parties/metrics`, narrow);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ permission: 'gateway:metrics:read' });

    const allowed = await get(`${gateway}/api/parties/metrics`, admin);
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await allowed.text()).toContain('service="parties"');
  });

  it("should serve the service's own port without a token, as Prometheus scrapes it", async () => {
    const direct = await get(`${system.urls.get('parties')}/metrics`);
    expect(direct.status).toBe(200);
    expect(await direct.text()).toContain('service="parties"');
  });

  it("should guard the gateway's own metrics on its public port, both spellings", async () => {
    for (const path of ['/metrics', '/api/gateway/metrics']) {
      expect((await get(`${gateway}${path}`)).status, path).toBe(401);
      expect((await get(`${gateway}${path}`, narrow)).status, path).toBe(403);
      const allowed = await get(`${gateway}${path}`, admin);
      expect(allowed.status, path).toBe(200);
      expect(await allowed.text(), path).toContain('service="gateway"');
    }
  });

  it('should not let another spelling of the path reach the public metrics', async () => {
    for (const path of [
      '/api/parties/%6Detrics',
      '/api/parties/metrics%3Fx=1',
      '/api/parties/metrics%23',
      '/api/parties/./metrics',
      '/api/parties/%2e/metrics',
      '/api/parties/v1/../metrics',
      '/api/parties/metrics/',
      '/api/parties//metrics',
      '/api/parties/METRICS',
      '/api/parties/metrics?x=1',
      '/api/p%61rties/metrics',
    ]) {
      const response = await get(`${gateway}${path}`);
      expect(response.status, path).toBeGreaterThanOrEqual(400);
      expect(await response.text(), path).not.toContain('http_request');
    }
  });
});
