import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/system.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface RunningStack {
  child: ChildProcess;
  url: string;
  output: () => string;
  stop(): Promise<number | null>;
}

/** Starts `npm start`'s entry as a user would, on free ports, and waits for its "ready" line. */
async function startStack(dataDir: string, env: Record<string, string> = {}): Promise<RunningStack> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/stack/src/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      LESSOR_DATA_DIR: dataDir,
      LESSOR_FREE_PORTS: '1',
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    // The first start seeds the demo before it says it is ready: a minute and more on a busy 2-core machine.
    const timer = setTimeout(() => reject(new Error(`stack not ready in 180 s:\n${output}`)), 180_000);
    const check = () => {
      const match = /Lessor is ready at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', check);
    child.once('exit', (code) => reject(new Error(`stack exited with ${code}:\n${output}`)));
  });
  return {
    child,
    url,
    output: () => output,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', (code) => resolve(code));
        child.kill('SIGINT');
      }),
  };
}

/** The contracts the demo's sales user drafted. */
async function demoContracts(url: string, token: string): Promise<number> {
  const headers = { authorization: `Bearer ${token}` };
  const users = await fetch(`${url}/api/sso/v1/users?q=demo.sales`, { headers });
  const sales = ((await users.json()) as { items: { id: string }[] }).items[0]?.id;
  const response = await fetch(`${url}/api/leasing/v1/contracts?limit=200`, { headers });
  return ((await response.json()) as { items: { createdBy: string }[] }).items.filter(
    (contract) => contract.createdBy === sales,
  ).length;
}

async function login(url: string, username: string, password: string) {
  const response = await fetch(`${url}/api/sso/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return { status: response.status, body: (await response.json()) as { accessToken: string } };
}

describe('npm start (embedded stack)', () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('should come up with demo data, serve sign-in and the services through the gateway, stop on Ctrl-C and find its data again', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lessor-stack-'));
    dirs.push(dataDir);
    const first = await startStack(dataDir);
    let password: string;
    try {
      const printed = /user admin, password (\S+)/.exec(first.output());
      expect(printed, first.output()).not.toBeNull();
      password = printed![1]!;

      const admin = await login(first.url, 'admin', password);
      expect(admin.status).toBe(200);
      const auth = { authorization: `Bearer ${admin.body.accessToken}` };
      const me = await fetch(`${first.url}/api/sso/v1/me`, { headers: auth });
      expect(await me.json()).toMatchObject({ username: 'admin' });

      const services = await fetch(`${first.url}/api/gateway/v1/services`, { headers: auth });
      const { items } = (await services.json()) as { items: { name: string; ready: boolean }[] };
      // Every service of SYSTEM but the gateway itself, in start order, each ready.
      expect(items.map((item) => [item.name, item.ready])).toEqual(
        SYSTEM.filter((service) => service.name !== 'gateway').map((service) => [service.name, true]),
      );

      const created = await fetch(`${first.url}/api/sso/v1/users`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({
          username: 'survivor',
          fullName: 'Survives Restarts',
          password: 'survivor-password',
        }),
      });
      expect(created.status).toBe(201);

      expect(first.output()).toMatch(/Demo data: 10 contracts/);
      expect(await demoContracts(first.url, admin.body.accessToken)).toBe(10);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    expect(first.output()).toContain('stopping Lessor');

    const second = await startStack(dataDir);
    try {
      // The password is printed once: the second start points at the file instead.
      expect(second.output()).not.toContain(password);
      expect(second.output()).toContain('admin-password.txt');
      expect((await login(second.url, 'survivor', 'survivor-password')).status).toBe(200);
      const admin = await login(second.url, 'admin', password);
      expect(admin.status).toBe(200);
      // The demo data is found again, not made twice.
      expect(second.output()).toMatch(/Demo data: 10 contracts/);
      expect(await demoContracts(second.url, admin.body.accessToken)).toBe(10);
    } finally {
      expect(await second.stop()).toBe(0);
    }
    // Two starts of the whole stack, the first with its demo data, on a shared 2-core machine.
  }, 300_000);
});
