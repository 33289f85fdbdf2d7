import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SYSTEM } from '../src/system.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));

/** True while a process with this pid exists. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function eventually<T>(check: () => Promise<T>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      return await check();
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${what} not within ${timeoutMs} ms: ${String(last)}`);
}

describe('npm start runs each service in its own process (ADR 21)', () => {
  let child: ChildProcess | undefined;
  let dataDir = '';
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('should run a process per service, carry an event between processes and restart a service killed with -9 while the others serve', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'lessor-processes-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'apps/stack/src/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        LESSOR_DATA_DIR: dataDir,
        LESSOR_FREE_PORTS: '1',
        LESSOR_DEMO: '0',
        LOG_LEVEL: 'warn',
        DATABASE_URL: '',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const url = await eventually(
      async () => {
        if (child!.exitCode !== null) throw new Error(`exited:\n${output}`);
        const match = /Lessor is ready at (http:\/\/\S+)/.exec(output);
        if (!match) throw new Error(output);
        return match[1]!;
      },
      180_000,
      'ready',
    );

    // Each service has a process of its own, none of them the runner's.
    const processes = () =>
      JSON.parse(readFileSync(join(dataDir, 'processes.json'), 'utf8')) as Record<string, number>;
    const before = processes();
    expect(before.runner).toBe(child.pid);
    const pids = SYSTEM.map((service) => before[service.name]!);
    expect(pids.every((pid) => Number.isInteger(pid) && pid !== child!.pid && alive(pid))).toBe(true);
    expect(new Set(pids).size).toBe(SYSTEM.length);
    const services = new Map(
      [...output.matchAll(/(\w+) (http:\/\/127\.0\.0\.1:\d+)/g)].map((match) => [match[1]!, match[2]!]),
    );

    const password = /user admin, password (\S+)/.exec(output)![1]!;
    const login = await fetch(`${url}/api/sso/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    const auth = { authorization: `Bearer ${((await login.json()) as { accessToken: string }).accessToken}` };
    const createParty = (name: string, taxId: string) =>
      fetch(`${url}/api/parties/v1/parties`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'company', name, legalForm: 'GmbH', country: 'DE', taxId }),
      });
    /** audit (its own process) recorded the party parties (another process) created: the event crossed. */
    const audited = (partyId: string) =>
      eventually(
        async () => {
          const response = await fetch(`${url}/api/audit/v1/records?entityId=${partyId}`, { headers: auth });
          const page = (await response.json()) as { items: { action: string }[] };
          if (!page.items.some((record) => record.action === 'created')) throw new Error('not yet');
        },
        20_000,
        'audit record',
      );
    const first = await createParty('Across Processes GmbH', 'DE136695976');
    expect(first.status).toBe(201);
    await audited(((await first.json()) as { id: string }).id);

    // kill -9 parties: the others keep serving while the runner restarts it.
    process.kill(before.parties!, 'SIGKILL');
    await eventually(
      async () => {
        if (alive(before.parties!)) throw new Error('still alive');
      },
      5_000,
      'parties gone',
    );
    for (const name of ['sso', 'audit', 'leasing', 'gateway']) {
      const response = await fetch(`${services.get(name)}/health/ready`);
      expect(response.status, name).toBe(200);
    }
    const after = await eventually(
      async () => {
        const now = processes();
        if (now.parties === before.parties || !alive(now.parties!)) throw new Error('not restarted');
        const ready = await fetch(`${services.get('parties')}/health/ready`);
        if (ready.status !== 200) throw new Error(`parties answers ${ready.status}`);
        return now;
      },
      60_000,
      'parties restarted',
    );
    // Only parties was restarted.
    for (const service of SYSTEM.filter((candidate) => candidate.name !== 'parties'))
      expect(after[service.name], service.name).toBe(before[service.name]);
    expect(output).toMatch(/parties exited \(SIGKILL\); restarting/);

    // The restarted process publishes again, and audit hears it.
    const second = await createParty('After The Restart GmbH', 'DE129273398');
    expect(second.status).toBe(201);
    await audited(((await second.json()) as { id: string }).id);

    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    // Ctrl-C stopped every service process too.
    await eventually(
      async () => {
        const left = SYSTEM.map((service) => after[service.name]!).filter(alive);
        if (left.length > 0) throw new Error(`still running: ${left.join(', ')}`);
      },
      10_000,
      'children stopped',
    );
  }, 300_000);
});
