import { createInProcessTransport } from '@lessor/events';
import { openDatabase } from '@lessor/service-kit';
import { embeddedLogging } from './logging.ts';
import { SYSTEM } from './system.ts';
import { setReplayDate } from './demo.ts';
import { listenTo } from './bus-listener.ts';

/**
 * One service of `npm start` in a process of its own (ADR 21): `main.ts` starts it once per service of SYSTEM
 * (and again when it dies), with the service's environment plus
 * - LESSOR_SERVICE: which service;
 * - DATABASE_URL: its own database on the embedded server;
 * - LESSOR_BUS_URL: the database of the durable bus every process shares (`lessor_bus`), which wakes consumers
 *   across processes with LISTEN/NOTIFY;
 * - LESSOR_DATA_DIR, LOG_LEVEL: where and what to log, as the runner does (console at LOG_LEVEL, file at info).
 * It tells the runner over IPC when it listens (`ready`) and when sso made the first admin (its password goes
 * into the banner), and takes billing's business date while the demo replays its past.
 */
const env = process.env;
const name = env.LESSOR_SERVICE ?? '';
const service = SYSTEM.find((candidate) => candidate.name === name);
if (!service || !env.DATABASE_URL || !env.LESSOR_BUS_URL) {
  process.stderr.write(
    'service-process: set LESSOR_SERVICE, DATABASE_URL and LESSOR_BUS_URL (npm start does)\n',
  );
  process.exit(2);
}
const send = (message: unknown) => process.send?.(message);
const logging = embeddedLogging(env.LESSOR_DATA_DIR ?? './data', (env.LOG_LEVEL ?? 'warn') as 'warn', {
  rotate: false,
});
const logger = logging.logger(name);
const database = await openDatabase<unknown>({
  schema: name,
  url: env.DATABASE_URL,
  onError: (error) => logger.warn({ err: error }, 'database connection lost'),
});
const bus = await openDatabase<unknown>({
  schema: 'lessor_bus',
  url: env.LESSOR_BUS_URL,
  poolSize: 4,
  onError: (error) => logger.warn({ err: error }, 'bus connection lost'),
});
const busUrl = env.LESSOR_BUS_URL;
const transport = createInProcessTransport({
  db: bus.db,
  logger: logger.child({ component: 'bus' }),
  // Woken by NOTIFY, a consumer polls only to catch what a lost notification session missed.
  pollIntervalMs: 1000,
  listen: (channel, onPayload) => listenTo(busUrl, channel, onPayload, logger),
});

process.on('message', (message: { type?: string; date?: string | null; id?: number }) => {
  if (message?.type !== 'business-date') return;
  void setReplayDate(message.date ?? undefined).then(() =>
    send({ type: 'business-date-set', id: message.id }),
  );
});

// The service is built as `npm start` always built it: its database handed over, no DATABASE_URL in its config
// (which tells sso it may generate the first admin's password into the data directory).
const { DATABASE_URL: _url, LESSOR_BUS_URL: _bus, ...serviceEnv } = env;
const app = await service.build(serviceEnv, database, logger, transport, {
  firstAdmin: (result) => send({ type: 'first-admin', generatedPassword: result.generatedPassword }),
});
const url = await app.listen({ host: env.HOST ?? '127.0.0.1', port: Number(env.PORT ?? 0) });
send({ type: 'ready', url });

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.close().catch(() => {});
  await transport.close().catch(() => {});
  await bus.close().catch(() => {});
  await database.close().catch(() => {});
  logging.flush();
  process.exit(0);
}
// Ctrl-C reaches every process of the terminal's group; the runner sends SIGTERM: both stop gracefully.
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
// The runner gone (killed) leaves nobody to stop this process: stop with it.
process.on('disconnect', () => void stop());
