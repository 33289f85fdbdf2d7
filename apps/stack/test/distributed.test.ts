import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { consumingServices } from '@lessor/event-catalog';
import { deleteTestNamespace, eventually, testAmqpUrl } from '@lessor/events/testing';
import { testBackends } from '@lessor/service-kit/testing';
import { SYSTEM } from '../src/system.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** The runner's children by service name (their command line names services/<name>/src/main.ts). */
function servicePids(runner: number): Map<string, number> {
  const listing = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(runner)], { encoding: 'utf8' });
  const pids = new Map<string, number>();
  for (const line of listing.split('\n')) {
    const match = /^\s*(\d+)\s.*services\/([a-z-]+)\/src\/main\.ts/.exec(line);
    if (match) pids.set(match[2]!, Number(match[1]));
  }
  return pids;
}
const backends = await testBackends();
const amqpUrl = testAmqpUrl();
const serverUrl = process.env.LESSOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

describe.runIf(backends.includes('postgres') && amqpUrl)(
  'npm run start:services (a process per service, PostgreSQL, RabbitMQ)',
  () => {
    const run = Date.now().toString(36);
    const prefix = `lessor_t${run}_`;
    const namespace = `test-${run}`;
    afterAll(async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      for (const { name } of SYSTEM)
        await client.query(`drop database if exists ${prefix}${name} with (force)`);
      await client.end();
      await deleteTestNamespace(amqpUrl!, namespace, consumingServices());
    });

    it('should create a database per service, start every service as a process and stop them all on Ctrl-C', async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'apps/stack/src/distributed.ts'], {
        cwd: root,
        env: {
          ...process.env,
          DATABASE_URL: serverUrl,
          LESSOR_DATABASE_PREFIX: prefix,
          AMQP_URL: amqpUrl!,
          LESSOR_EVENTS_NAMESPACE: namespace,
          LESSOR_FREE_PORTS: '1',
          LESSOR_ADMIN_PASSWORD: 'distributed-admin-password',
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`not ready:\n${output}`)), 200_000);
          child.stdout.on('data', () => {
            const match = /Lessor is ready at (http:\/\/\S+)/.exec(output);
            if (match) {
              clearTimeout(timer);
              resolve(match[1]!);
            }
          });
          void exited.then((code) => reject(new Error(`exited ${code}:\n${output}`)));
        });
        const login = await fetch(`${url}/api/sso/v1/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: 'admin', password: 'distributed-admin-password' }),
        });
        expect(login.status).toBe(200);
        const { accessToken } = (await login.json()) as { accessToken: string };
        const services = await fetch(`${url}/api/gateway/v1/services`, {
          headers: { authorization: `Bearer ${accessToken}` },
        });
        expect(
          ((await services.json()) as { items: { ready: boolean }[] }).items.every((item) => item.ready),
        ).toBe(true);

        // An event crosses processes: sso's outbox → RabbitMQ → audit's inbox and trail.
        const auth = { authorization: `Bearer ${accessToken}` };
        const created = await fetch(`${url}/api/sso/v1/users`, {
          method: 'POST',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({
            username: 'across',
            fullName: 'Across Processes',
            password: 'across-password-1',
          }),
        });
        const user = (await created.json()) as { id: string };
        const records = await eventually(
          async () => {
            const response = await fetch(`${url}/api/audit/v1/records?entityType=user&entityId=${user.id}`, {
              headers: auth,
            });
            const page = (await response.json()) as { items: { action: string }[] };
            if (page.items.length === 0) throw new Error('not yet');
            return page.items;
          },
          { timeoutMs: 20_000 },
        );
        expect(records.map((record) => record.action)).toEqual(['created']);

        const client = new pg.Client({ connectionString: serverUrl });
        await client.connect();
        const { rows } = await client.query<{ datname: string }>(
          'select datname from pg_database where datname like $1 order by datname',
          [`${prefix}%`],
        );
        await client.end();
        expect(rows.map((row) => row.datname)).toEqual(
          SYSTEM.map((service) => `${prefix}${service.name}`).sort(),
        );

        // kill -9 of one service: the runner restarts it (with backoff, said in the log); the others go on.
        const before = servicePids(child.pid!);
        const parties = before.get('parties')!;
        process.kill(parties, 'SIGKILL');
        await eventually(
          async () => {
            const now = servicePids(child.pid!).get('parties');
            if (now === undefined || now === parties) throw new Error('parties not restarted yet');
            const ready = await fetch(`${url}/api/gateway/v1/services`, { headers: auth });
            const { items } = (await ready.json()) as { items: { name: string; ready: boolean }[] };
            if (!items.find((item) => item.name === 'parties')?.ready) throw new Error('parties not ready');
            return true;
          },
          { timeoutMs: 60_000 },
        );
        expect(child.exitCode).toBeNull();
        expect(output).toMatch(/parties exited \(SIGKILL\); restarting in 1 s/);
        const after = servicePids(child.pid!);
        for (const [name, pid] of before) if (name !== 'parties') expect(after.get(name), name).toBe(pid);
        const parties2 = await fetch(`${url}/api/parties/v1/parties?limit=1`, { headers: auth });
        expect(parties2.status).toBe(200);
      } finally {
        child.kill('SIGINT');
        expect(await exited, output.slice(-6000)).toBe(0);
      }
      // Every service as its own process (tsx compiling each) on a shared 2-core machine: minutes, not seconds.
    }, 420_000);
  },
);
