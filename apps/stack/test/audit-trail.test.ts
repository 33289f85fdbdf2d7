import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { sql } from 'kysely';
import { createInProcessTransport, createRabbitTransport, type Transport } from '@lessor/events';
import { consumingServices } from '@lessor/event-catalog';
import { deleteTestNamespace, eventually, testAmqpUrl } from '@lessor/events/testing';
import { openDatabase, type Database, type ServiceApp } from '@lessor/service-kit';
import {
  createTestDatabase,
  testBackends,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { buildApp as buildAudit, loadAuditConfig } from '@lessor/audit';
import { buildApp as buildSso, loadSsoConfig } from '@lessor/sso';

const ADMIN_PASSWORD = 'audit-trail-admin-password';
const silent = pino({ level: 'silent' });
const amqpUrl = testAmqpUrl();
// Embedded: the in-process bus, as `npm start` runs. Distributed: RabbitMQ when it answers, as CI runs it.
const setups: { backend: Backend; broker: 'in-process' | 'rabbitmq' }[] = [];
for (const backend of testBackends()) {
  setups.push({ backend, broker: 'in-process' });
  if (amqpUrl) setups.push({ backend, broker: 'rabbitmq' });
}

describe.each(setups)(
  'the audit trail of sso changes on $backend with the $broker transport',
  ({ backend, broker }) => {
    let ssoDb: TestDatabase<unknown>;
    let auditDb: Database<unknown>;
    let transports: Transport[] = [];
    const namespace = `test-${Date.now().toString(36)}`;
    let sso: ServiceApp;
    let audit: ServiceApp;
    let admin: string;
    let adminId: string;

    beforeAll(async () => {
      ssoDb = await createTestDatabase(backend, { schema: 'sso' });
      // Audit in its own schema of the same database, as in embedded mode (in production: its own database).
      auditDb = await openDatabase<unknown>({ schema: 'audit', url: ssoDb.url });
      const transport = (name: string) =>
        broker === 'rabbitmq'
          ? createRabbitTransport({ url: amqpUrl!, namespace, connectionName: name })
          : createInProcessTransport({ db: ssoDb.db });
      transports = [transport('sso'), transport('audit')];
      sso = await buildSso({
        config: loadSsoConfig({ PORT: '0', LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD }),
        database: ssoDb,
        transport: transports[0]!,
        logger: silent,
      });
      const ssoUrl = await sso.listen({ host: '127.0.0.1', port: 0 });
      audit = await buildAudit({
        config: loadAuditConfig({ PORT: '0', SSO_JWKS_URL: `${ssoUrl}/.well-known/jwks.json` }),
        database: auditDb,
        transport: transports[1]!,
        logger: silent,
      });
      await audit.ready();
      const login = await sso.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'admin', password: ADMIN_PASSWORD },
      });
      admin = login.json().accessToken;
      adminId = (
        await sso.inject({ method: 'GET', url: '/v1/me', headers: { authorization: `Bearer ${admin}` } })
      ).json().id;
    });

    afterAll(async () => {
      await audit?.close();
      await sso?.close();
      for (const transport of transports) await transport.close();
      await ssoDb?.dispose();
      if (broker === 'rabbitmq') await deleteTestNamespace(amqpUrl!, namespace, consumingServices());
    });

    const call = (
      app: ServiceApp,
      method: string,
      url: string,
      payload?: object,
      headers: Record<string, string> = {},
    ) =>
      app.inject({
        method: method as 'GET',
        url,
        payload,
        headers: { authorization: `Bearer ${admin}`, ...headers },
      });

    it('should keep four records with actor and before/after when a user is created, updated, deleted and restored', async () => {
      const created = (
        await call(sso, 'POST', '/v1/users', {
          username: 'audited',
          fullName: 'Before Name',
          password: 'audited-password-1',
        })
      ).json();
      expect(
        (
          await call(
            sso,
            'PATCH',
            `/v1/users/${created.id}`,
            { fullName: 'After Name' },
            { 'if-match': '"1"' },
          )
        ).statusCode,
      ).toBe(200);
      expect(
        (await call(sso, 'DELETE', `/v1/users/${created.id}`, undefined, { 'if-match': '"2"' })).statusCode,
      ).toBe(200);
      expect((await call(sso, 'POST', `/v1/users/${created.id}/restore`)).statusCode).toBe(200);

      const records = await eventually(
        async () => {
          const page = (
            await call(audit, 'GET', `/v1/records?entityType=user&entityId=${created.id}`)
          ).json();
          if (page.items.length < 4) throw new Error(`${page.items.length} records so far`);
          return page.items;
        },
        { timeoutMs: 20_000 },
      );
      expect(records.map((record: { action: string }) => record.action)).toEqual([
        'restored',
        'deleted',
        'updated',
        'created',
      ]);
      expect(
        records.every(
          (record: { actor: string; service: string }) =>
            record.actor === adminId && record.service === 'sso',
        ),
      ).toBe(true);
      const byAction = Object.fromEntries(
        records.map((record: { action: string }) => [record.action, record]),
      );
      expect(byAction.created.before).toBeNull();
      expect(byAction.created.after).toMatchObject({
        username: 'audited',
        fullName: 'Before Name',
        active: true,
      });
      expect(byAction.updated.before).toMatchObject({ fullName: 'Before Name' });
      expect(byAction.updated.after).toMatchObject({ fullName: 'After Name' });
      expect(byAction.updated.changed).toEqual(['fullName']);
      expect(JSON.stringify(records)).not.toMatch(/passwordHash|audited-password-1|\$argon2/);
      // A redelivery adds nothing: one record per event.
      expect(new Set(records.map((record: { eventId: string }) => record.eventId)).size).toBe(4);
    });

    it('should keep security events such as a failed login', async () => {
      await sso.inject({
        method: 'POST',
        url: '/v1/auth/login',
        payload: { username: 'mallory', password: 'guess-guess-guess' },
      });
      const records = await eventually(
        async () => {
          const page = (await call(audit, 'GET', '/v1/records?entityType=login&entityId=mallory')).json();
          if (page.items.length === 0) throw new Error('not yet');
          return page.items;
        },
        { timeoutMs: 20_000 },
      );
      expect(records[0]).toMatchObject({
        eventType: 'lessor.sso.login.failed.v1',
        action: 'failed',
        data: { username: 'mallory' },
      });
    });

    it('should refuse to update or delete an audit record in the database', async () => {
      await expect(
        sql`update audit_records set actor = 'someone-else'`.execute(auditDb.db),
      ).rejects.toMatchObject({ code: 'LS002' });
      await expect(sql`delete from audit_records`.execute(auditDb.db)).rejects.toMatchObject({
        code: 'LS002',
      });
      await expect(sql`truncate audit_records`.execute(auditDb.db)).rejects.toMatchObject({ code: 'LS002' });
    });

    it('should refuse the audit trail to a caller without audit:records:read', async () => {
      expect((await audit.inject({ method: 'GET', url: '/v1/records' })).statusCode).toBe(401);
      const user = await call(sso, 'POST', '/v1/users', {
        username: 'no-audit',
        fullName: 'N',
        password: 'no-audit-password',
      });
      expect(user.statusCode).toBe(201);
      const token = (
        await sso.inject({
          method: 'POST',
          url: '/v1/auth/login',
          payload: { username: 'no-audit', password: 'no-audit-password' },
        })
      ).json().accessToken;
      expect(
        (
          await audit.inject({
            method: 'GET',
            url: '/v1/records',
            headers: { authorization: `Bearer ${token}` },
          })
        ).statusCode,
      ).toBe(403);
    });
  },
);
