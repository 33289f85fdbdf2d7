import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { eventually } from '@lessor/events/testing';
import {
  startTestServices,
  testSetups,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import { auditService } from '@lessor/audit';
import { ssoService } from '@lessor/sso';

const ADMIN_PASSWORD = 'audit-trail-admin-password';

// Embedded: the in-process bus, as `npm start` runs. Distributed: RabbitMQ when it answers, as CI runs it.
describe.each(testSetups())(
  'the audit trail of sso changes on $backend with the $broker transport',
  (setup) => {
    let system: TestServices;
    let sso: TestService;
    let audit: TestService;
    let admin: string;
    let adminId: string;

    beforeAll(async () => {
      // Audit in its own schema of the same database, as in embedded mode (in production: its own database); it
      // trusts sso's own keys, so sso's users are who it answers.
      system = await startTestServices({
        setup,
        services: [
          { definition: ssoService, listen: true, env: { LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD } },
          {
            definition: auditService,
            env: (started) => ({ SSO_JWKS_URL: `${started.service('sso').url}/.well-known/jwks.json` }),
          },
        ],
      });
      sso = system.service('sso');
      audit = system.service('audit');
      const login = await sso.call('POST', '/v1/auth/login', undefined, {
        username: 'admin',
        password: ADMIN_PASSWORD,
      });
      admin = login.body.accessToken;
      adminId = (await sso.call('GET', '/v1/me', admin)).body.id;
    });

    afterAll(async () => {
      await system?.close();
    });

    const call = (
      service: TestService,
      method: string,
      url: string,
      payload?: object,
      headers: Record<string, string> = {},
    ) => service.call(method, url, admin, payload, headers);

    it('should keep four records with actor and before/after when a user is created, updated, deleted and restored', async () => {
      const created = (
        await call(sso, 'POST', '/v1/users', {
          username: 'audited',
          fullName: 'Before Name',
          password: 'audited-password-1',
        })
      ).body;
      expect(
        (
          await call(
            sso,
            'PATCH',
            `/v1/users/${created.id}`,
            { fullName: 'After Name' },
            { 'if-match': '"1"' },
          )
        ).status,
      ).toBe(200);
      expect(
        (await call(sso, 'DELETE', `/v1/users/${created.id}`, undefined, { 'if-match': '"2"' })).status,
      ).toBe(200);
      expect((await call(sso, 'POST', `/v1/users/${created.id}/restore`)).status).toBe(200);

      const records = await eventually(
        async () => {
          const page = (await call(audit, 'GET', `/v1/records?entityType=user&entityId=${created.id}`)).body;
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
      await sso.call('POST', '/v1/auth/login', undefined, {
        username: 'mallory',
        password: 'guess-guess-guess',
      });
      const records = await eventually(
        async () => {
          const page = (await call(audit, 'GET', '/v1/records?entityType=login&entityId=mallory')).body;
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
        sql`update audit_records set actor = 'someone-else'`.execute(audit.database.db),
      ).rejects.toMatchObject({ code: 'LS002' });
      await expect(sql`delete from audit_records`.execute(audit.database.db)).rejects.toMatchObject({
        code: 'LS002',
      });
      await expect(sql`truncate audit_records`.execute(audit.database.db)).rejects.toMatchObject({
        code: 'LS002',
      });
    });

    it('should refuse the audit trail to a caller without audit:records:read', async () => {
      expect((await audit.call('GET', '/v1/records', undefined)).status).toBe(401);
      const user = await call(sso, 'POST', '/v1/users', {
        username: 'no-audit',
        fullName: 'N',
        password: 'no-audit-password',
      });
      expect(user.status).toBe(201);
      const token = (
        await sso.call('POST', '/v1/auth/login', undefined, {
          username: 'no-audit',
          password: 'no-audit-password',
        })
      ).body.accessToken;
      expect((await audit.call('GET', '/v1/records', token)).status).toBe(403);
    });
  },
);
