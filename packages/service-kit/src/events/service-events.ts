import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  createConsumer,
  createOutbox,
  createRelay,
  type Consumer,
  type EventBatchHandler,
  type EventEnvelope,
  type EventHandler,
  type Relay,
  type Transport,
} from '@lessor/events';
import {
  assertEventData,
  changedFields,
  eventConsumers,
  validateEvent,
  type EventDataOf,
  type EventDefinition,
} from '@lessor/event-catalog';
import { currentRequest } from './request-context.ts';

const CONSUMER_START_WAIT_MS = 5000;

/**
 * The transaction an event is written in: any service's Kysely transaction, whatever its tables (the outbox
 * is in every schema), so it is typed without them.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type EventTransaction = Kysely<any>;

/** A subscription of a consuming service: the types (or AMQP patterns) and the handler of each event. */
export interface EventSubscription {
  types: string[];
  handler: EventHandler;
  /** Optional: the same effect for many events at once, used when deliveries arrive together. */
  handleBatch?: EventBatchHandler;
}

/** An event as the outbox takes it from a service. */
interface NewServiceEvent {
  type: string;
  subject: string;
  data: unknown;
  actor?: string | undefined;
}

export interface ServiceEventsOptions {
  /** RabbitMQ in distributed mode, the in-process bus in embedded mode (chosen by the runner). */
  transport: Transport;
  /** True when the service consumes events: its consumer is made now, its handlers subscribed before it starts. */
  consumes?: boolean;
  subscriptions?: EventSubscription[];
  prefetch?: number;
  retryDelaysMs?: number[];
  relayPollIntervalMs?: number;
}

/** The verbs of the change events every business object publishes (ARCHITECTURE.md §4 Data). */
export type ChangeAction = 'created' | 'updated' | 'deleted' | 'restored';

export interface ChangeEvent<Snapshot> {
  /** The entity segment of the type: `user` → `lessor.sso.user.updated.v1`. */
  entity: string;
  action: ChangeAction;
  entityId: string;
  before: Snapshot | null;
  after: Snapshot | null;
  /** Who made the change; defaults to the actor of the request in progress. */
  actor?: string;
}

/** A service's side of the event backbone: its outbox, its relay and, when it consumes, its consumer. */
export class ServiceEvents {
  readonly relay: Relay;
  readonly #outbox: ReturnType<typeof createOutbox>;
  readonly transport: Transport;
  readonly #db: EventTransaction;
  readonly #options: ServiceEventsOptions;
  #consumer: Consumer | undefined;
  #started = false;

  constructor(
    private readonly service: string,
    db: Kysely<unknown>,
    options: ServiceEventsOptions,
    private readonly logger: Logger,
    private readonly metrics: Registry,
  ) {
    this.#outbox = createOutbox({ service });
    this.transport = options.transport;
    this.#db = db as EventTransaction;
    this.#options = options;
    this.relay = createRelay({
      db: db as EventTransaction,
      transport: options.transport,
      logger: logger.child({ component: 'relay' }),
      metrics,
      ...(options.relayPollIntervalMs ? { pollIntervalMs: options.relayPollIntervalMs } : {}),
    });
    const subscriptions = options.subscriptions ?? [];
    if (options.consumes || subscriptions.length > 0) this.#consumer = this.#createConsumer();
    for (const subscription of subscriptions) this.subscribe(subscription);
  }

  /** The service's consumer, once it subscribed to something. */
  get consumer(): Consumer | undefined {
    return this.#consumer;
  }

  /**
   * Handles these events in the consumer's transaction with the inbox row (exactly once). Subscribe before the
   * service starts (`buildService` does, with `build`'s handlers), when it was made with `consumes`.
   */
  subscribe(subscription: EventSubscription): void {
    if (this.#started) throw new Error(`${this.service}: subscribe before the events start`);
    if (!this.#consumer) throw new Error(`${this.service} was not made to consume (options.consumes)`);
    this.#consumer.subscribe(
      subscription.types,
      subscription.handler,
      subscription.handleBatch ? { handleBatch: subscription.handleBatch } : {},
    );
  }

  #createConsumer(): Consumer {
    return createConsumer({
      service: this.service,
      db: this.#db,
      transport: this.#options.transport,
      validate: (event) => {
        const result = validateEvent(event);
        return result.ok ? null : result.error;
      },
      logger: this.logger.child({ component: 'consumer' }),
      metrics: this.metrics,
      ...(this.#options.prefetch ? { prefetch: this.#options.prefetch } : {}),
      ...(this.#options.retryDelaysMs ? { retryDelaysMs: this.#options.retryDelaysMs } : {}),
    });
  }

  /**
   * Writes an event to the outbox in the caller's transaction: it is published if and only if the change
   * commits. The data is typed by the catalogue definition and checked against its schema; the subject is the
   * field the definition names. Actor and trace come from the request in progress unless given.
   */
  async publish<Definition extends EventDefinition>(
    trx: EventTransaction,
    definition: Definition,
    event: { data: EventDataOf<Definition>; actor?: string | undefined },
  ): Promise<EventEnvelope<EventDataOf<Definition>>> {
    return (await this.#add(trx, this.#ofDefinition(definition, event))) as EventEnvelope<
      EventDataOf<Definition>
    >;
  }

  /** Like `publish` for several events of one definition, written in the order given with one statement. */
  async publishMany<Definition extends EventDefinition>(
    trx: EventTransaction,
    definition: Definition,
    events: readonly { data: EventDataOf<Definition>; actor?: string | undefined }[],
  ): Promise<EventEnvelope<EventDataOf<Definition>>[]> {
    const request = currentRequest();
    return (await this.#outbox.addMany(
      trx,
      events.map((event) => this.#stamped(this.#ofDefinition(definition, event), request)),
    )) as EventEnvelope<EventDataOf<Definition>>[];
  }

  async #add(trx: EventTransaction, event: NewServiceEvent): Promise<EventEnvelope> {
    return this.#outbox.add(trx, this.#stamped(event, currentRequest()));
  }

  /** The event checked against the catalogue, with its actor and trace. */
  #stamped(event: NewServiceEvent, request: ReturnType<typeof currentRequest>) {
    assertEventData(event.type, event.data);
    return {
      type: event.type,
      subject: event.subject,
      data: event.data,
      actor: event.actor ?? request?.actor ?? 'system',
      ...(request?.traceparent ? { traceparent: request.traceparent } : {}),
    };
  }

  /** An event of a definition, checked to be this service's own, its subject read from the data. */
  #ofDefinition(
    definition: EventDefinition,
    event: { data: unknown; actor?: string | undefined },
  ): NewServiceEvent {
    if (definition.publisher !== this.service)
      throw new Error(`${this.service} cannot publish ${definition.type}: ${definition.publisher} does`);
    const subject = (event.data as Record<string, unknown>)[definition.subject];
    return {
      type: definition.type,
      subject: typeof subject === 'string' ? subject : '',
      data: event.data,
      ...(event.actor === undefined ? {} : { actor: event.actor }),
    };
  }

  /** Publishes `lessor.<service>.<entity>.<action>.v1` with before, after and the names of the changed fields. */
  async publishChange<Snapshot extends object>(
    trx: EventTransaction,
    change: ChangeEvent<Snapshot>,
  ): Promise<EventEnvelope> {
    return this.#add(trx, {
      type: `lessor.${this.service}.${change.entity}.${change.action}.v1`,
      subject: change.entityId,
      actor: change.actor,
      data: {
        entityType: change.entity,
        entityId: change.entityId,
        before: change.before,
        after: change.after,
        changed: changedFields(
          change.before as Record<string, unknown> | null,
          change.after as Record<string, unknown> | null,
        ),
      },
    });
  }

  /**
   * Starts the relay and the consumer. A broker that is down must not keep the service from serving
   * (its writes wait in the outbox): the consumer is given a few seconds, then left to connect on its own.
   */
  async start(): Promise<void> {
    this.#started = true;
    await this.#bindDeclaredConsumers();
    this.relay.start();
    if (!this.#consumer) return;
    const started = this.#consumer.start().catch((error: unknown) => {
      this.logger.error({ err: error }, 'the event consumer could not start');
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<'waited'>((resolve) => {
      timer = setTimeout(() => resolve('waited'), CONSUMER_START_WAIT_MS);
    });
    if ((await Promise.race([started, waited])) === 'waited') {
      this.logger.warn('the event consumer is still connecting; the service starts without waiting');
    }
    clearTimeout(timer);
  }

  /**
   * A broker routes an event only to queues that exist when it is published. So before its first event goes
   * out, a publisher makes sure every consumer the catalogue declares has its queue and bindings: events
   * published before, say, audit's first start still reach audit. Declaring is idempotent; a broker that is
   * down now is tried again at the next start (the relay keeps events in the outbox meanwhile).
   */
  async #bindDeclaredConsumers(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const declared = (async () => {
      for (const consumer of eventConsumers) await this.transport.bind(consumer.service, consumer.types);
    })();
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error('the broker did not answer in time')),
        CONSUMER_START_WAIT_MS,
      );
    });
    try {
      await Promise.race([declared, timedOut]);
    } catch (error) {
      declared.catch(() => {});
      this.logger.warn({ err: error }, 'could not declare the consumers’ queues yet');
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    await this.#consumer?.stop();
    await this.relay.stop();
  }
}
