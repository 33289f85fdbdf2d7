import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEventsCli } from '@lessor/cli';
import { createEnvelope, type EventEnvelope } from '@lessor/events';
import { eventually } from '@lessor/events/testing';
import { startTestServices, type TestServices } from '@lessor/service-kit/testing';
import { auditService } from '@lessor/audit';
import { gatewayService } from '@lessor/gateway';
import { ssoService } from '@lessor/sso';

const PASSWORD = 'events-cli-admin-password';

describe('npm run events (the operator CLI) through the gateway', () => {
  let system: TestServices;
  let gatewayUrl: string;

  beforeAll(async () => {
    // The CLI signs in through the gateway as sso's admin: audit and the gateway trust sso's own keys.
    const ssoKeys = (started: TestServices) => ({
      SSO_JWKS_URL: `${started.service('sso').url}/.well-known/jwks.json`,
    });
    system = await startTestServices({
      services: [
        { definition: ssoService, listen: true, env: { LESSOR_ADMIN_PASSWORD: PASSWORD } },
        { definition: auditService, listen: true, env: ssoKeys },
        {
          definition: gatewayService,
          listen: true,
          env: (started) => ({
            ...ssoKeys(started),
            GATEWAY_SERVICES: `sso=${started.service('sso').url},audit=${started.service('audit').url}`,
          }),
        },
      ],
    });
    const url = system.service('gateway').url;
    if (!url) throw new Error('the gateway was started listening');
    gatewayUrl = url;
  });

  afterAll(async () => {
    await system?.close();
  });

  /** Events as a publisher's relay hands them to the bus, malformed ones included. */
  const deliver = async (events: EventEnvelope[]) => {
    const bus = system.service('audit').app.events?.transport;
    if (!bus) throw new Error('audit has no events');
    await bus.publish(events);
  };

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
    await deliver([broken]);
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
