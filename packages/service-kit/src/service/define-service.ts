import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Static, TObject } from 'typebox';
import type { EventDataOf, EventDefinition } from '@lessor/event-catalog';
import type { EventBatchHandler, EventContext, EventEnvelope } from '@lessor/events';
import type { ServiceClient } from '@lessor/http-client';
import type { BaseConfig } from '../config.ts';
import type { Database, Migration } from '../db/index.ts';
import type { ServiceApp } from '../http/app.ts';
import type { TokenVerifier } from '../http/security.ts';
import type { ServiceEvents } from '../events/service-events.ts';

/**
 * The one description of a service (ADR 24): who it is, what it reads from the environment, what it keeps,
 * what it publishes and consumes, whom it calls, and how it is built from all of that already constructed.
 * Its `main.ts` runs it, `apps/stack`'s system list starts it, the OpenAPI and event-catalogue scripts read it,
 * and the test runner starts it on a fresh database — from this object alone.
 */
export interface ServiceDefinition<
  Config extends BaseConfig = BaseConfig,
  Tables = unknown,
  Consumes extends readonly EventDefinition[] = readonly EventDefinition[],
  Calls extends string = string,
  Options = object,
> {
  /** One lower-case word (letters, digits): schema, queue, log field, metrics label, permission prefix. */
  readonly name: string;
  /** Default port when run (`PORT` overrides it); `npm start` and the process runner use it too. */
  readonly port: number;
  readonly title: string;
  /** One sentence for the API docs, the README and the system page. */
  readonly description: string;
  readonly version: string;
  /** The environment the service reads, built with `serviceConfigSchema`. */
  readonly config: TObject;
  readonly migrations: readonly Migration[];
  /** The catalogue events it publishes (each definition's publisher must be this service). */
  readonly publishes: readonly EventDefinition[];
  /** What it consumes and why; its queue is bound to these, and the catalogue's docs say who reads what. */
  readonly consumes: ConsumedEvents<Consumes> | undefined;
  /** The services it calls over HTTP with its own service-client token: each gets a client in `build`. */
  readonly calls: readonly Calls[];
  /** The scopes its service-client token asks sso for (leasing: reading parties and assets). */
  readonly clientScopes: readonly string[];
  /** Settings of its event consumer, from its configuration (a constant unless the spec reads the config). */
  readonly eventSettings: (config: Config) => EventSettings;
  /** The permission `/metrics` needs; unset, the service's own `/metrics` is public (scraped per pod, ADR 13). */
  readonly metricsPermission: string | undefined;
  /**
   * True for a service that neither publishes nor consumes (the gateway): it gets no outbox relay, no consumer
   * and no event routes, and `build` no `events`.
   */
  readonly withoutEvents: boolean;
  /** Rewrites a request's URL before routing (the gateway answers `/api/gateway/…` with its own routes). */
  readonly rewriteUrl: ((url: string) => string) | undefined;
  /**
   * Set for the one service that talks to hosts outside Lessor (integration, ADR 26); every other process
   * refuses connections to any host that is not a Lessor service.
   */
  readonly egress: Egress | undefined;
  /** How it verifies bearer tokens when not by sso's JWKS (`SSO_JWKS_URL`); see {@link ServiceSpec.verifier}. */
  readonly verifier: TokenVerifierOf<Config, Tables> | undefined;
  /**
   * Builds the service's use cases and routes on an app that already exists, with everything it needs
   * constructed: typed database, events, clients. Returns its event handlers when it consumes something.
   */
  readonly build: (context: BuildContext<Config, Tables, Calls, Options>) => Promise<Built<Consumes> | void>;
  /** Phantom: the type of `Config`, for `ConfigOf<typeof service>`; undefined at run time. */
  readonly __types?: { config: Config; tables: Tables; options: Options };
}

/** Why a service may reach hosts outside Lessor (ADR 26). */
export interface Egress {
  /** One sentence: what outside systems it talks to and what for (the architecture docs show it). */
  readonly purpose: string;
}

/** What a consumer reads: catalogue definitions (typed handlers, one per type) and, rarely, topic patterns. */
export interface ConsumedEvents<Consumes extends readonly EventDefinition[]> {
  /** Why the service reads these events, for the event catalogue's docs. */
  readonly purpose: string;
  readonly events: Consumes;
  /**
   * RabbitMQ topic patterns (`*` one word, `#` any) read besides `events`, e.g. audit's
   * `lessor.*.*.created.v1`; their events reach the `any` handler, untyped.
   */
  readonly patterns?: readonly string[];
}

export interface EventSettings {
  /** Deliveries in flight at once (RabbitMQ prefetch); the kit's default when unset. */
  readonly prefetch?: number;
  /** Delays before each retry of a failed event, then it is parked; the kit's default when unset. */
  readonly retryDelaysMs?: readonly number[];
}

/** An event of a consumed definition, as its handler gets it: `data` typed by the catalogue. */
export type ConsumedEvent<Definition extends EventDefinition> = EventEnvelope<EventDataOf<Definition>> & {
  type: Definition['type'];
};

/** The handler of one consumed event type, in the consumer's transaction (applied exactly once). */
export type TypedEventHandler<Definition extends EventDefinition, Tables> = (
  event: ConsumedEvent<Definition>,
  context: EventContext<Tables>,
) => Promise<void>;

/** One handler per consumed type, keyed by the type: a type error when one is missing or reads a field not there. */
export type EventHandlers<Consumes extends readonly EventDefinition[], Tables = unknown> = {
  [Definition in Consumes[number] as Definition['type']]: TypedEventHandler<Definition, Tables>;
};

/** Any consumed event (the union of the consumed definitions, discriminated by `type`). */
export type AnyConsumedEvent<Consumes extends readonly EventDefinition[]> = {
  [Index in keyof Consumes]: ConsumedEvent<Consumes[Index]>;
}[number];

/** What `build` gives back besides its typed handlers. */
export interface BuiltExtras {
  /** The handler of every event a pattern brings (audit). */
  any?: (event: EventEnvelope, context: EventContext<any>) => Promise<void>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** The same effect for many fresh events at once, when deliveries arrive together (finance's postings). */
  handleBatch?: EventBatchHandler;
}

/** What `build` gives back to the kit, as the kit reads it. */
export interface Built<Consumes extends readonly EventDefinition[]> extends BuiltExtras {
  /** The handler of each consumed type. Required when the service consumes definitions. */
  handlers?: Partial<EventHandlers<Consumes, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** Everything `build` gets, constructed by the kit before it runs: no holder, no `!`, no cast. */
export interface ServiceContext<Config extends BaseConfig, Tables, Calls extends string, Options> {
  /** The app with the kit's parts in place (security, docs, health, metrics, idempotency); add routes to it. */
  readonly app: ServiceApp;
  readonly config: Readonly<Config>;
  /** The service's own schema, typed by its tables. */
  readonly db: Kysely<Tables>;
  readonly database: Database<Tables>;
  /** Its outbox (typed `publish`, `publishChange`), relay and consumer. */
  readonly events: ServiceEvents;
  /** A client per service in `calls`: deadlines, retries, breaker, trace and its service-client token. */
  readonly clients: Readonly<Record<Calls, ServiceClient>>;
  readonly log: Logger;
  /** What a runner or a test passes beyond the environment (a business date, a first-admin callback…). */
  readonly options: Partial<Options>;
}

/** What `build` gets from the kit: its context, `events` left out for a service defined `withoutEvents`. */
export type BuildContext<Config extends BaseConfig, Tables, Calls extends string, Options> = Omit<
  ServiceContext<Config, Tables, Calls, Options>,
  'events'
> & { readonly events?: ServiceEvents };

/** The context `build` is written against: without `events` when the service has none. */
export type ContextOf<
  Config extends BaseConfig,
  Tables,
  Calls extends string,
  Options,
  WithoutEvents extends boolean,
> = WithoutEvents extends true
  ? Omit<ServiceContext<Config, Tables, Calls, Options>, 'events'>
  : ServiceContext<Config, Tables, Calls, Options>;

/** The properties of `defineService`; see {@link ServiceDefinition}. */
export interface ServiceSpec<
  ConfigSchema extends TObject,
  Tables,
  Consumes extends readonly EventDefinition[],
  Calls extends string,
  Options,
  WithoutEvents extends boolean = false,
> {
  name: string;
  port: number;
  title: string;
  description: string;
  version: string;
  config: ConfigSchema;
  /** `tablesOf<PartiesDatabase>()`: types the database `build` gets. */
  tables: TablesOf<Tables>;
  migrations: readonly Migration[];
  publishes?: readonly EventDefinition[];
  consumes?: ConsumedEvents<Consumes>;
  calls?: readonly Calls[];
  clientScopes?: readonly string[];
  /**
   * Settings of its event consumer; a function of the configuration when the environment tunes them
   * (finance: `(config) => ({ prefetch: config.FINANCE_EVENT_PREFETCH })`).
   */
  eventSettings?: EventSettings | ((config: Static<ConfigSchema> & BaseConfig) => EventSettings);
  metricsPermission?: string;
  /**
   * `true` for a service that neither publishes nor consumes (the gateway): no outbox relay polling an outbox
   * that stays empty, no broker connection, no event routes; `build` then gets no `events`.
   */
  withoutEvents?: WithoutEvents;
  /** Rewrites a request's URL before routing (Fastify's `rewriteUrl`); keep it in a module light to load. */
  rewriteUrl?: (url: string) => string;
  /**
   * The service talks to hosts outside Lessor, and why. Only integration sets it (ADR 26): without it the kit
   * makes the process refuse, before connecting, any request to a host that is not a Lessor service.
   */
  egress?: Egress;
  /**
   * How its routes verify bearer tokens, when not by sso's JWKS from `SSO_JWKS_URL` (the default): sso checks
   * tokens against its own key table, with no HTTP round trip to itself. Made before `build`; read per request.
   */
  verifier?: TokenVerifierOf<Static<ConfigSchema> & BaseConfig, Tables>;
  /** Declares the type of `options` (test and runner knobs): `optionsOf<{ today: () => string }>()`. */
  options?: OptionsOf<Options>;
  build: (
    context: ContextOf<Static<ConfigSchema> & BaseConfig, Tables, Calls, Options, WithoutEvents>,
  ) => Promise<BuildResult<Consumes, Tables>>;
}

/**
 * What `build` gives back: nothing for a service that consumes nothing; a service that consumes definitions
 * returns a handler for each — missing one is a type error here (and a start-up error in `buildService`) —
 * or one `any` handler for all of them, when it treats every event alike (audit records each as it came).
 */
export type BuildResult<Consumes extends readonly EventDefinition[], Tables> = [Consumes[number]] extends [
  never,
]
  ? BuiltExtras | void
  : // The handlers' own type only (not intersected with Built's): a handler's parameters are typed by it.
    | (BuiltExtras & { handlers: EventHandlers<Consumes, Tables> })
    | (BuiltExtras & { any: NonNullable<BuiltExtras['any']>; handlers?: undefined });

/** Makes a service's own token verifier from its typed database and configuration (sso's key table). */
export type TokenVerifierOf<Config, Tables> = (source: {
  readonly db: Kysely<Tables>;
  readonly config: Readonly<Config>;
}) => TokenVerifier;

declare const TABLES: unique symbol;
declare const OPTIONS: unique symbol;
/** A type carried by a value: the tables of a service's database. */
export interface TablesOf<Tables> {
  readonly [TABLES]?: Tables;
}
/** A type carried by a value: the options a runner or a test may pass to `build`. */
export interface OptionsOf<Options> {
  readonly [OPTIONS]?: Options;
}

/** Marks the type of a service's tables (`tables: tablesOf<PartiesDatabase>()`). */
export function tablesOf<Tables>(): TablesOf<Tables> {
  return {};
}

/** Marks the type of a service's build options (`options: optionsOf<{ today: () => string }>()`). */
export function optionsOf<Options>(): OptionsOf<Options> {
  return {};
}

// One word: it names the service's PostgreSQL schema, where a dash would need quoting everywhere.
const SERVICE_NAME = /^[a-z][a-z0-9]*$/;

/** Thrown when a definition contradicts itself (a name, a port, an event it may not publish). */
export class ServiceDefinitionError extends Error {
  constructor(service: string, message: string) {
    super(`service ${service}: ${message}`);
    this.name = 'ServiceDefinitionError';
  }
}

/**
 * Defines a service. Checks what can be checked without building it: the name, the port, that it publishes
 * only its own events and consumes no event of its own. Returns the definition frozen.
 */
export function defineService<
  ConfigSchema extends TObject,
  Tables,
  const Consumes extends readonly EventDefinition[] = readonly [],
  const Calls extends string = never,
  Options = object,
  const WithoutEvents extends boolean = false,
>(
  spec: ServiceSpec<ConfigSchema, Tables, Consumes, Calls, Options, WithoutEvents>,
): ServiceDefinition<Static<ConfigSchema> & BaseConfig, Tables, Consumes, Calls, Options> {
  if (!SERVICE_NAME.test(spec.name))
    throw new ServiceDefinitionError(spec.name, 'is not a service name (one lower-case word)');
  if (!Number.isInteger(spec.port) || spec.port < 1 || spec.port > 65535)
    throw new ServiceDefinitionError(spec.name, `port ${spec.port} is not a TCP port`);
  for (const event of spec.publishes ?? []) {
    if (event.publisher !== spec.name)
      throw new ServiceDefinitionError(spec.name, `cannot publish ${event.type}: ${event.publisher} does`);
  }
  for (const event of spec.consumes?.events ?? []) {
    if (event.publisher === spec.name)
      throw new ServiceDefinitionError(spec.name, `consumes its own event ${event.type}`);
  }
  for (const called of spec.calls ?? []) {
    if (!SERVICE_NAME.test(called) || called === spec.name)
      throw new ServiceDefinitionError(spec.name, `cannot call "${called}"`);
  }
  if (spec.egress && spec.egress.purpose.trim() === '')
    throw new ServiceDefinitionError(spec.name, 'has egress without a purpose');
  if (spec.withoutEvents && ((spec.publishes ?? []).length > 0 || spec.consumes))
    throw new ServiceDefinitionError(spec.name, 'is defined without events but publishes or consumes some');
  return Object.freeze({
    name: spec.name,
    port: spec.port,
    title: spec.title,
    description: spec.description,
    version: spec.version,
    config: spec.config,
    migrations: spec.migrations,
    publishes: Object.freeze([...(spec.publishes ?? [])]),
    consumes: spec.consumes,
    calls: Object.freeze([...(spec.calls ?? [])]),
    clientScopes: Object.freeze([...(spec.clientScopes ?? [])]),
    eventSettings: eventSettingsFunction(spec.eventSettings),
    metricsPermission: spec.metricsPermission,
    withoutEvents: spec.withoutEvents === true,
    rewriteUrl: spec.rewriteUrl,
    egress: spec.egress ? Object.freeze({ ...spec.egress }) : undefined,
    verifier: spec.verifier,
    build: spec.build as ServiceDefinition<
      Static<ConfigSchema> & BaseConfig,
      Tables,
      Consumes,
      Calls,
      Options
    >['build'],
  });
}

/** The spec's event settings as a function of the configuration, whichever way the spec gave them. */
function eventSettingsFunction<Config>(
  settings: EventSettings | ((config: Config) => EventSettings) | undefined,
): (config: Config) => EventSettings {
  if (typeof settings === 'function') return settings;
  const constant = Object.freeze({ ...settings });
  return () => constant;
}

/** The configuration type of a defined service: `ConfigOf<typeof partiesService>`. */
export type ConfigOf<Service> =
  Service extends ServiceDefinition<infer Config, never, never, never, never> ? Config : never;

/** Any defined service, whatever its types (the system list, the scripts, the test runner). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyServiceDefinition = ServiceDefinition<any, any, any, any, any>;

/** The bindings of a service's queue: its consumed types and patterns (empty when it consumes nothing). */
export function bindingsOf(service: AnyServiceDefinition): string[] {
  if (!service.consumes) return [];
  return [
    ...new Set([
      ...service.consumes.events.map((event: EventDefinition) => event.type),
      ...(service.consumes.patterns ?? []),
    ]),
  ];
}
