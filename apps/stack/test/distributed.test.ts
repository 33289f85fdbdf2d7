import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { consumingServices } from '@lessor/event-catalog';
import { deleteTestNamespace, eventually, testAmqpUrl } from '@lessor/events/testing';
import { testBackends } from '@lessor/service-kit/testing';
import { SYSTEM } from '../src/system.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
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
          const timer = setTimeout(() => reject(new Error(`not ready:\n${output}`)), 90_000);
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
      } finally {
        child.kill('SIGINT');
        expect(await exited).toBe(0);
      }
      // Every service as its own process (tsx compiling each) on a shared 2-core machine: minutes, not seconds.
    }, 240_000);
  },
);
