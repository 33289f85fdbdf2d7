import type { Logger } from 'pino';
import { createInProcessTransport, createRabbitTransport, type Transport } from '@lessor/events';
import { baseConfigSchema, loadConfig, type BaseConfig } from './config.ts';
import { ensurePostgresDatabase, openDatabase, type Database } from './db/index.ts';
import type { ServiceApp } from './http/app.ts';
import { createLogger } from './http/logger.ts';
import { buildService } from './service/build-service.ts';
import type { ServiceDefinition } from './service/define-service.ts';

/**
 * Opens the service's own database from DATABASE_URL (created when missing). A service run alone needs it: there
 * is no engine inside the process (`npm start` runs its own PostgreSQL server and gives each service its URL).
 */
export async function openServiceDatabase(
  schema: string,
  config: Pick<BaseConfig, 'DATABASE_URL'>,
): Promise<{ database: Database<unknown>; closeEngine: () => Promise<void> }> {
  if (!config.DATABASE_URL) {
    throw new Error(
      `${schema}: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/lessor_${schema}), or run the whole ` +
        'system with `npm start`, which starts its own PostgreSQL',
    );
  }
  await ensurePostgresDatabase(config.DATABASE_URL);
  const database = await openDatabase<unknown>({ schema, url: config.DATABASE_URL });
  return { database, closeEngine: async () => {} };
}

/**
 * The transport of a service running alone: RabbitMQ from AMQP_URL, else the in-process bus kept in the
 * service's own database (events then reach consumers in the same database only). LESSOR_EVENTS_NAMESPACE
 * keeps installations apart on one broker: `lessor.<namespace>.events` and `lessor.<namespace>.<service>`.
 */
export function openServiceTransport(
  name: string,
  config: Pick<BaseConfig, 'AMQP_URL' | 'LESSOR_EVENTS_NAMESPACE'>,
  database: Database<unknown>,
  logger: Logger,
): Transport {
  return config.AMQP_URL
    ? createRabbitTransport({
        url: config.AMQP_URL,
        logger: logger.child({ component: 'rabbitmq' }),
        connectionName: name,
        ...(config.LESSOR_EVENTS_NAMESPACE ? { namespace: config.LESSOR_EVENTS_NAMESPACE } : {}),
      })
    : createInProcessTransport({ db: database.db, logger: logger.child({ component: 'bus' }) });
}

/**
 * The body of every service's `main.ts`: `await runService(partiesService)`. Reads the configuration from the
 * environment, opens the database and the event transport, builds the service from its definition, listens,
 * and on SIGTERM or SIGINT shuts down gracefully — readiness turns 503, the server stops accepting, in-flight
 * requests finish (up to SHUTDOWN_GRACE_MS), then the transport and database close.
 */
export async function runService<Options>(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  definition: ServiceDefinition<any, any, any, any, Options>,
  options: Partial<Options> = {},
): Promise<ServiceApp> {
  const env = { PORT: String(definition.port), ...process.env };
  const config = loadConfig(baseConfigSchema, env);
  const logger = createLogger(definition.name, config.LOG_LEVEL);
  const { database, closeEngine } = await openServiceDatabase(definition.name, config);
  // A service defined without events (the gateway) holds no broker connection.
  const transport = definition.withoutEvents
    ? undefined
    : openServiceTransport(definition.name, config, database, logger);
  const app = await buildService(definition, { env, database, transport, logger, options });
  await app.listen({ host: config.HOST, port: config.PORT });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('graceful shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app.close();
      await transport?.close();
      await closeEngine();
      process.exit(0);
    } catch (error) {
      logger.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  return app;
}
