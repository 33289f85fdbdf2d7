import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { printBanner } from './banner.ts';
import { inheritedEnv, loadStackConfig, serviceDatabaseUrl, servicePort } from './config.ts';
import { waitUntilReady } from './readiness.ts';
import { supervise } from './supervisor.ts';
import { clientEnv, newClientSecrets, SYSTEM, wiringEnv } from './system.ts';

/**
 * `npm run start:services`: every service as its own process, as in production, on PostgreSQL (a
 * database per service, `lessor_<name>`, created if missing) and RabbitMQ. A service that dies is restarted
 * with backoff; Ctrl-C stops them all.
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
  const port = servicePort(service.name, service.port, config) || (await freePort());
  urls.set(service.name, `http://${config.HOST}:${port}`);
}

/** A port nobody listens on right now (the OS picks it); the child process binds it a moment later. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, config.HOST, resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const secrets = newClientSecrets();
// Each service is restarted when it dies (1 s, 2 s, 4 s … up to 30 s), as an orchestrator would; the fifth
// crash of one service within 60 s stops Lessor, and so does Ctrl-C (src/supervisor.ts).
const supervisor = supervise(
  SYSTEM.map((service) => ({
    name: service.name,
    start: () =>
      spawn(process.execPath, ['--import', 'tsx', service.main], {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...inheritedEnv(),
          ...wiringEnv(urls),
          ...clientEnv(service.name, secrets),
          HOST: config.HOST,
          PORT: new URL(urls.get(service.name)!).port,
          DATABASE_URL: serviceDatabaseUrl(config.DATABASE_URL!, service.name, config.LESSOR_DATABASE_PREFIX),
        },
      }),
  })),
  {
    log: (line) => process.stderr.write(`${line}\n`),
    onGiveUp: (name) => {
      process.stderr.write(`${name} keeps crashing; stopping Lessor.\n`);
      void stop(1);
    },
  },
);

let stopping = false;
async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  setTimeout(() => process.exit(code), 15_000).unref();
  await supervisor.stop();
  process.exit(code);
}
process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

try {
  // Eight processes each compiling TypeScript (tsx) on a small machine: give them time; a crash is restarted meanwhile.
  await waitUntilReady(urls, 180_000);
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  await stop(1);
}
printBanner({
  url: urls.get('gateway')!,
  services: urls,
  admin: config.LESSOR_ADMIN_PASSWORD ? { kind: 'from-env' } : { kind: 'unknown' },
});
