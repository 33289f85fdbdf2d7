/**
 * What the gateway adds to a call: the same authenticated GET answered by sso directly and through the
 * gateway, both in this process on PostgreSQL, N requests at a given concurrency each. Prints p50/p99 of
 * each and the ratios gateway / direct (the budget for a call between services is 300 ms at p99).
 *
 *   node --import tsx bench/gateway-overhead.ts [requests=2000] [concurrency=20]
 */
import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import { buildService, openDatabase } from '@lessor/service-kit';
import { createTestDatabase, ensureTestPostgres } from '@lessor/service-kit/testing';
import { gatewayService } from '@lessor/gateway';
import { ssoService } from '@lessor/sso';

const total = Number(process.argv[2] ?? 2000);
const concurrency = Number(process.argv[3] ?? 20);
const silent = pino({ level: 'silent' });
// PostgreSQL: the test server (LESSOR_TEST_DATABASE_URL or 127.0.0.1:5432), else an embedded one for this run.
const stopServer = await ensureTestPostgres();
const scratch = await createTestDatabase<unknown>('postgres', { schema: 'sso' });
const ssoDatabase = scratch;
const transport = createInProcessTransport({ db: ssoDatabase.db });
// Each built from its definition, as `npm start` builds them.
const sso = await buildService(ssoService, {
  env: { PORT: '0', LESSOR_ADMIN_PASSWORD: 'bench-admin-password', LOG_LEVEL: 'silent' },
  database: ssoDatabase,
  transport,
  logger: silent,
});
const ssoUrl = await sso.listen({ host: '127.0.0.1', port: 0 });
const gateway = await buildService(gatewayService, {
  env: {
    PORT: '0',
    GATEWAY_SERVICES: `sso=${ssoUrl}`,
    SSO_JWKS_URL: `${ssoUrl}/.well-known/jwks.json`,
  },
  database: await openDatabase<unknown>({ schema: 'gateway', url: scratch.url }),
  transport,
  logger: silent,
});
const gatewayUrl = await gateway.listen({ host: '127.0.0.1', port: 0 });

const login = await fetch(`${ssoUrl}/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
});
const { accessToken } = (await login.json()) as { accessToken: string };
const headers = { authorization: `Bearer ${accessToken}` };

// GET /v1/keys: token verification, a permission check and one small read (the published keys).
async function run(url: string): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    while (next < total) {
      next++;
      const started = performance.now();
      const response = await fetch(url, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return latencies.sort((a, b) => a - b);
}

const direct = `${ssoUrl}/v1/keys`;
const proxied = `${gatewayUrl}/api/sso/v1/keys`;
await run(direct);
await run(proxied); // warm-up both paths
const rounds = { direct: [] as number[][], gateway: [] as number[][] };
for (let i = 0; i < 3; i++) {
  rounds.direct.push(await run(direct));
  rounds.gateway.push(await run(proxied));
}
await gateway.close();
await sso.close();
await transport.close();
await scratch.dispose();
await stopServer?.();

const pct = (values: number[], p: number) =>
  values[Math.min(values.length - 1, Math.floor(values.length * p))]!;
const merged = (runs: number[][]) => runs.flat().sort((a, b) => a - b);
const d = merged(rounds.direct);
const g = merged(rounds.gateway);
console.log(`GET /v1/keys, ${total} requests x 3 rounds, concurrency ${concurrency}, one process`);
console.log(`direct   p50 ${pct(d, 0.5).toFixed(2)} ms  p99 ${pct(d, 0.99).toFixed(2)} ms`);
console.log(`gateway  p50 ${pct(g, 0.5).toFixed(2)} ms  p99 ${pct(g, 0.99).toFixed(2)} ms`);
console.log(
  `ratio gateway/direct: p50 ${(pct(g, 0.5) / pct(d, 0.5)).toFixed(2)}, p99 ${(pct(g, 0.99) / pct(d, 0.99)).toFixed(2)}`,
);
