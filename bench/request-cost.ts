/**
 * What one request costs in Node.js CPU (issue 13 item 0): the whole system booted in this process as
 * `npm start` boots it (bootSystem, its own PostgreSQL in a temp dir, a database per service, the in-process
 * bus, loggers at `info` writing JSON lines to /dev/null as they would to a terminal), then ONE client sends,
 * back to back, `requests` of each read:
 *
 *   single   GET /api/leasing/v1/contracts/{id}        (gateway → leasing; leasing's own reads)
 *   party    GET /api/parties/v1/parties/{id}           (gateway → parties; one indexed SELECT)
 *   card     GET /api/gateway/v1/contract-cards/{id}    (gateway → leasing ×2, parties, assets)
 *
 * For each it prints the process's CPU time (process.cpuUsage: user + system of every service, since all run in
 * this process) divided by the requests, the wall time per request, and the event-loop delay p99/max
 * (perf_hooks.monitorEventLoopDelay) over the phase. The client runs in a child process of its own, so its CPU
 * is not the system's; it is printed apart (`client`). It also prints how long the first requests after boot
 * took (cold: lazy compilation, first connections of each pool, first JWKS fetch). PostgreSQL's own CPU is
 * another process and is not counted.
 *
 *   node --import tsx bench/request-cost.ts [requests=500] [rounds=3]
 *   BENCH_PROFILE=/tmp/prof node --import tsx bench/request-cost.ts   # a .cpuprofile per read, last round only
 *   node --import tsx bench/request-cost-ab.ts <base checkout> . 300 8  # two versions taking turns, paired ratios
 *
 * With BENCH_PROFILE set, the last round of each read is profiled (node:inspector, the same sampler as
 * --cpu-prof, boot and set-up left out) into <dir>/<read>.cpuprofile: open it in Chrome DevTools or speedscope.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { fork, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import {
  createLogger,
  ensurePostgresDatabase,
  openDatabase,
  startEmbeddedPostgres,
} from '@lessor/service-kit';
import { bootSystem } from '../apps/stack/src/boot.ts';
import { serviceDatabaseUrl } from '../apps/stack/src/config.ts';
import { waitUntilReady } from '../apps/stack/src/readiness.ts';
import type { ClientOrder, ClientReport } from './request-cost.client.ts';

const requests = Number(process.argv[2] ?? 500);
const rounds = Number(process.argv[3] ?? 3);
const ADMIN_PASSWORD = 'bench-admin-password';
const silent = pino({ level: 'silent' });
// Where `npm start` writes to stdout (pino's synchronous SonicBoom), the lines go to /dev/null the same way.
const devNull = pino.destination({ dest: '/dev/null', sync: true });

/** Has the client process send `count` GETs of `url`, one after another, and waits for its report. */
function order(
  client: ChildProcess,
  url: URL,
  headers: Record<string, string>,
  count: number,
): Promise<ClientReport> {
  return new Promise((resolve, reject) => {
    client.once('message', (report: ClientReport) =>
      report.error ? reject(new Error(report.error)) : resolve(report),
    );
    client.send({ url: url.toString(), headers, count } satisfies ClientOrder);
  });
}

async function call<T>(
  gatewayUrl: string,
  method: string,
  path: string,
  token: string | undefined,
  body: unknown,
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
    if (response.ok) return JSON.parse(text) as T;
    if (response.status !== 503 || attempt === 5)
      throw new Error(`${method} ${path}: ${response.status} ${text}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A contract (draft is enough: the reads are the same queries) with its party and asset. */
async function contract(gatewayUrl: string, admin: string): Promise<{ contract: string; party: string }> {
  const today = new Date().toISOString().slice(0, 10);
  const product = await call<{ id: string }>(gatewayUrl, 'POST', '/api/leasing/v1/products', admin, {
    code: 'BENCH-CARS',
    name: 'Cars, standard',
    currencies: ['EUR'],
    scheduleTypes: ['annuity'],
    minTermMonths: 12,
    maxTermMonths: 84,
    minRate: '2',
    maxRate: '15',
    maxResidualPercent: '40',
  });
  const party = await call<{ id: string }>(gatewayUrl, 'POST', '/api/parties/v1/parties', admin, {
    kind: 'company',
    name: 'Muster Logistik GmbH',
    legalForm: 'GmbH',
    country: 'DE',
  });
  await call(gatewayUrl, 'POST', `/api/parties/v1/parties/${party.id}/kyc`, admin, {
    status: 'verified',
    reason: 'documents checked',
  });
  const asset = await call<{ id: string }>(gatewayUrl, 'POST', '/api/assets/v1/assets', admin, {
    type: 'car',
    make: 'Volkswagen',
    model: 'ID.4',
    vin: 'WVWBENCH000000001',
    year: 2025,
    price: { amount: '48000.00', currency: 'EUR' },
  });
  const calculation = await call<{ id: string }>(gatewayUrl, 'POST', '/api/leasing/v1/calculations', admin, {
    productId: product.id,
    assetPrice: { amount: '48000.00', currency: 'EUR' },
    advance: { percent: '20' },
    termMonths: 36,
    annualRate: '9.5',
    scheduleType: 'annuity',
    residualValue: { amount: '5000.00', currency: 'EUR' },
    startDate: today,
    vatRate: '20',
  });
  const created = await call<{ id: string }>(gatewayUrl, 'POST', '/api/leasing/v1/contracts', admin, {
    calculationId: calculation.id,
    partyId: party.id,
    assetId: asset.id,
  });
  return { contract: created.id, party: party.id };
}

interface Cost {
  /** The system's CPU (every service and the gateway, this process) per request. */
  cpuMs: number;
  /** User time alone: the JavaScript and native code of the process; system time is its syscalls (socket writes). */
  userMs: number;
  /** The load generator's own CPU per request (its own process, not in cpuMs). */
  clientMs: number;
  wallMs: number;
  loopP99: number;
  loopMax: number;
}

/** `count` GETs one after another; CPU of this process (the system) and event-loop delay over them. */
async function measure(
  client: ChildProcess,
  url: URL,
  headers: Record<string, string>,
  count: number,
): Promise<Cost> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  const cpu = process.cpuUsage();
  const report = await order(client, url, headers, count);
  const used = process.cpuUsage(cpu);
  histogram.disable();
  return {
    cpuMs: (used.user + used.system) / 1000 / count,
    userMs: used.user / 1000 / count,
    clientMs: report.cpuMicros / 1000 / count,
    wallMs: report.wallMs / count,
    loopP99: histogram.percentile(99) / 1e6,
    loopMax: histogram.max / 1e6,
  };
}

/**
 * Started by bench/request-cost-ab.ts (a forked child), each round of each read waits for its turn, so two
 * versions of the system measured at once take turns on the same machine at the same minute.
 */
function turn(name: string, round: number): Promise<void> {
  if (!process.send) return Promise.resolve();
  return new Promise((resolve) => {
    process.once('message', () => resolve());
    process.send!({ ready: name, round });
  });
}

const dataDir = await mkdtemp(join(tmpdir(), 'lessor-bench-cost-'));
const postgres = await startEmbeddedPostgres({ dataDir: join(dataDir, 'postgres') });
const opened: { close(): Promise<void> }[] = [];
const databaseOf = async (service: string) => {
  const url = serviceDatabaseUrl(postgres.url, service, 'lessor_');
  await ensurePostgresDatabase(url);
  const database = await openDatabase<unknown>({ schema: service === 'bus' ? 'lessor_bus' : service, url });
  opened.push(database);
  return database;
};
const busDatabase = await databaseOf('bus');
const transport = createInProcessTransport({ db: busDatabase.db, logger: silent });
const bootStarted = performance.now();
const system = await bootSystem({
  databaseFor: databaseOf,
  transportFor: () => transport,
  portFor: () => 0,
  env: { LOG_LEVEL: 'info', LESSOR_ADMIN_PASSWORD: ADMIN_PASSWORD, LESSOR_DATA_DIR: dataDir },
  // As npm start logs (info, JSON lines), but to /dev/null instead of a terminal.
  logger: (service) => createLogger(service, 'info', devNull),
});
const client = fork(join(dirname(fileURLToPath(import.meta.url)), 'request-cost.client.ts'), {
  execArgv: ['--import', 'tsx'],
});
try {
  await waitUntilReady(system.urls, 60_000);
  const booted = performance.now() - bootStarted;
  const gatewayUrl = system.urls.get('gateway')!;
  const loginStarted = performance.now();
  const admin = await call<{ accessToken: string }>(gatewayUrl, 'POST', '/api/sso/v1/auth/login', undefined, {
    username: 'admin',
    password: ADMIN_PASSWORD,
  });
  const loginMs = performance.now() - loginStarted;
  const setupStarted = performance.now();
  const ids = await contract(gatewayUrl, admin.accessToken);
  const setupMs = performance.now() - setupStarted;
  const headers = { authorization: `Bearer ${admin.accessToken}` };
  const urls = {
    single: new URL(`${gatewayUrl}/api/leasing/v1/contracts/${ids.contract}`),
    party: new URL(`${gatewayUrl}/api/parties/v1/parties/${ids.party}`),
    card: new URL(`${gatewayUrl}/api/gateway/v1/contract-cards/${ids.contract}`),
  };
  // The first request of each kind after boot: what a person opening the card first waits for.
  const first: Record<string, number> = {};
  for (const [name, url] of Object.entries(urls)) {
    first[name] = (await order(client, url, headers, 1)).wallMs;
  }
  console.log(
    `boot ${booted.toFixed(0)} ms, first login ${loginMs.toFixed(0)} ms, setup (7 writes) ${setupMs.toFixed(0)} ms, ` +
      `first reads: ${Object.entries(first)
        .map(([name, ms]) => `${name} ${ms.toFixed(0)} ms`)
        .join(', ')}`,
  );
  for (const url of Object.values(urls)) await measure(client, url, headers, Math.min(200, requests)); // warm-up
  const results: Record<string, Cost[]> = { single: [], party: [], card: [] };
  const profileDir = process.env.BENCH_PROFILE;
  const session = profileDir ? new Session() : undefined;
  session?.connect();
  await session?.post('Profiler.enable');
  await session?.post('Profiler.setSamplingInterval', { interval: 200 });
  for (let round = 0; round < rounds; round++)
    for (const [name, url] of Object.entries(urls)) {
      const profiled = session && round === rounds - 1;
      await turn(name, round);
      if (profiled) await session.post('Profiler.start');
      results[name]!.push(await measure(client, url, headers, requests));
      process.send?.({ measured: name, round, cost: results[name]!.at(-1) });
      if (profiled) {
        const { profile } = await session.post('Profiler.stop');
        await writeFile(join(profileDir!, `${name}.cpuprofile`), JSON.stringify(profile));
      }
    }
  session?.disconnect();
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  console.log(
    `one client, ${requests} requests × ${rounds} rounds per read, medians over the rounds ` +
      `(best: the round with the least CPU; on a shared machine CPU time only grows with the load)`,
  );
  for (const [name, costs] of Object.entries(results)) {
    console.log(
      `  ${name.padEnd(7)} CPU ${median(costs.map((c) => c.cpuMs)).toFixed(2)} ms/request ` +
        `(best ${Math.min(...costs.map((c) => c.cpuMs)).toFixed(2)}) ` +
        `(user ${median(costs.map((c) => c.userMs)).toFixed(2)})  ` +
        `client ${median(costs.map((c) => c.clientMs)).toFixed(2)} ms  ` +
        `wall ${median(costs.map((c) => c.wallMs)).toFixed(2)} ms  ` +
        `event-loop delay p99 ${median(costs.map((c) => c.loopP99)).toFixed(1)} ms max ${median(costs.map((c) => c.loopMax)).toFixed(1)} ms`,
    );
  }
} finally {
  client.disconnect();
  await system.stop();
  await transport.close();
  for (const database of opened) await database.close().catch(() => {});
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
  // Forked by request-cost-ab.ts: the open IPC channel would keep this process alive.
  if (process.send) process.disconnect();
}
