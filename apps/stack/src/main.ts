import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInProcessTransport } from '@lessor/events';
import { openDatabase, openEmbeddedPglite } from '@lessor/service-kit';
import { bootSystem, type BootedSystem } from './boot.ts';
import { inheritedEnv, loadStackConfig, servicePort } from './config.ts';
import { printBanner } from './banner.ts';
import { startDemo, type DemoState } from './demo.ts';
import { embeddedLogging } from './logging.ts';
import { newClientSecrets, portOf, type StackEvents } from './system.ts';
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
// The console shows warnings and errors (LOG_LEVEL changes that); every request goes to the log file.
const logging = embeddedLogging(config.LESSOR_DATA_DIR, config.LOG_LEVEL ?? 'warn');
const pglite = await openEmbeddedPglite({ dataDir: join(config.LESSOR_DATA_DIR, 'pglite') });
// One in-process event bus for every service, kept in the same database: durable like a broker's queues.
const busDatabase = await openDatabase<unknown>({ schema: 'lessor_bus', pglite });
const transport = createInProcessTransport({
  db: busDatabase.db,
  logger: logging.logger('bus'),
});
const urls = new Map<string, string>();
let system: BootedSystem | undefined;
let generatedPassword: string | undefined;
const events: StackEvents = { firstAdmin: (result) => (generatedPassword = result.generatedPassword) };
// The demo data's clients are declared to sso only when demo data is on.
const clientSecrets = newClientSecrets({ demo: config.LESSOR_DEMO });

let stopping = false;
async function stop(signal: string, code = 0): Promise<void> {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${signal}: stopping Lessor…\n`);
  await system?.stop();
  await transport.close().catch(() => {});
  await busDatabase.close().catch(() => {});
  await pglite.close().catch(() => {});
  logging.flush();
  process.exit(code);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

try {
  system = await bootSystem({
    databaseFor: (schema) => openDatabase<unknown>({ schema, pglite }),
    transportFor: () => transport,
    host: config.HOST,
    portFor: (name) => servicePort(name, portOf(name), config),
    env: { ...inheritedEnv(), LESSOR_DATA_DIR: config.LESSOR_DATA_DIR },
    logger: (name) => logging.logger(name),
    events,
    clientSecrets,
  });
  for (const [name, url] of system.urls) urls.set(name, url);
  await waitUntilReady(urls, 30_000);
} catch (error) {
  process.stderr.write(`Lessor failed to start: ${error instanceof Error ? error.stack : String(error)}\n`);
  await stop('start failure', 1);
}

const demo: DemoState = await startDemo(config.LESSOR_DEMO, {
  urls,
  secrets: clientSecrets,
  logger: logging.logger('demo'),
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
