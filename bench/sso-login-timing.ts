/**
 * Does the time of a failed login reveal whether the username exists? Measures, in one run on one sso,
 * logins with an unknown username, with a known username and a wrong password, and successful ones, and
 * prints their medians and the ratio unknown / wrong-password (1.00 = indistinguishable).
 *
 *   node --import tsx bench/sso-login-timing.ts [rounds=40]
 */
import { pino } from 'pino';
import { createInProcessTransport } from '@lessor/events';
import { buildService } from '@lessor/service-kit';
import { createTestDatabase, ensureTestPostgres } from '@lessor/service-kit/testing';
import { ssoService } from '@lessor/sso';

const rounds = Number(process.argv[2] ?? 40);
// PostgreSQL: the test server (LESSOR_TEST_DATABASE_URL or 127.0.0.1:5432), else an embedded one for this run.
const stopServer = await ensureTestPostgres();
const database = await createTestDatabase<unknown>('postgres', { schema: 'sso' });
const password = 'bench-admin-password';
const transport = createInProcessTransport({ db: database.db });
const app = await buildService(ssoService, {
  // High limits: this measures the password check, not the rate limiter.
  env: {
    PORT: '0',
    LESSOR_ADMIN_PASSWORD: password,
    SSO_LOGIN_FAILURES_PER_ACCOUNT: '100000',
    SSO_LOGIN_ATTEMPTS_PER_ADDRESS: '100000',
  },
  database,
  transport,
  logger: pino({ level: 'silent' }),
});

async function time(username: string, pass: string, expected: number): Promise<number> {
  const started = performance.now();
  const response = await app.inject({
    method: 'POST',
    url: '/v1/auth/login',
    payload: { username, password: pass },
  });
  const elapsed = performance.now() - started;
  if (response.statusCode !== expected) throw new Error(`expected ${expected}, got ${response.statusCode}`);
  return elapsed;
}

const samples = { unknown: [] as number[], wrong: [] as number[], success: [] as number[] };
await time('admin', password, 200); // warm-up: the decoy hash and the key cache
for (let round = 0; round < rounds; round++) {
  // Interleaved, so machine noise lands on all three alike.
  samples.unknown.push(await time(`nobody-${round}`, 'wrong-password', 401));
  samples.wrong.push(await time('admin', 'wrong-password', 401));
  samples.success.push(await time('admin', password, 200));
}
await app.close();
await transport.close();
await database.dispose();
await stopServer?.();

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const row = (name: string, values: number[]) =>
  `${name.padEnd(16)} median ${median(values).toFixed(1).padStart(6)} ms`;
console.log(`sso login timing, ${rounds} rounds, PostgreSQL, argon2id m=19MiB t=2 p=1`);
console.log(row('unknown user', samples.unknown));
console.log(row('wrong password', samples.wrong));
console.log(row('success', samples.success));
console.log(
  `ratio unknown / wrong-password: ${(median(samples.unknown) / median(samples.wrong)).toFixed(2)}`,
);
