/* eslint-disable security/detect-non-literal-fs-filename -- paths in the test's own temp directories. */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));

interface Started {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

/** `npm start`'s entry as a user runs it, without demo data, on free ports; resolves at its "ready" line. */
async function start(dataDir: string): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'apps/stack/src/main.ts'], {
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
  const exit = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in 150 s:\n${output}`)), 150_000);
    child.stdout!.on('data', () => {
      const match = /Lessor is ready at (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    void exit.then((code) => reject(new Error(`exited with ${code}:\n${output}`)));
  });
  return { child, url, output: () => output, exit };
}

async function login(url: string, username: string, password: string): Promise<number> {
  const response = await fetch(`${url}/api/sso/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return response.status;
}

const serverPid = (dataDir: string) =>
  Number(readFileSync(join(dataDir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0]);

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe("npm start's own PostgreSQL", () => {
  const dirs: string[] = [];
  afterAll(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('should keep its data in a password-protected server, recover after kill -9 (the orphaned server stopped) and stop the server on Ctrl-C', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lessor-embedded-'));
    dirs.push(dataDir);
    const first = await start(dataDir);
    const password = /user admin, password (\S+)/.exec(first.output())![1]!;
    expect(await login(first.url, 'admin', password)).toBe(200);
    // The generated password: written once, readable by its owner only, never printed or logged.
    const secret = readFileSync(join(dataDir, 'postgres-password'), 'utf8').trim();
    expect(statSync(join(dataDir, 'postgres-password')).mode & 0o777).toBe(0o600);
    expect(first.output()).not.toContain(secret);
    expect(readFileSync(join(dataDir, 'logs', 'lessor.log'), 'utf8')).not.toContain(secret);
    const hba = readFileSync(join(dataDir, 'postgres', 'pg_hba.conf'), 'utf8');
    expect(hba.split('\n').filter((line) => /^\s*(local|host)/.test(line) && /\btrust\b/.test(line))).toEqual(
      [],
    );

    // kill -9: no Ctrl-C handler runs, the server is left behind as an orphan with its postmaster.pid.
    const orphan = serverPid(dataDir);
    first.child.kill('SIGKILL');
    await first.exit;
    expect(alive(orphan)).toBe(true);

    const second = await start(dataDir);
    try {
      expect(alive(orphan)).toBe(false);
      // The same data: the admin made on the first start signs in, no new password is generated.
      expect(second.output()).not.toContain(password);
      expect(await login(second.url, 'admin', password)).toBe(200);
    } finally {
      second.child.kill('SIGINT');
    }
    expect(await second.exit).toBe(0);
    expect(existsSync(join(dataDir, 'postgres', 'postmaster.pid'))).toBe(false);
  }, 300_000);

  it('should refuse to start on the PGlite data of an earlier release and say how to start afresh', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'lessor-earlier-'));
    dirs.push(dataDir);
    mkdirSync(join(dataDir, 'pglite'));
    writeFileSync(join(dataDir, 'pglite', 'PG_VERSION'), '17\n');
    const child = spawn(process.execPath, ['--import', 'tsx', 'apps/stack/src/main.ts'], {
      cwd: root,
      env: { ...process.env, LESSOR_DATA_DIR: dataDir, LESSOR_FREE_PORTS: '1', DATABASE_URL: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.once('exit', done));
    expect(code).toBe(2);
    expect(output).toMatch(/earlier Lessor release/);
    expect(output).toContain(`rm -rf ${dataDir}`);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(false);
  }, 60_000);
});
