import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { printBanner } from './banner.ts';
import { inheritedEnv, loadStackConfig } from './config.ts';
import { waitUntilReady } from './readiness.ts';
import { clientEnv, newClientSecrets, SYSTEM, wiringEnv } from './system.ts';

/**
 * `npm run start:services`: every service as its own process, as in production, on PostgreSQL (a
 * database per service, `lessor_<name>`, created if missing) and RabbitMQ. Ctrl-C stops them all.
 */
const config = loadStackConfig();
if (!config.DATABASE_URL) {
  process.stderr.write(
    'Set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres) and AMQP_URL first.\n',
  );
  process.exit(2);
}

const root = fileURLToPath(new URL('../../../', import.meta.url));
const urls = new Map<string, string>();
for (const service of SYSTEM) {
  const port = config.LESSOR_FREE_PORTS
    ? await freePort()
    : service.name === 'gateway'
      ? config.PORT
      : service.port;
  urls.set(service.name, `http://${config.HOST}:${port}`);
}

/** The database URL of one service: same server, its own database. */
function serviceDatabaseUrl(base: string, service: string): string {
  const url = new URL(base);
  url.pathname = `/${config.LESSOR_DATABASE_PREFIX}${service.replaceAll('-', '_')}`;
  return url.toString();
}

/** A port nobody listens on right now (the OS picks it); the child process binds it a moment later. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, config.HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const children: ChildProcess[] = [];
const secrets = newClientSecrets();
for (const service of SYSTEM) {
  const child = spawn(process.execPath, ['--import', 'tsx', service.main], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...inheritedEnv(),
      ...wiringEnv(urls),
      ...clientEnv(service.name, secrets),
      HOST: config.HOST,
      PORT: new URL(urls.get(service.name)!).port,
      DATABASE_URL: serviceDatabaseUrl(config.DATABASE_URL, service.name),
    },
  });
  child.on('exit', (code, signal) => {
    if (!stopping) process.stderr.write(`${service.name} exited (${signal ?? code}); stopping Lessor.\n`);
    void stop(1);
  });
  children.push(child);
}

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const child of children.reverse()) child.kill('SIGTERM');
  setTimeout(() => process.exit(code), 12_000).unref();
  await Promise.all(
    children.map(
      (child) =>
        new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve))),
    ),
  );
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  await waitUntilReady(urls, 60_000);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
}
printBanner({
  url: urls.get('gateway')!,
  services: urls,
  admin: config.LESSOR_ADMIN_PASSWORD ? { kind: 'from-env' } : { kind: 'unknown' },
});
