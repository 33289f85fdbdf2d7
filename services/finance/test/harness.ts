import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { createTestIssuer, serveKeySet, type TestIssuer } from '@lessor/auth/testing';
import { eventConsumers } from '@lessor/event-catalog';
import {
  createInProcessTransport,
  createRabbitTransport,
  eventMigrations,
  type EventEnvelope,
  type Transport,
} from '@lessor/events';
import { deleteTestNamespace, eventually, readOutbox, testAmqpUrl } from '@lessor/events/testing';
import { migrate, openDatabase, ServiceEvents, type Database, type ServiceApp } from '@lessor/service-kit';
import {
  createTestDatabase,
  testBackends,
  type Backend,
  type TestDatabase,
} from '@lessor/service-kit/testing';
import { buildApp, loadFinanceConfig } from '../src/index.ts';

/** The system date the tests live on: every event of theirs is dated on or before it. */
export const TODAY = '2026-12-31';
export const RETRY_DELAYS_MS = [50, 100];
const silent = pino({ level: 'silent' });

export interface Answer {
  status: number;
  body: any;
  headers: Record<string, unknown>;
  text: string;
}

/** On PostgreSQL: embedded (the in-process bus) always; distributed (RabbitMQ) when it answers. */
export function financeSetups(): { backend: Backend; broker: 'in-process' | 'rabbitmq' }[] {
  const amqpUrl = testAmqpUrl();
  const setups: { backend: Backend; broker: 'in-process' | 'rabbitmq' }[] = [];
  for (const backend of testBackends()) {
    setups.push({ backend, broker: 'in-process' });
    if (amqpUrl) setups.push({ backend, broker: 'rabbitmq' });
  }
  return setups;
}

/**
 * finance on a fresh database, with leasing and billing as publishers: each its own outbox in its own schema
 * of the same database (as in embedded mode), publishing through the real transport — the RabbitMQ broker or
 * the in-process bus — exactly as those services do.
 */
export interface FinanceWorld {
  app: ServiceApp;
  database: TestDatabase<unknown>;
  issuer: TestIssuer;
  /** A token of a user with these permissions. */
  token(permissions?: string[]): Promise<string>;
  call(method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<Answer>;
  /** Publishes an event of leasing or billing (by its type) from that service's outbox. */
  publish(type: string, subject: string, data: unknown): Promise<EventEnvelope>;
  /** Publishes the very same envelope again, through the broker (a redelivery the inbox must absorb). */
  republish(envelope: EventEnvelope): Promise<void>;
  /** Waits until the consumer settled the event (posted, put on review, or found a duplicate). */
  settled(eventId: string): Promise<void>;
  /** How many deliveries the consumer settled with this outcome (its own metrics). */
  outcomes(outcome: string): Promise<number>;
  outbox(type?: string): Promise<EventEnvelope[]>;
  close(): Promise<void>;
}

export async function startWorld(
  setup: { backend: Backend; broker: 'in-process' | 'rabbitmq' },
  options: {
    cacheMs?: number;
    /** Runs on the fresh database before finance starts on it (books left by an earlier release…). */
    prepare?: (database: TestDatabase<unknown>) => Promise<void>;
  } = {},
): Promise<FinanceWorld> {
  const { backend, broker } = setup;
  const namespace = `test-finance-${randomUUID().slice(0, 8)}`;
  const database = await createTestDatabase<unknown>(backend, { schema: 'finance' });
  const open = (schema: string): Promise<Database<unknown>> =>
    openDatabase<unknown>({ schema, url: database.url });
  await options.prepare?.(database);
  const publisherDbs = { leasing: await open('leasing'), billing: await open('billing') };
  for (const db of Object.values(publisherDbs)) await migrate(db, eventMigrations);
  const amqpUrl = testAmqpUrl();
  const transports: Transport[] = [];
  const transport = (name: string): Transport => {
    if (broker === 'rabbitmq') {
      const created = createRabbitTransport({ url: amqpUrl!, namespace, connectionName: name });
      transports.push(created);
      return created;
    }
    if (transports.length === 0) transports.push(createInProcessTransport({ db: database.db }));
    // One bus object for the process, as in embedded mode.
    return transports[0]!;
  };
  const publishers = {
    leasing: new ServiceEvents(
      'leasing',
      publisherDbs.leasing.db,
      { transport: transport('leasing') },
      silent,
      new Registry(),
    ),
    billing: new ServiceEvents(
      'billing',
      publisherDbs.billing.db,
      { transport: transport('billing') },
      silent,
      new Registry(),
    ),
  };
  for (const publisher of Object.values(publishers)) await publisher.start();

  const issuer = await createTestIssuer();
  const keys = await serveKeySet(issuer);
  const config = loadFinanceConfig({
    PORT: '0',
    LOG_LEVEL: 'silent',
    SSO_JWKS_URL: keys.jwksUrl,
    FINANCE_CACHE_MS: String(options.cacheMs ?? 1000),
    FINANCE_INCOME_JOB_INTERVAL_MS: '0',
  });
  const app = await buildApp({
    config,
    database,
    transport: transport('finance'),
    logger: silent,
    today: () => TODAY,
    eventRetryDelaysMs: RETRY_DELAYS_MS,
  });
  await app.ready();
  const admin = await issuer.sign({ permissions: ['finance:*:*'], name: 'Finance Admin' });

  const outcomes = async (outcome: string): Promise<number> => {
    const metric = await app.metrics.getSingleMetric('lessor_events_consumed_total')?.get();
    return (metric?.values ?? [])
      .filter((value) => value.labels.outcome === outcome)
      .reduce((sum, value) => sum + value.value, 0);
  };
  const inInbox = async (eventId: string) => {
    const row = await database.db
      .withoutPlugins()
      .selectFrom('inbox' as never)
      .select('event_id' as never)
      .where('event_id' as never, '=', eventId as never)
      .executeTakeFirst();
    return row !== undefined;
  };

  return {
    app,
    database,
    issuer,
    token: (permissions = ['finance:*:*']) => issuer.sign({ permissions, name: 'Test User' }),
    async call(method, url, payload, headers = {}) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${admin}`, ...headers },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      return {
        status: response.statusCode,
        body: safeJson(response.body),
        headers: response.headers,
        text: response.body,
      };
    },
    async publish(type, subject, data) {
      const service = type.split('.')[1] as 'leasing' | 'billing';
      const publisher = publishers[service];
      const envelope = await publisherDbs[service].db
        .transaction()
        .execute((trx) => publisher.publish(trx, { type, subject, data, actor: 'system' }));
      publisher.relay.wake();
      return envelope;
    },
    async republish(envelope) {
      const service = envelope.type.split('.')[1] as 'leasing' | 'billing';
      const [stored] = (await readOutbox(publisherDbs[service].db, { type: envelope.type })).filter(
        (event) => event.id === envelope.id,
      );
      await publishers[service].transport.publish([stored!]);
    },
    settled: (eventId) =>
      eventually(async () => (await inInbox(eventId)) || undefined, {
        timeoutMs: 30_000,
        message: `event ${eventId} handled`,
      }).then(() => undefined),
    outcomes,
    outbox: (type) => readOutbox(database.db, type === undefined ? {} : { type }),
    async close() {
      await app.close();
      for (const publisher of Object.values(publishers)) await publisher.stop();
      for (const created of new Set(transports)) await created.close();
      await keys.close();
      for (const db of Object.values(publisherDbs)) await db.close();
      await database.dispose();
      if (broker === 'rabbitmq') {
        await deleteTestNamespace(amqpUrl!, namespace, ['finance'], RETRY_DELAYS_MS);
        const others = eventConsumers
          .map((consumer) => consumer.service)
          .filter((name) => name !== 'finance');
        await deleteTestNamespace(amqpUrl!, namespace, others).catch(() => {});
      }
    },
  };
}

function safeJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
