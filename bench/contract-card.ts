/**
 * What a composed read costs: the gateway's contract card (GET /api/gateway/v1/contract-cards/{id}: contract and
 * schedule from leasing in parallel, then party and asset in parallel) against a single-service read of the same
 * contract through the same gateway (GET /api/leasing/v1/contracts/{id}), in the same run. The whole system runs
 * in this process as `npm start` boots it (bootSystem, its own PostgreSQL in a temp dir, a database per service,
 * the in-process bus);
 * `clients` keep-alive clients send requests back to back for `seconds` per phase, the two reads alternating over
 * `rounds` rounds after a warm-up. Prints requests/s, p50 and p99 of each (medians over the rounds), the ratios
 * composed / single, how many answers were not 200, how many cards had a part that was not `ok` (and why), and
 * what the services logged at warn or above (a circuit opening, a name served stale).
 *
 * When a part missed its deadline (300 ms per call between services), the run is repeated on a fresh system with
 * the deadlines of the gateway's compose calls and of leasing's calls to parties and assets raised, so both the
 * figure with the platform's budget and the figure with every part answered are printed, each labelled.
 *
 *   npm run bench:contract-card
 *   node --import tsx bench/contract-card.ts [seconds=10] [rounds=4] [clients=64] [raisedDeadlineMs=5000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import { ensurePostgresDatabase, openDatabase, startEmbeddedPostgres } from '@lessor/service-kit';
import { bootSystem } from '../apps/stack/src/boot.ts';
import { serviceDatabaseUrl } from '../apps/stack/src/config.ts';
import { waitUntilReady } from '../apps/stack/src/readiness.ts';

const seconds = Number(process.argv[2] ?? 10);
const rounds = Number(process.argv[3] ?? 4);
const clients = Number(process.argv[4] ?? 64);
const raisedDeadlineMs = Number(process.argv[5] ?? 5000);
const WARMUP_SECONDS = 3;
const ADMIN_PASSWORD = 'bench-admin-password';
const APPROVER_PASSWORD = 'bench-approver-password';
const silent = pino({ level: 'silent' });

/** Warnings and errors the services logged during a run (a circuit opening, a failed request), by message. */
const logged = new Map<string, number>();
const tallyLogger = (service: string) =>
  pino(
    { level: 'warn', base: null, timestamp: false },
    {
      write(line: string) {
        const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
        const detail = entry.err?.message ? ` (${entry.err.message.slice(0, 100)})` : '';
        // Ids vary from run to run; the message is what is counted.
        const key = `${service}: ${entry.msg ?? ''}${detail}`.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}');
        logged.set(key, (logged.get(key) ?? 0) + 1);
      },
    },
  );

interface Answer {
  status: number;
  body: string;
}

interface Phase {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  notOk: number;
  /** Composed reads: cards with a part that is not `ok`; single reads: contracts naming a stale party or asset. */
  degraded: number;
  reasons: Map<string, number>;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

/** One GET over a keep-alive agent, its body read in full. */
function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/**
 * A JSON call through the gateway for the set-up; throws with the answer when the status is not the one expected.
 * A 503 changed nothing (leasing could not confirm a party or asset in time, as on a cold start of a loaded
 * machine), so it is tried again a few times.
 */
async function call<T>(
  gatewayUrl: string,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
  expected: number,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (response.status === expected) return JSON.parse(text) as T;
    if (response.status !== 503 || attempt === 5)
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

const signIn = async (gatewayUrl: string, username: string, password: string) =>
  (
    await call<{ accessToken: string }>(
      gatewayUrl,
      'POST',
      '/api/sso/v1/auth/login',
      undefined,
      { username, password },
      200,
    )
  ).accessToken;

/**
 * An active contract made as a user would: product, party (KYC verified), asset, calculation, contract by the
 * admin; approved by a second user (four eyes) whose role grants approval; signed and activated by the admin.
 */
async function activeContract(gatewayUrl: string, admin: string): Promise<string> {
  const today = new Date().toISOString().slice(0, 10);
  const product = await call<{ id: string }>(
    gatewayUrl,
    'POST',
    '/api/leasing/v1/products',
    admin,
    {
      code: 'BENCH-CARS',
      name: 'Cars, standard',
      currencies: ['EUR'],
      scheduleTypes: ['annuity'],
      minTermMonths: 12,
      maxTermMonths: 84,
      minRate: '2',
      maxRate: '15',
      maxResidualPercent: '40',
    },
    201,
  );
  const party = await call<{ id: string }>(
    gatewayUrl,
    'POST',
    '/api/parties/v1/parties',
    admin,
    { kind: 'company', name: 'Muster Logistik GmbH', legalForm: 'GmbH', country: 'DE' },
    201,
  );
  await call(
    gatewayUrl,
    'POST',
    `/api/parties/v1/parties/${party.id}/kyc`,
    admin,
    { status: 'verified', reason: 'documents checked' },
    200,
  );
  const asset = await call<{ id: string }>(
    gatewayUrl,
    'POST',
    '/api/assets/v1/assets',
    admin,
    {
      type: 'car',
      make: 'Volkswagen',
      model: 'ID.4',
      vin: 'WVWBENCH000000001',
      year: 2025,
      price: { amount: '48000.00', currency: 'EUR' },
    },
    201,
  );
  const calculation = await call<{ id: string }>(
    gatewayUrl,
    'POST',
    '/api/leasing/v1/calculations',
    admin,
    {
      productId: product.id,
      assetPrice: { amount: '48000.00', currency: 'EUR' },
      advance: { percent: '20' },
      termMonths: 36,
      annualRate: '9.5',
      scheduleType: 'annuity',
      residualValue: { amount: '5000.00', currency: 'EUR' },
      startDate: today,
      vatRate: '20',
    },
    201,
  );
  const contract = await call<{ id: string }>(
    gatewayUrl,
    'POST',
    '/api/leasing/v1/contracts',
    admin,
    { calculationId: calculation.id, partyId: party.id, assetId: asset.id },
    201,
  );

  const role = await call<{ id: string }>(
    gatewayUrl,
    'POST',
    '/api/sso/v1/roles',
    admin,
    {
      name: 'Contract approver',
      permissions: ['leasing:contracts:read', 'leasing:contracts:approve'],
    },
    201,
  );
  await call(
    gatewayUrl,
    'POST',
    '/api/sso/v1/users',
    admin,
    { username: 'approver', fullName: 'Paul Approver', password: APPROVER_PASSWORD, roleIds: [role.id] },
    201,
  );
  const approver = await signIn(gatewayUrl, 'approver', APPROVER_PASSWORD);
  const move = (action: string, token: string) =>
    call<{ status: string }>(
      gatewayUrl,
      'POST',
      `/api/leasing/v1/contracts/${contract.id}/${action}`,
      token,
      {},
      200,
    );
  await move('approve', approver);
  await move('sign', admin);
  // Assets reserves the asset on the signed event (through the bus); the card shows it as the user would.
  for (let tries = 0; tries < 100; tries++) {
    const read = await call<{ status: string }>(
      gatewayUrl,
      'GET',
      `/api/assets/v1/assets/${asset.id}`,
      admin,
      undefined,
      200,
    );
    if (read.status === 'reserved') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const activated = await move('activate', admin);
  if (activated.status !== 'active') throw new Error(`contract is ${activated.status}, not active`);
  return contract.id;
}

/** How an answer fell short of complete: the parts of a card that are not `ok`, or a stale name on a contract. */
type Inspect = (body: string) => string[];

const inspectCard: Inspect = (body) => {
  const card = JSON.parse(body) as { parts: Record<string, { status: string; reason?: string }> };
  return Object.entries(card.parts)
    .filter(([, part]) => part.status !== 'ok')
    .map(([name, part]) => `${name} ${part.status}: ${part.reason ?? ''}`);
};

const inspectContract: Inspect = (body) => {
  const contract = JSON.parse(body) as Record<'party' | 'asset', { stale: boolean; reason?: string }>;
  return (['party', 'asset'] as const)
    .filter((name) => contract[name].stale)
    .map((name) => `${name} stale: ${contract[name].reason ?? ''}`);
};

/** `clients` workers send GETs back to back for `duration` seconds; answers are checked as they come. */
async function phase(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  duration: number,
  inspect: Inspect,
): Promise<Phase> {
  const latencies: number[] = [];
  const reasons = new Map<string, number>();
  let notOk = 0;
  let degraded = 0;
  const started = performance.now();
  const end = started + duration * 1000;
  let finished = started;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < end) {
        const sent = performance.now();
        const answer = await get(agent, url, headers);
        finished = performance.now();
        latencies.push(finished - sent);
        if (answer.status !== 200) {
          notOk++;
          const reason = `HTTP ${answer.status}: ${answer.body.slice(0, 120)}`;
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
          continue;
        }
        const shortfalls = inspect(answer.body);
        if (shortfalls.length > 0) degraded++;
        for (const shortfall of shortfalls) reasons.set(shortfall, (reasons.get(shortfall) ?? 0) + 1);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return {
    rps: latencies.length / ((finished - started) / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    requests: latencies.length,
    notOk,
    degraded,
    reasons,
  };
}

interface Measured {
  services: string[];
  composed: Phase[];
  single: Phase[];
}

/** Boots the system, makes the contract, and measures both reads in alternating rounds. */
async function measure(deadlineMs: number | undefined): Promise<Measured> {
  logged.clear();
  const dataDir = await mkdtemp(join(tmpdir(), 'lessor-bench-card-'));
  const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres') });
  // As `npm start`: a database per service, `lessor_<service>`, and the bus in `lessor_bus`.
  const databaseOf = async (service: string) => {
    const url = serviceDatabaseUrl(postgres.url, service, 'lessor_');
    await ensurePostgresDatabase(url);
    return openDatabase<unknown>({ schema: service === 'bus' ? 'lessor_bus' : service, url });
  };
  const busDatabase = await databaseOf('bus');
  const transport = createInProcessTransport({ db: busDatabase.db, logger: silent });
  const deadlines: Record<string, Record<string, string>> = deadlineMs === undefined
    ? {}
    : {
        gateway: { GATEWAY_COMPOSE_DEADLINE_MS: String(deadlineMs) },
        leasing: { UPSTREAM_DEADLINE_MS: String(deadlineMs) },
      };
  const system = await bootSystem({
    databaseFor: databaseOf,
    transportFor: () => transport,
    portFor: () => 0,
    env: { LOG_LEVEL: 'silent', LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD, LESSOR_DATA_DIR: dataDir },
    envFor: (service) => deadlines[service] ?? {},
    logger: tallyLogger,
  });
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  try {
    await waitUntilReady(system.urls, 30_000);
    const gatewayUrl = system.urls.get('gateway')!;
    const admin = await signIn(gatewayUrl, 'admin', ADMIN_PASSWORD);
    const id = await activeContract(gatewayUrl, admin);
    const headers = { authorization: `Bearer ${admin}` };
    const composed = new URL(`${gatewayUrl}/api/gateway/v1/contract-cards/${id}`);
    const single = new URL(`${gatewayUrl}/api/leasing/v1/contracts/${id}`);

    await phase(agent, single, headers, WARMUP_SECONDS, inspectContract);
    await phase(agent, composed, headers, WARMUP_SECONDS, inspectCard);
    const measured: Measured = { services: [...system.urls.keys()], composed: [], single: [] };
    for (let round = 0; round < rounds; round++) {
      // Which read goes first alternates, so neither always follows the other's garbage or cache state.
      const order = round % 2 === 0 ? (['composed', 'single'] as const) : (['single', 'composed'] as const);
      for (const path of order) {
        measured[path].push(
          await phase(
            agent,
            path === 'composed' ? composed : single,
            headers,
            seconds,
            path === 'composed' ? inspectCard : inspectContract,
          ),
        );
      }
    }
    return measured;
  } finally {
    agent.destroy();
    await system.stop();
    await transport.close();
    await busDatabase.close();
    await postgres.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** Prints one configuration's figures: medians over the rounds, the ratios, and every shortfall seen. */
function report(label: string, { services, composed, single }: Measured): void {
  const of = (phases: Phase[], key: 'rps' | 'p50' | 'p99') => median(phases.map((p) => p[key]));
  const sum = (phases: Phase[], key: 'requests' | 'notOk' | 'degraded') =>
    phases.reduce((total, p) => total + p[key], 0);
  const line = (name: string, phases: Phase[], degraded: string) =>
    `${name.padEnd(30)} ${of(phases, 'rps').toFixed(0).padStart(5)} req/s  p50 ${of(phases, 'p50')
      .toFixed(1)
      .padStart(6)} ms  p99 ${of(phases, 'p99').toFixed(1).padStart(6)} ms  ` +
    `(${sum(phases, 'requests')} requests, not 200: ${sum(phases, 'notOk')}, ${degraded}: ${sum(phases, 'degraded')})`;
  console.log(`\n${label}; services: ${services.join(', ')}`);
  const perRound = (phases: Phase[]) =>
    phases.map((p) => `${p.rps.toFixed(0)}/s p99 ${p.p99.toFixed(0)} max ${p.max.toFixed(0)}`).join(' | ');
  console.log(`  per round composed: ${perRound(composed)}`);
  console.log(`  per round single:   ${perRound(single)}`);
  console.log(`  ${line('composed (contract card)', composed, 'cards with a part not ok')}`);
  console.log(`  ${line('single (leasing contract)', single, 'stale party/asset names')}`);
  console.log(
    `  ratio composed/single: req/s ${(of(composed, 'rps') / of(single, 'rps')).toFixed(2)}, ` +
      `p50 ${(of(composed, 'p50') / of(single, 'p50')).toFixed(2)}, p99 ${(of(composed, 'p99') / of(single, 'p99')).toFixed(2)}`,
  );
  const reasons = new Map<string, number>();
  for (const p of [...composed, ...single])
    for (const [reason, count] of p.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + count);
  for (const [reason, count] of [...reasons].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(count).padStart(6)} × ${reason}`);
  for (const [line, count] of [...logged].sort((a, b) => b[1] - a[1]))
    console.log(`  ${String(count).padStart(6)} × logged by ${line}`);
}

console.log(
  `contract card vs single read, ${clients} keep-alive clients, ${rounds} rounds × ${seconds} s each path ` +
    `(alternating, after ${WARMUP_SECONDS} s warm-up each), whole system and load generator in one process`,
);
const standard = await measure(undefined);
report('deadlines as configured (300 ms per call between services)', standard);
const shortfall = [...standard.composed, ...standard.single].some((p) => p.degraded > 0 || p.notOk > 0);
if (shortfall) {
  const raised = await measure(raisedDeadlineMs);
  report(
    `deadlines raised to ${raisedDeadlineMs} ms (GATEWAY_COMPOSE_DEADLINE_MS, leasing UPSTREAM_DEADLINE_MS)`,
    raised,
  );
}
