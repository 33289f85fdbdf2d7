import type { AddressInfo } from 'node:net';
import { sql, type Kysely } from 'kysely';
import createClient, { type Client } from 'openapi-fetch';
import { pino, type Logger } from 'pino';
import { Registry } from 'prom-client';
import { createTestIssuer, serveKeySet, type ServedKeySet, type TestIssuer } from '@lessor/auth/testing';
import { validateEvent, type EventDataOf, type EventDefinition } from '@lessor/event-catalog';
import {
  createInProcessTransport,
  createRabbitTransport,
  eventMigrations,
  type EventEnvelope,
  type Transport,
} from '@lessor/events';
import { deleteTestNamespace, eventually, readOutbox, testAmqpUrl } from '@lessor/events/testing';
import { migrate, openDatabase, type Database } from '../db/index.ts';
import { ServiceEvents } from '../events/service-events.ts';
import type { ServiceApp } from '../http/app.ts';
import { urlVariableOf } from '../config.ts';
import { buildService } from '../service/build-service.ts';
import { bindingsOf, type AnyServiceDefinition } from '../service/define-service.ts';
import {
  createTestDatabase,
  serviceMigrations,
  testBackends,
  type Backend,
  type TestDatabase,
} from './test-database.ts';

/**
 * The one way tests start services (ADR 24): each from its definition, as `main.ts` and `npm start` do, on a
 * fresh database (a schema per service, as in embedded mode), over the in-process bus or a real RabbitMQ,
 * trusting the keys of a test issuer served over HTTP. Neighbours are started by their definitions too (ADR 11):
 * a service that calls another reaches it over HTTP, on a real port, with a token of its scopes.
 */

/** Where a test runs: PostgreSQL and a broker, the in-process bus always, RabbitMQ when one answers. */
export interface TestSetup {
  backend: Backend;
  broker: 'in-process' | 'rabbitmq';
}

/** The in-process bus, as `npm start` runs; RabbitMQ as well when it answers (CI requires it). */
export function testSetups(): TestSetup[] {
  const setups: TestSetup[] = [];
  for (const backend of testBackends()) {
    setups.push({ backend, broker: 'in-process' });
    if (testAmqpUrl()) setups.push({ backend, broker: 'rabbitmq' });
  }
  return setups;
}

/** A service to start, with what it reads beyond the defaults. */
export interface TestServiceSpec {
  definition: AnyServiceDefinition;
  /**
   * Its environment besides PORT, LOG_LEVEL and SSO_JWKS_URL (which the runner sets); a function of the system
   * when it needs what was started before it (a gateway's GATEWAY_SERVICES, sso's keys at sso's URL).
   */
  env?: Record<string, string> | ((system: TestServices) => Record<string, string>);
  /** Its definition's options (a business date, a callback…). */
  options?: Record<string, unknown>;
  /** Listen on a port of its own (a service others call over HTTP); `inject()` only otherwise. */
  listen?: boolean;
  /** Its log, for a test that reads what it logged (that no secret is in it); silent otherwise. */
  logger?: Logger;
}

export interface TestServicesOptions {
  setup?: TestSetup;
  /** The services to start, in order (a service another calls first, so its URL is known). */
  services: readonly (AnyServiceDefinition | TestServiceSpec)[];
  /**
   * Services not started whose events the test publishes (`publish`), each from a real outbox in its own
   * schema: billing's tests publish leasing's contract events this way.
   */
  publishers?: readonly string[];
  /** Delays before retrying a failed event (short, so a parked event does not hold a test up). */
  eventRetryDelaysMs?: readonly number[];
  /**
   * Runs on the fresh database before anything starts on it (an upgrade test writes an earlier release's
   * schema and rows). The first service's schema is then not migrated in advance: its start migrates it over
   * what `prepare` left, as a new release starts on old books.
   */
  prepare?: (database: TestDatabase<unknown>) => Promise<void>;
}

/** An HTTP answer as tests read it. */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests assert on any shape
  body: any;
  headers: Record<string, unknown>;
}

/** One started service. */
export interface TestService {
  readonly name: string;
  readonly app: ServiceApp;
  readonly database: Database<unknown>;
  /** Its schema, typed by the test: `service.db<PartiesDatabase>()`. */
  db<Tables>(): Kysely<Tables>;
  /** Its base URL when it listens. */
  readonly url: string | undefined;
  /**
   * An HTTP call through `inject()`, any payload (bad input too); no token when `token` is undefined. A string
   * or Buffer payload is sent as it is.
   */
  call(
    method: string,
    url: string,
    token: string | undefined,
    payload?: unknown,
    headers?: Record<string, string>,
  ): Promise<Answer>;
  /** A client typed by the service's generated OpenAPI types (`services/<name>/openapi.ts`), over `inject()`. */
  api<Paths extends object>(token?: string): Client<Paths>;
  /** Its published events in order, optionally of one type; each is checked against the catalogue. */
  outbox(type?: string | EventDefinition): Promise<EventEnvelope[]>;
  /** Waits until its consumer has handled (committed) this event. */
  handled(envelope: Pick<EventEnvelope, 'id' | 'type'>): Promise<void>;
  /** Stops it (its port refuses from then on); `close` of the system skips it. */
  stop(): Promise<void>;
}

export interface TestServices {
  readonly setup: TestSetup;
  /** The one database; each service has its schema in it. */
  readonly database: TestDatabase<unknown>;
  readonly issuer: TestIssuer;
  service(name: string): TestService;
  /** A token of a user with these permissions (and this id and name, when given). */
  token(permissions: string[], userId?: string, name?: string): Promise<string>;
  /** Publishes an event of a publisher (see `publishers`) from its outbox, as its use cases would. */
  publish<Definition extends EventDefinition>(
    definition: Definition,
    data: EventDataOf<Definition>,
    actor?: string,
  ): Promise<EventEnvelope<EventDataOf<Definition>>>;
  /** Waits until `check` gives something other than false or undefined (events travel asynchronously). */
  until<T>(check: () => Promise<T>, message?: string): Promise<Exclude<T, false | undefined>>;
  close(): Promise<void>;
}

const silent = pino({ level: 'silent' });
const RETRY_DELAYS_MS = [50, 100];

/** Starts services on a fresh database, each from its definition; see {@link TestServices}. */
export async function startTestServices(options: TestServicesOptions): Promise<TestServices> {
  const setup = options.setup ?? { backend: 'postgres', broker: 'in-process' };
  const specs = options.services.map((entry) => ('definition' in entry ? entry : { definition: entry }));
  const [first] = specs;
  if (!first) throw new Error('startTestServices: name at least one service');
  const namespace = `test-${first.definition.name}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const amqpUrl = testAmqpUrl();
  if (setup.broker === 'rabbitmq' && !amqpUrl) throw new Error('RabbitMQ setup without LESSOR_TEST_AMQP_URL');
  // Every service's schema is migrated in the database's template, so each start finds nothing to apply.
  const database = await createTestDatabase<unknown>(setup.backend, {
    schema: first.definition.name,
    ...(options.prepare ? {} : { migrations: serviceMigrations(first.definition.migrations) }),
    alsoMigrated: specs.slice(1).map((spec) => ({
      schema: spec.definition.name,
      migrations: serviceMigrations(spec.definition.migrations),
    })),
  });
  const opened: Database<unknown>[] = [];
  const transports: Transport[] = [];
  // One bus object for the process, as in embedded mode; a connection per service to RabbitMQ, as distributed.
  const bus = setup.broker === 'in-process' ? createInProcessTransport({ db: database.db }) : undefined;
  const transportFor = (name: string): Transport => {
    if (bus) return bus;
    const transport = createRabbitTransport({ url: amqpUrl!, namespace, connectionName: name });
    transports.push(transport);
    return transport;
  };
  const issuer = await createTestIssuer();
  const keys: ServedKeySet = await serveKeySet(issuer);
  const started = new Map<string, TestService>();
  const stopped = new Set<string>();
  const publishers = new Map<string, ServiceEvents>();
  /** Each publisher's schema, opened once: a pool per `publish` would run PostgreSQL out of connections. */
  const publisherSchemas = new Map<string, Database<unknown>>();

  const schemaOf = async (schema: string): Promise<Database<unknown>> => {
    if (schema === first.definition.name) return database;
    const handle = await openDatabase<unknown>({ schema, url: database.url, poolSize: 5 });
    opened.push(handle);
    return handle;
  };

  const system: TestServices = {
    setup,
    database,
    issuer,
    service(name) {
      const service = started.get(name);
      if (!service)
        throw new Error(`no service ${name} started (started: ${[...started.keys()].join(', ')})`);
      return service;
    },
    token: (permissions, userId, name = 'Test User') =>
      issuer.sign({ permissions, name, ...(userId ? { sub: userId } : {}) }),
    async publish(definition, data, actor) {
      const publisher = publishers.get(definition.publisher);
      if (!publisher) throw new Error(`${definition.publisher} is not among the publishers of this test`);
      const trx = publisher.relay; // woken below, after the transaction commits
      const db = (publisherSchemas.get(definition.publisher) ?? (await schemaOf(definition.publisher))).db;
      const envelope = await db
        .transaction()
        .execute((inner) => publisher.publish(inner, definition, { data, ...(actor ? { actor } : {}) }));
      trx.wake();
      return envelope;
    },
    until: (check, message) => eventually(check, { timeoutMs: 20_000, ...(message ? { message } : {}) }),
    async close() {
      for (const service of [...started.values()].reverse())
        if (!stopped.has(service.name)) await service.app.close();
      for (const publisher of publishers.values()) await publisher.stop();
      if (bus) await bus.close();
      for (const transport of transports) await transport.close();
      await keys.close();
      for (const handle of opened) await handle.close().catch(() => {});
      await database.dispose();
      if (setup.broker === 'rabbitmq') {
        const consumers = specs
          .filter((spec) => spec.definition.consumes)
          .map((spec) => spec.definition.name);
        const retried = options.eventRetryDelaysMs ?? RETRY_DELAYS_MS;
        await deleteTestNamespace(amqpUrl!, namespace, consumers, [...retried]).catch(() => {});
      }
    },
  };

  try {
    await options.prepare?.(database);
    for (const name of options.publishers ?? []) {
      const db = await schemaOf(name);
      publisherSchemas.set(name, db);
      await migrate(db, eventMigrations);
      const publisher = new ServiceEvents(
        name,
        db.db,
        { transport: transportFor(name) },
        silent,
        new Registry(),
      );
      await publisher.start();
      publishers.set(name, publisher);
    }
    for (const spec of specs) {
      const { definition } = spec;
      const calledUrls: Record<string, string> = {};
      for (const called of definition.calls as readonly string[]) {
        const url = started.get(called)?.url;
        // A neighbour not started is a closed port: the caller meets it down (503), as when it crashed.
        calledUrls[urlVariableOf(called)] = url ?? 'http://127.0.0.1:9';
      }
      const serviceDb = await schemaOf(definition.name);
      const clientScopes = [...(definition.clientScopes as readonly string[])];
      const app = await buildService(definition, {
        env: {
          PORT: '0',
          LOG_LEVEL: 'silent',
          SSO_JWKS_URL: keys.jwksUrl,
          ...calledUrls,
          ...(typeof spec.env === 'function' ? spec.env(system) : spec.env),
        },
        database: serviceDb,
        transport: transportFor(definition.name),
        logger: spec.logger ?? silent,
        options: spec.options ?? {},
        eventRetryDelaysMs: options.eventRetryDelaysMs ?? RETRY_DELAYS_MS,
        ...(clientScopes.length > 0
          ? {
              clientToken: () =>
                issuer.sign({
                  sub: `client:${definition.name}`,
                  name: definition.name,
                  permissions: clientScopes,
                }),
            }
          : {}),
      });
      let url: string | undefined;
      if (spec.listen) {
        await app.listen({ host: '127.0.0.1', port: 0 });
        url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      } else {
        await app.ready();
      }
      started.set(
        definition.name,
        testService(definition, app, serviceDb, url, system, () => stopped.add(definition.name)),
      );
    }
  } catch (error) {
    await system.close().catch(() => {});
    throw error;
  }
  return system;
}

function testService(
  definition: AnyServiceDefinition,
  app: ServiceApp,
  database: Database<unknown>,
  url: string | undefined,
  system: TestServices,
  markStopped: () => void,
): TestService {
  const call: TestService['call'] = async (method, path, token, payload, headers = {}) => {
    const raw = typeof payload === 'string' || Buffer.isBuffer(payload);
    const response = await app.inject({
      method: method as 'GET',
      url: path,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      ...(payload === undefined ? {} : { payload: raw ? (payload as string | Buffer) : (payload as object) }),
    });
    return {
      status: response.statusCode,
      body: response.body ? parsed(response.body) : undefined,
      headers: response.headers,
    };
  };
  return {
    name: definition.name,
    app,
    database,
    db: <Tables>() => database.db as Kysely<Tables>,
    url,
    call,
    api<Paths extends object>(token?: string): Client<Paths> {
      return createClient<Paths>({
        baseUrl: 'http://service.test',
        ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}),
        fetch: (request: Request) => injectFetch(app, request),
      });
    },
    async outbox(type) {
      const wanted = typeof type === 'object' ? type.type : type;
      const events = await readOutbox(database.db, wanted === undefined ? {} : { type: wanted });
      for (const event of events) {
        const validation = validateEvent(event);
        if (!validation.ok)
          throw new Error(`${event.type} does not fit the catalogue: ${JSON.stringify(validation)}`);
      }
      return events;
    },
    async handled(envelope) {
      if (bindingsOf(definition).length === 0) throw new Error(`${definition.name} consumes nothing`);
      await system.until(async () => {
        const { rows } = await sql`select 1 from inbox where event_id = ${envelope.id}`.execute(
          database.db.withoutPlugins(),
        );
        return rows.length > 0;
      }, `${envelope.type} handled by ${definition.name}`);
    },
    async stop() {
      markStopped();
      await app.close();
    },
  };
}

/** A fetch answered by `inject()`: the typed client's requests never leave the process. */
async function injectFetch(app: ServiceApp, request: Request): Promise<Response> {
  const url = new URL(request.url);
  const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
  const response = await app.inject({
    method: request.method as 'GET',
    url: `${url.pathname}${url.search}`,
    headers: Object.fromEntries(request.headers.entries()),
    ...(body ? { payload: body } : {}),
  });
  const headers = new Headers();
  for (const [name, value] of Object.entries(response.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
  }
  const empty = response.statusCode === 204 || response.statusCode === 304;
  return new Response(empty ? null : response.rawPayload, { status: response.statusCode, headers });
}

function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** One service alone (its neighbours given in `neighbours`, started first and listening). */
export async function startTestService(
  definition: AnyServiceDefinition,
  options: Omit<TestServiceSpec, 'definition'> & {
    setup?: TestSetup;
    neighbours?: readonly AnyServiceDefinition[];
    publishers?: readonly string[];
    eventRetryDelaysMs?: readonly number[];
    prepare?: TestServicesOptions['prepare'];
  } = {},
): Promise<TestServices & TestService> {
  const { setup, neighbours = [], publishers, eventRetryDelaysMs, prepare, ...spec } = options;
  const system = await startTestServices({
    ...(setup ? { setup } : {}),
    services: [
      ...neighbours.map((neighbour) => ({ definition: neighbour, listen: true })),
      { definition, ...spec },
    ],
    ...(publishers ? { publishers } : {}),
    ...(eventRetryDelaysMs ? { eventRetryDelaysMs } : {}),
    ...(prepare ? { prepare } : {}),
  });
  const service = system.service(definition.name);
  return Object.assign(Object.create(null) as object, system, service, {
    close: system.close,
  }) as TestServices & TestService;
}
