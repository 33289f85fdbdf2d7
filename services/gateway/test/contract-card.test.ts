import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  startTestService,
  testBackends,
  type TestService,
  type TestServices,
} from '@lessor/service-kit/testing';
import type { paths } from '../openapi.ts';
import { gatewayService } from '../src/gateway.service.ts';

const CONTRACT = '0190a5c4-0000-7000-8000-000000000001';
const PARTY = '0190a5c4-0000-7000-8000-0000000000a1';
const ASSET = '0190a5c4-0000-7000-8000-0000000000b1';
/**
 * Holds each answer of the stand-in parties and assets until both have been asked (for the same card): asked in
 * parallel they answer at once; asked one after the other, the first would wait for a second request that never
 * comes until its deadline had passed, and the card would come back with that part missing. Exact, not timed.
 */
function bothAsked(): () => Promise<void> {
  let waiting: (() => void)[] = [];
  return () =>
    new Promise<void>((release) => {
      waiting.push(release);
      if (waiting.length < 2) return;
      for (const waiter of waiting) waiter();
      waiting = [];
    });
}

interface Seen {
  service: string;
  url: string;
}

/**
 * Plain HTTP servers standing in for leasing, parties and assets (each records what reached it and when), so
 * the card's calls are counted where they arrive, not mocked inside the gateway.
 */
async function standIn(
  service: string,
  seen: Seen[],
  answer: (url: string) => unknown,
  hold: () => Promise<void> = async () => {},
): Promise<{ server: Server; url: string }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    seen.push({ service, url: request.url ?? '' });
    void hold().then(() => {
      if (response.destroyed) return;
      response.setHeader('content-type', 'application/json');
      response.end(JSON.stringify(answer(request.url ?? '')));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const money = (amount: string) => ({ amount, currency: 'EUR' });
const schedule = {
  contractId: CONTRACT,
  version: 1,
  effectiveFrom: '2026-01-31',
  effectiveRate: '9.9',
  schedule: [
    { n: 1, dueDate: '2026-02-28', payment: money('100.00'), vat: money('20.00'), balance: money('100.00') },
  ],
  totals: { payments: money('100.00') },
};

describe.each(testBackends())('the contract card on %s', (backend) => {
  let gateway: TestServices & TestService;
  let token: string;
  const seen: Seen[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    const leasing = await standIn('leasing', seen, (url) =>
      url.includes('/schedule')
        ? schedule
        : {
            id: CONTRACT,
            number: 'LC-LESSOR-2026-000001',
            party: { id: PARTY, name: 'Muster GmbH', asOf: '2026-01-15T10:00:00.000Z', stale: false },
            asset: { id: ASSET, name: 'VW ID.4 (WVW1)', asOf: '2026-01-15T10:00:00.000Z', stale: false },
            ...(url.includes('include=schedule') ? { schedule } : {}),
          },
    );
    const owners = bothAsked();
    const parties = await standIn('parties', seen, () => ({ id: PARTY, name: 'Muster GmbH' }), owners);
    const assets = await standIn('assets', seen, () => ({ id: ASSET, make: 'VW' }), owners);
    servers.push(leasing.server, parties.server, assets.server);
    gateway = await startTestService(gatewayService, {
      setup: { backend, broker: 'in-process' },
      env: {
        GATEWAY_SERVICES: `leasing=${leasing.url},parties=${parties.url},assets=${assets.url}`,
        GATEWAY_COMPOSE_DEADLINE_MS: '300',
      },
    });
    token = await gateway.token(['*:*:*']);
  });

  afterAll(async () => {
    await gateway?.close();
    for (const server of servers) server.close();
  });

  beforeEach(() => {
    seen.length = 0;
  });

  const card = () =>
    gateway.api<paths>(token).GET('/v1/contract-cards/{id}', { params: { path: { id: CONTRACT } } });

  it('should ask each owner once, parties and assets in parallel, within the budget', async () => {
    await card(); // warm: connections and the key set
    seen.length = 0;
    const { data: body, response } = await card();

    expect(response.status).toBe(200);
    expect(body?.parts).toEqual({
      contract: { status: 'ok' },
      party: { status: 'ok' },
      asset: { status: 'ok' },
      schedule: { status: 'ok' },
    });
    expect(body?.schedule).toMatchObject({ version: 1, installments: 1 });
    const calls = (service: string) => seen.filter((call) => call.service === service);
    expect(calls('leasing').map((call) => call.url)).toEqual([`/v1/contracts/${CONTRACT}?include=schedule`]);
    expect(calls('parties').map((call) => call.url)).toEqual([`/v1/parties/${PARTY}`]);
    expect(calls('assets').map((call) => call.url)).toEqual([`/v1/assets/${ASSET}`]);
    // In parallel: neither owner answers before both are asked (bothAsked), and both parts are ok above.
  });
});
