import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { runEventsCli } from '@lessor/cli';
import { createEnvelope, createInProcessTransport, type Transport } from '@lessor/events';
import { eventually } from '@lessor/events/testing';
import { openDatabase, type ServiceApp } from '@lessor/service-kit';
import { createTestDatabase, type TestDatabase } from '@lessor/service-kit/testing';
import { buildApp as buildAudit, loadAuditConfig } from '@lessor/audit';
import { buildApp as buildGateway, loadGatewayConfig } from '@lessor/gateway';
import { buildApp as buildSso, loadSsoConfig } from '@lessor/sso';

const silent = pino({ level: 'silent' });
const PASSWORD = 'events-cli-admin-password';

describe('npm run events (the operator CLI) through the gateway', () => {
  let database: TestDatabase<unknown>;
  let transport: Transport;
  const apps: ServiceApp[] = [];
  let gatewayUrl: string;

  beforeAll(async () => {
    database = await createTestDatabase('postgres', { schema: 'sso' });
    transport = createInProcessTransport({ db: database.db });
    const sso = await buildSso({
      config: loadSsoConfig({ PORT: '0', LESSOR_ADMIN_PASSWORD: PASSWORD }),
      database,
      transport,
      logger: silent,
    });
    const ssoUrl = await sso.listen({ host: '127.0.0.1', port: 0 });
    const jwks = `${ssoUrl}/.well-known/jwks.json`;
    const audit = await buildAudit({
      config: loadAuditConfig({ PORT: '0', SSO_JWKS_URL: jwks }),
      database: await openDatabase<unknown>({ schema: 'audit', url: database.url }),
      transport,
      logger: silent,
    });
    const auditUrl = await audit.listen({ host: '127.0.0.1', port: 0 });
    const gateway = await buildGateway({
      config: loadGatewayConfig({
        PORT: '0',
        SSO_JWKS_URL: jwks,
        GATEWAY_SERVICES: `sso=${ssoUrl},audit=${auditUrl}`,
      }),
      database: await openDatabase<unknown>({ schema: 'gateway', url: database.url }),
      logger: silent,
    });
    gatewayUrl = await gateway.listen({ host: '127.0.0.1', port: 0 });
    apps.push(gateway, audit, sso);
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await transport.close();
    await database.dispose();
  });

  async function cli(...argv: string[]): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const code = await runEventsCli(argv, {
      env: { LESSOR_URL: gatewayUrl, LESSOR_USERNAME: 'admin', LESSOR_PASSWORD: PASSWORD },
      out: (line) => lines.push(line),
      fetch,
    });
    return { code, output: lines.join('\n') };
  }

  it('should list, show and discard an event audit parked because it broke its schema', async () => {
    // A change event whose data breaks the catalogue: audit parks it at once, without retries.
    const broken = createEnvelope('sso', {
      type: 'lessor.sso.user.created.v1',
      subject: 'u-1',
      data: { entityType: 'user' },
    });
    await transport.publish([broken]);
    const listed = await eventually(
      async () => {
        const result = await cli('audit', 'list');
        if (!result.output.includes(broken.type)) throw new Error(result.output);
        return result;
      },
      { timeoutMs: 15_000 },
    );
    expect(listed.code).toBe(0);
    const id = /^([0-9a-f-]{36})\s+parked/m.exec(listed.output)![1]!;

    const shown = await cli('audit', 'show', id);
    expect(shown.code).toBe(0);
    expect(JSON.parse(shown.output)).toMatchObject({ eventId: broken.id, status: 'parked', attempts: 1 });

    expect(await cli('audit', 'discard', id)).toEqual({ code: 0, output: 'discarded' });
    expect((await cli('audit', 'list', '--status', 'discarded')).output).toContain(id);
    const again = await cli('audit', 'replay', id);
    expect(again.code).toBe(1);
    expect(again.output).toMatch(/409 CONFLICT/);
  });

  it('should show the outbox of a publishing service', async () => {
    const result = await cli('sso', 'outbox');
    expect(result.code).toBe(0);
    expect(result.output).toMatch(/^sso: \d+ event\(s\) pending; oldest [\d.]+ s$/);
  });

  it('should print the usage and exit 2 when the command is unknown', async () => {
    const result = await cli('audit', 'explode');
    expect(result.code).toBe(2);
    expect(result.output).toContain('Usage: npm run events');
  });
});
