/**
 * What a composed read costs, on Lessor started as a user starts it: the gateway's contract card
 * (GET /api/gateway/v1/contract-cards/{id}: the contract with its schedule from leasing, then party and asset in
 * parallel) against a single read of the same contract through the same gateway
 * (GET /api/leasing/v1/contracts/{id}), in the same run, with the platform's own deadlines (300 ms per call
 * between services).
 *
 * The system is started by its own runner in a child process (bench/support/lessor-processes.ts):
 * - `embedded`: `npm start` — a process per service, its own PostgreSQL, events on the bus in PostgreSQL;
 * - `distributed`: `npm run start:services` — a process per service on PostgreSQL at 127.0.0.1:5432 and
 *   RabbitMQ at 127.0.0.1:5672 (DATABASE_URL and AMQP_URL override), databases and queues of its own.
 * No demo data; a known admin password. After the banner the bench makes an active contract as a user would, then:
 *
 * 1. a cold burst: no warm-up, the first client count's clients (half reading cards, half single reads) for
 *    10 s, latency per second;
 * 2. for each client count (default 64, then 16): 3 s of warm-up per read, then `rounds` rounds of `seconds` per
 *    read, alternating; figures are medians over the rounds.
 *
 * Printed: requests/s, p50, p99 of each read, cards with a part missing (and why), the ratio card p99 / single
 * p99, the event-loop delay of this process (the load generator), CPU of each process of Lessor over the
 * rounds, what the services logged at warn or above (a circuit opening), and RSS of every process after boot.
 *
 *   npm run bench:contract-card -- embedded
 *   node --import tsx bench/contract-card.ts <embedded|distributed> [seconds=10] [rounds=2] [clients=64,16]
 */
import { Agent } from 'node:http';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { get } from './support/http-get.ts';
import {
  startLessor,
  type LessorMode,
  type ProcessInfo,
  type RunningLessor,
} from './support/lessor-processes.ts';

const mode = (process.argv[2] ?? 'embedded') as LessorMode;
if (mode !== 'embedded' && mode !== 'distributed') {
  process.stderr.write(
    'usage: bench/contract-card.ts <embedded|distributed> [seconds] [rounds] [clients,…]\n',
  );
  process.exit(2);
}
const seconds = Number(process.argv[3] ?? 10);
const rounds = Number(process.argv[4] ?? 2);
const clientCounts = (process.argv[5] ?? '64,16').split(',').map(Number);
const WARMUP_SECONDS = 3;
const COLD_SECONDS = 10;
const ADMIN_PASSWORD = 'bench-admin-password';
const APPROVER_PASSWORD = 'bench-approver-password';

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
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

/** One answer as a phase saw it: when it came (ms since the phase began), how long it took, what fell short. */
interface Sample {
  at: number;
  latency: number;
  /** `undefined`: a complete answer; otherwise why it fell short (not 200, or a part missing / a name stale). */
  shortfalls: string[] | undefined;
}

interface Phase {
  rps: number;
  p50: number;
  p99: number;
  max: number;
  requests: number;
  notOk: number;
  /** Cards with a part that is not `ok`; single reads naming a stale party or asset. */
  degraded: number;
  reasons: Map<string, number>;
  /** This process's event-loop delay over the phase (the load generator's own lag), ms. */
  loopP99: number;
  loopMax: number;
}

interface Target {
  url: URL;
  inspect: Inspect;
}

/**
 * `clients` workers send GETs back to back for `duration` seconds, worker i reading `targets[i % length]`;
 * answers are checked as they come. Returns the samples of each target.
 */
async function load(
  agent: Agent,
  targets: Target[],
  headers: Record<string, string>,
  clients: number,
  duration: number,
): Promise<{ samples: Sample[][]; elapsedMs: number; loopP99: number; loopMax: number }> {
  const samples = targets.map((): Sample[] => []);
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  const started = performance.now();
  const end = started + duration * 1000;
  let finished = started;
  await Promise.all(
    Array.from({ length: clients }, async (_, worker) => {
      const target = targets[worker % targets.length]!;
      const into = samples[worker % targets.length]!;
      while (performance.now() < end) {
        const sent = performance.now();
        let shortfalls: string[] | undefined;
        try {
          const answer = await get(agent, target.url, headers);
          if (answer.status !== 200) shortfalls = [`HTTP ${answer.status}: ${answer.body.slice(0, 120)}`];
          else {
            const found = target.inspect(answer.body);
            if (found.length > 0) shortfalls = found;
          }
        } catch (error) {
          shortfalls = [`no answer: ${error instanceof Error ? error.message : String(error)}`];
        }
        finished = performance.now();
        into.push({ at: finished - started, latency: finished - sent, shortfalls });
      }
    }),
  );
  loop.disable();
  return {
    samples,
    elapsedMs: finished - started,
    loopP99: loop.percentile(99) / 1e6,
    loopMax: loop.max / 1e6,
  };
}

function summarise(samples: Sample[], elapsedMs: number, loopP99: number, loopMax: number): Phase {
  const latencies = samples.map((sample) => sample.latency).sort((a, b) => a - b);
  const reasons = new Map<string, number>();
  let notOk = 0;
  let degraded = 0;
  for (const { shortfalls } of samples) {
    if (!shortfalls) continue;
    if (shortfalls[0]!.startsWith('HTTP ') || shortfalls[0]!.startsWith('no answer')) notOk++;
    else degraded++;
    for (const reason of shortfalls) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  return {
    rps: latencies.length / (elapsedMs / 1000),
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    max: latencies.at(-1) ?? 0,
    requests: latencies.length,
    notOk,
    degraded,
    reasons,
    loopP99,
    loopMax,
  };
}

/** CPU used by each role (runner, each service, postgres…) between two snapshots of the tree, % of one core. */
function cpuShare(before: ProcessInfo[], after: ProcessInfo[], wallMs: number): string {
  const earlier = new Map(before.map((info) => [info.pid, info.cpuMs]));
  const byRole = new Map<string, number>();
  for (const info of after) {
    const used = info.cpuMs - (earlier.get(info.pid) ?? 0);
    byRole.set(info.role, (byRole.get(info.role) ?? 0) + used);
  }
  return [...byRole]
    .filter(([, used]) => used / wallMs >= 0.005)
    .sort((a, b) => b[1] - a[1])
    .map(([role, used]) => `${role} ${((100 * used) / wallMs).toFixed(0)} %`)
    .join(', ');
}

function memoryByRole(tree: ProcessInfo[], key: 'rssKb' | 'pssKb'): string {
  const byRole = new Map<string, { kb: number; count: number }>();
  for (const info of tree) {
    const role = byRole.get(info.role) ?? { kb: 0, count: 0 };
    role.kb += info[key];
    role.count += 1;
    byRole.set(info.role, role);
  }
  const total = tree.reduce((sum, info) => sum + info[key], 0);
  return (
    `${(total / 1024).toFixed(0)} MB in ${tree.length} processes: ` +
    [...byRole]
      .sort((a, b) => b[1].kb - a[1].kb)
      .map(([role, { kb, count }]) => `${role} ${(kb / 1024).toFixed(0)}${count > 1 ? ` (${count})` : ''}`)
      .join(', ')
  );
}

const printCounts = (counts: Map<string, number>, prefix = '') => {
  for (const [line, count] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 12))
    console.log(`  ${String(count).padStart(6)} × ${prefix}${line}`);
};

/** The first seconds after set-up with no warm-up: latency per second of each read. */
async function coldBurst(
  agent: Agent,
  card: Target,
  single: Target,
  headers: Record<string, string>,
  clients: number,
): Promise<void> {
  const { samples } = await load(agent, [card, single], headers, clients, COLD_SECONDS);
  console.log(
    `\ncold burst: ${clients} clients (half cards, half single reads), no warm-up, latency by the second the answer came`,
  );
  console.log('  s   | cards: n  p50 ms  p99 ms  max ms  part missing | single: n  p50 ms  p99 ms  max ms');
  const cell = (of: Sample[]) => {
    const sorted = of.map((sample) => sample.latency).sort((a, b) => a - b);
    return [
      String(of.length).padStart(8),
      percentile(sorted, 0.5).toFixed(0).padStart(7),
      percentile(sorted, 0.99).toFixed(0).padStart(7),
      (sorted.at(-1) ?? 0).toFixed(0).padStart(7),
    ].join(' ');
  };
  for (let second = 0; second < COLD_SECONDS + 1; second++) {
    const inSecond = (of: Sample[]) => of.filter((sample) => Math.floor(sample.at / 1000) === second);
    const cards = inSecond(samples[0]!);
    const singles = inSecond(samples[1]!);
    if (cards.length === 0 && singles.length === 0) continue;
    const missing = cards.filter((sample) => sample.shortfalls).length;
    console.log(
      `  ${String(second).padStart(2)}  | ${cell(cards)} ${String(missing).padStart(13)} | ${cell(singles)}`,
    );
  }
  // Were the slowest the first sent (a cold start) or sent any time (a queue served out of order)?
  const slowest = [
    ...samples[0]!.map((sample) => ({ ...sample, read: 'card' })),
    ...samples[1]!.map((sample) => ({ ...sample, read: 'single' })),
  ]
    .sort((a, b) => b.latency - a.latency)
    .slice(0, 6)
    .map(
      (sample) =>
        `${sample.read} sent at ${(sample.at - sample.latency).toFixed(0)} took ${sample.latency.toFixed(0)}`,
    );
  console.log(`  slowest (ms since the burst began): ${slowest.join('; ')}`);
  const first = (of: Sample[]) => Math.min(...of.map((sample) => sample.latency));
  console.log(
    `  first answers: card ${first(samples[0]!).toFixed(0)} ms, single ${first(samples[1]!).toFixed(0)} ms; ` +
      `cards with a part missing ${samples[0]!.filter((sample) => sample.shortfalls).length} of ${samples[0]!.length}`,
  );
}

interface Block {
  clients: number;
  card: Phase[];
  single: Phase[];
  cpu: string;
  warnings: Map<string, number>;
  load: string;
}

async function measureClients(
  lessor: RunningLessor,
  card: Target,
  single: Target,
  headers: Record<string, string>,
  clients: number,
): Promise<Block> {
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  try {
    await load(agent, [single], headers, clients, WARMUP_SECONDS);
    await load(agent, [card], headers, clients, WARMUP_SECONDS);
    // A circuit that opened during the warm-up is counted with the rounds it empties.
    const warmUpWarnings = lessor.takeWarnings();
    const block: Block = { clients, card: [], single: [], cpu: '', warnings: new Map(), load: '' };
    const before = lessor.tree();
    const startedAt = performance.now();
    for (let round = 0; round < rounds; round++) {
      // Which read goes first alternates, so neither always follows the other's garbage or cache state.
      const order = round % 2 === 0 ? (['card', 'single'] as const) : (['single', 'card'] as const);
      for (const which of order) {
        const run = await load(agent, [which === 'card' ? card : single], headers, clients, seconds);
        block[which].push(summarise(run.samples[0]!, run.elapsedMs, run.loopP99, run.loopMax));
      }
    }
    block.cpu = cpuShare(before, lessor.tree(), performance.now() - startedAt);
    block.warnings = lessor.takeWarnings();
    for (const [line, count] of warmUpWarnings)
      block.warnings.set(`${line} (warm-up)`, (block.warnings.get(`${line} (warm-up)`) ?? 0) + count);
    block.load = load1();
    return block;
  } finally {
    agent.destroy();
  }
}

const load1 = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');

const of = (phases: Phase[], key: 'rps' | 'p50' | 'p99' | 'loopP99' | 'loopMax') =>
  median(phases.map((p) => p[key]));
const sum = (phases: Phase[], key: 'requests' | 'notOk' | 'degraded') =>
  phases.reduce((total, p) => total + p[key], 0);

function report(block: Block): void {
  const { card, single } = block;
  console.log(`\n${block.clients} clients (load average after: ${block.load})`);
  const perRound = (phases: Phase[]) =>
    phases.map((p) => `${p.rps.toFixed(0)}/s p99 ${p.p99.toFixed(0)} max ${p.max.toFixed(0)}`).join(' | ');
  console.log(`  per round card:   ${perRound(card)}`);
  console.log(`  per round single: ${perRound(single)}`);
  const line = (name: string, phases: Phase[], degraded: string) =>
    `${name.padEnd(8)} ${of(phases, 'rps').toFixed(0).padStart(5)} req/s  p50 ${of(phases, 'p50')
      .toFixed(1)
      .padStart(6)} ms  p99 ${of(phases, 'p99').toFixed(1).padStart(6)} ms  ` +
    `(${sum(phases, 'requests')} requests, not 200: ${sum(phases, 'notOk')}, ${degraded}: ${sum(phases, 'degraded')})`;
  console.log(`  ${line('card', card, 'with a part missing')}`);
  console.log(`  ${line('single', single, 'naming a stale party/asset')}`);
  console.log(
    `  ratio card/single: req/s ${(of(card, 'rps') / of(single, 'rps')).toFixed(2)}, ` +
      `p99 ${(of(card, 'p99') / of(single, 'p99')).toFixed(2)}`,
  );
  console.log(
    `  load generator's event-loop delay p99/max: card ${of(card, 'loopP99').toFixed(1)}/${of(card, 'loopMax').toFixed(0)} ms, ` +
      `single ${of(single, 'loopP99').toFixed(1)}/${of(single, 'loopMax').toFixed(0)} ms`,
  );
  console.log(`  CPU over the rounds (% of one core): ${block.cpu}`);
  const reasons = new Map<string, number>();
  for (const p of [...card, ...single])
    for (const [reason, count] of p.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + count);
  printCounts(reasons);
  printCounts(block.warnings, 'logged by ');
}

console.log(
  `contract card vs single read on \`${mode === 'embedded' ? 'npm start' : 'npm run start:services'}\` (${mode}), ` +
    `clients ${clientCounts.join(', ')}, ${rounds} rounds × ${seconds} s per read, 300 ms deadlines; ` +
    `load average ${load1()}`,
);
const lessor = await startLessor({
  mode,
  adminPassword: ADMIN_PASSWORD,
  ...(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : {}),
  ...(process.env.AMQP_URL ? { amqpUrl: process.env.AMQP_URL } : {}),
});
try {
  console.log(
    `booted in ${(lessor.bootMs / 1000).toFixed(1)} s; services: ${[...lessor.services.keys()].join(', ')}`,
  );
  // RSS a few seconds after the banner, as a user's `npm start` sits before the first request.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const tree = lessor.tree();
  console.log(`RSS after boot: ${memoryByRole(tree, 'rssKb')}`);
  console.log(`PSS after boot (shared pages divided): ${memoryByRole(tree, 'pssKb')}`);
  const setUpStarted = performance.now();
  const gatewayUrl = lessor.gatewayUrl;
  const admin = await signIn(gatewayUrl, 'admin', ADMIN_PASSWORD);
  const id = await activeContract(gatewayUrl, admin);
  console.log(
    `set-up (sign-in, an active contract) ${((performance.now() - setUpStarted) / 1000).toFixed(1)} s`,
  );
  const headers = { authorization: `Bearer ${admin}` };
  const card: Target = {
    url: new URL(`${gatewayUrl}/api/gateway/v1/contract-cards/${id}`),
    inspect: inspectCard,
  };
  const single: Target = {
    url: new URL(`${gatewayUrl}/api/leasing/v1/contracts/${id}`),
    inspect: inspectContract,
  };

  const coldAgent = new Agent({ keepAlive: true, maxSockets: clientCounts[0] });
  lessor.takeWarnings();
  await coldBurst(coldAgent, card, single, headers, clientCounts[0]!);
  coldAgent.destroy();
  printCounts(lessor.takeWarnings(), 'logged by ');

  const blocks: Block[] = [];
  for (const clients of clientCounts) {
    const block = await measureClients(lessor, card, single, headers, clients);
    report(block);
    blocks.push(block);
  }

  console.log(`\nsummary (${mode}; medians over ${rounds} rounds of ${seconds} s)`);
  console.log(
    '| clients | card req/s | card p50 | card p99 | cards with a part missing | single req/s | single p50 | single p99 | p99 card/single | load gen. loop p99 |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { clients, card, single } of blocks) {
    console.log(
      `| ${clients} | ${of(card, 'rps').toFixed(0)} | ${of(card, 'p50').toFixed(0)} ms | ${of(card, 'p99').toFixed(0)} ms | ` +
        `${sum(card, 'degraded') + sum(card, 'notOk')} of ${sum(card, 'requests')} | ${of(single, 'rps').toFixed(0)} | ` +
        `${of(single, 'p50').toFixed(0)} ms | ${of(single, 'p99').toFixed(0)} ms | ` +
        `${(of(card, 'p99') / of(single, 'p99')).toFixed(2)} | ${Math.max(of(card, 'loopP99'), of(single, 'loopP99')).toFixed(0)} ms |`,
    );
  }
} finally {
  await lessor.stop();
}
