import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInProcessTransport } from '@lessor/events';
import { createLogger, openDatabase, openEmbeddedPglite, type ServiceApp } from '@lessor/service-kit';
import { inheritedEnv, loadStackConfig } from './config.ts';
import { printBanner } from './banner.ts';
import { clientEnv, newClientSecrets, SYSTEM, wiringEnv, type StackEvents } from './system.ts';
import { waitUntilReady } from './readiness.ts';

/**
 * `npm start`: the whole ERP in one process on one embedded PGlite under LESSOR_DATA_DIR, a schema per
 * service, each service on its own port, in the order of SYSTEM. Ctrl-C closes them in reverse order.
 * With DATABASE_URL set, use `npm run start:services` instead (one process per service).
 */
const config = loadStackConfig();
if (config.DATABASE_URL) {
  process.stderr.write('DATABASE_URL is set: run `npm run start:services` to start Lessor on PostgreSQL.\n');
  process.exit(2);
}

mkdirSync(config.LESSOR_DATA_DIR, { recursive: true });
const pglite = await openEmbeddedPglite({ dataDir: join(config.LESSOR_DATA_DIR, 'pglite') });
// One in-process event bus for every service, kept in the same database: durable like a broker's queues.
const busDatabase = await openDatabase<unknown>({ schema: 'lessor_bus', pglite });
const transport = createInProcessTransport({
  db: busDatabase.db,
  logger: createLogger('bus', config.LOG_LEVEL as 'info'),
});
const started: { name: string; app: ServiceApp }[] = [];
const urls = new Map<string, string>();
let generatedPassword: string | undefined;
const events: StackEvents = { firstAdmin: (result) => (generatedPassword = result.generatedPassword) };

let stopping = false;
async function stop(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping Lessor…\n`);
  for (const { app } of [...started].reverse()) await app.close().catch(() => {});
  await transport.close().catch(() => {});
  await busDatabase.close().catch(() => {});
  await pglite.close().catch(() => {});
  process.exit(code);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

const secrets = newClientSecrets();
try {
  for (const service of SYSTEM) {
    const port = config.LESSOR_FREE_PORTS ? 0 : service.name === 'gateway' ? config.PORT : service.port;
    const env = {
      ...inheritedEnv(),
      ...wiringEnv(urls),
      ...clientEnv(service.name, secrets),
      HOST: config.HOST,
      PORT: String(port),
      LESSOR_DATA_DIR: config.LESSOR_DATA_DIR,
      TRUST_PROXY: service.name === 'gateway' ? 'false' : 'true',
    };
    const database = await openDatabase<unknown>({ schema: service.name, pglite });
    const logger = createLogger(service.name, config.LOG_LEVEL as 'info');
    const app = await service.build(env, database, logger, transport, events);
    started.push({ name: service.name, app });
    const address = await app.listen({ host: config.HOST, port });
    urls.set(service.name, address);
  }
  await waitUntilReady(urls, 30_000);
} catch (error) {
  process.stderr.write(`Lessor failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  await stop('start failure', 1);
}

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
});
