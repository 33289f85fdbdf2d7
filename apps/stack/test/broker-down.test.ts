import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRabbitTransport, type RabbitTransport } from '@lessor/events';
import {
  deleteTestNamespace,
  eventually,
  startTcpProxy,
  testAmqpUrl,
  type TcpProxy,
} from '@lessor/events/testing';
import { buildService, openDatabase, type Database, type ServiceApp } from '@lessor/service-kit';
import { createTestDatabase, testBackends, type TestDatabase } from '@lessor/service-kit/testing';
import { consumingServices } from '@lessor/event-catalog';
import { auditService } from '@lessor/audit';
import { ssoService } from '@lessor/sso';

const ADMIN_PASSWORD = 'broker-down-admin-password';
const USERS = 8;
const silent = pino({ level: 'silent' });
const amqpUrl = testAmqpUrl();
const postgres = testBackends().includes('postgres');

// sso reaches RabbitMQ through a TCP proxy the test cuts; audit reaches it directly. The broker itself never
// stops (other test runs share it): for sso, a cut proxy is a broker that is down.
describe.runIf(postgres && amqpUrl)(
  'sso and audit when the broker is down for sso (PostgreSQL, RabbitMQ)',
  () => {
    const namespace = `test-down-${Date.now().toString(36)}`;
    let proxy: TcpProxy;
    let ssoDb: TestDatabase<unknown>;
    let auditDb: Database<unknown>;
    let ssoTransport: RabbitTransport;
    let auditTransport: RabbitTransport;
    let sso: ServiceApp;
    let audit: ServiceApp;
    let admin: string;

    beforeAll(async () => {
      const broker = new URL(amqpUrl!);
      proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
      ssoDb = await createTestDatabase('postgres', { schema: 'sso' });
      // Audit in its own schema of the same database (in production: its own database).
      auditDb = await openDatabase<unknown>({ schema: 'audit', url: ssoDb.url! });
      ssoTransport = createRabbitTransport({
        url: proxy.urlFor(amqpUrl!),
        namespace,
        connectionName: `${namespace}-sso`,
        logger: silent,
      });
      auditTransport = createRabbitTransport({
        url: amqpUrl!,
        namespace,
        connectionName: `${namespace}-audit`,
        logger: silent,
      });
      // Each by its definition, as the stack builds it, but on the transports this test controls.
      sso = await buildService(ssoService, {
        env: { PORT: '0', LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD },
        database: ssoDb,
        transport: ssoTransport,
        logger: silent,
      });
      const ssoUrl = await sso.listen({ host: '127.0.0.1', port: 0 });
      audit = await buildService(auditService, {
        env: { PORT: '0', SSO_JWKS_URL: `${ssoUrl}/.well-known/jwks.json` },
        database: auditDb,
        transport: auditTransport,
        logger: silent,
      });
      await audit.ready();
      const login = await sso.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      admin = login.json().accessToken;
    });

    afterAll(async () => {
      proxy?.restore();
      await audit?.close();
      await sso?.close();
      await ssoTransport?.close();
      await auditTransport?.close();
      await proxy?.close();
      await auditDb?.close();
      await ssoDb?.dispose();
      // sso declared the queue of every consumer the catalogue names, under this namespace.
      if (amqpUrl) {
        await deleteTestNamespace(amqpUrl, namespace, consumingServices());
      }
    });

    const call = (app: ServiceApp, method: string, url: string, payload?: object, ifMatch?: string) =>
      app.inject({
        method: method as 'GET',
        url,
        payload,
        headers: { authorization: `Bearer ${admin}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      });

    /** The outbox backlog as sso reports it, by its admin route and by its metric. */
    const backlog = async () => {
      const route = (await call(sso, 'GET', '/v1/events/outbox')).json() as { pending: number };
      const metrics = (await sso.inject({ method: 'GET', url: '/metrics' })).body;
      const metric = Number(/^lessor_outbox_pending\{[^}]*} (\d+)$/m.exec(metrics)?.[1]);
      return { route: route.pending, metric };
    };

    /** Audit's records of these users, in the order audit applied them (UUIDv7 ids grow with insertion). */
    const appliedRecords = async (ids: readonly string[]) =>
      (
        await sql<{ entityId: string; action: string; eventId: string }>`
        select entity_id, action, event_id from audit_records
        where entity_type = 'user' and entity_id = any(${`{${ids.join(',')}}`}::text[])
        order by id`.execute(auditDb.db)
      ).rows;

    it('should keep every write answering, grow the outbox, and deliver every change once and in order when the broker comes back', async () => {
      // The path works before the cut.
      const before = await call(sso, 'POST', '/v1/users', {
        username: 'before-the-cut',
        fullName: 'Before',
        password: 'before-the-cut-password',
      });
      expect(before.statusCode).toBe(201);
      await eventually(async () => (await appliedRecords([before.json().id])).length === 1, {
        timeoutMs: 30_000,
      });
      expect(ssoTransport.isConnected()).toBe(true);

      proxy.sever();
      await eventually(() => !ssoTransport.isConnected(), { message: 'sso notices the broker is gone' });
      const pendingAtCut = (await backlog()).route;

      const users: { id: string; deleted: boolean }[] = [];
      const statuses: number[] = [];
      for (let n = 0; n < USERS; n++) {
        const created = await call(sso, 'POST', '/v1/users', {
          username: `down-${n}`,
          fullName: `User ${n}`,
          password: `down-password-${n}`,
        });
        statuses.push(created.statusCode);
        users.push({ id: created.json().id, deleted: n % 2 === 0 });
      }
      for (const user of users) {
        statuses.push(
          (await call(sso, 'PATCH', `/v1/users/${user.id}`, { fullName: 'Renamed' }, '"1"')).statusCode,
        );
      }
      for (const user of users.filter((candidate) => candidate.deleted)) {
        statuses.push((await call(sso, 'DELETE', `/v1/users/${user.id}`, undefined, '"2"')).statusCode);
      }
      const writes = USERS * 2 + USERS / 2;
      expect(statuses).toHaveLength(writes);
      expect(statuses.every((status) => status >= 200 && status < 300)).toBe(true);

      // Nothing got through: every change waits in sso's outbox, which the route and the metric both show.
      const during = await backlog();
      expect(during.route).toBeGreaterThanOrEqual(pendingAtCut + writes);
      expect(during.metric).toBe(during.route);
      expect(proxy.isSevered).toBe(true);
      expect(await appliedRecords(users.map((user) => user.id))).toEqual([]);
      // Long enough for the relay's publish to give up (the transport waits ~20 s for a connection) and be
      // recorded as failed: what arrives below is the relay retrying, not one publish that merely waited.
      const failed = await eventually(
        async () => {
          const { rows } = await sql<{ attempts: number | null; error: string | null }>`
            select max(publish_attempts) as attempts, max(last_error) as error
            from outbox where published_at is null`.execute(ssoDb.db);
          return (rows[0]?.attempts ?? 0) >= 1 ? rows[0]! : false;
        },
        { timeoutMs: 60_000, intervalMs: 200, message: 'a publish fails and is recorded' },
      );
      expect(failed.error).toMatch(/\S/);

      proxy.restore();
      const total = users.reduce((sum, user) => sum + (user.deleted ? 3 : 2), 0);
      const records = await eventually(
        async () => {
          const rows = await appliedRecords(users.map((user) => user.id));
          return rows.length >= total && (await backlog()).route === 0 ? rows : false;
        },
        { timeoutMs: 90_000, intervalMs: 200, message: 'audit has every change and the outbox is empty' },
      );

      expect(records).toHaveLength(total);
      expect(new Set(records.map((record) => record.eventId)).size).toBe(total);
      for (const user of users) {
        const actions = records
          .filter((record) => record.entityId === user.id)
          .map((record) => record.action);
        expect(actions).toEqual(user.deleted ? ['created', 'updated', 'deleted'] : ['created', 'updated']);
      }
      // The API, newest first by the time of each change, tells the same story.
      const page = (await call(audit, 'GET', `/v1/records?entityType=user&entityId=${users[0]!.id}`)).json();
      expect(page.items.map((item: { action: string }) => item.action)).toEqual([
        'deleted',
        'updated',
        'created',
      ]);
      expect(await backlog()).toEqual({ route: 0, metric: 0 });
      expect(ssoTransport.isConnected()).toBe(true);
    }, 150_000);
  },
);
