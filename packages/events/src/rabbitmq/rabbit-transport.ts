import { Connection, ConsumerStatus } from 'rabbitmq-client';
import type { AsyncMessage, Consumer, Publisher, ReturnedMessage } from 'rabbitmq-client';
import type { EventEnvelope } from '../envelope.ts';
import type { ConsumeOptions, Delivery, Subscription, Transport } from '../transport.ts';
import { ConfirmWindow } from './confirm-window.ts';
import { FrameCoalescer } from './frame-coalescer.ts';
import { attemptOf, eventBody, eventFromMessage, eventPublishEnvelope, retryCopy } from './message.ts';
import {
  DEFAULT_EXCHANGE,
  assertConsumerTopology,
  consumerQueueDeclaration,
  consumerQueueName,
  exchangeDeclaration,
  retryQueueDeclaration,
  retryQueueName,
} from './topology.ts';

/** The logging the transport needs; a pino logger fits. */
export interface RabbitTransportLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface RabbitTransportOptions {
  /** AMQP URL, e.g. amqp://user:pass@rabbitmq:5672 (AMQP_URL). */
  url: string;
  /** The topic exchange events travel through. Default `lessor.events`. */
  exchange?: string;
  /** How many unconfirmed messages a publish keeps in flight before it waits for confirms. Default 500. */
  publisherConfirmsInFlight?: number;
  /** Default: warnings and errors to the console, nothing else. Pass the service's pino logger. */
  logger?: RabbitTransportLogger;
  /** Shown in the management UI (suffixed `/publish` and `/consume`), e.g. the service name. */
  connectionName?: string;
  /**
   * Keeps several Lessor installations (or test runs) apart on one broker: the exchange becomes
   * `lessor.<namespace>.events` and each queue `lessor.<namespace>.<consumer>`. Unset in production.
   */
  namespace?: string;
}

/** The RabbitMQ transport: a Transport plus what health checks need. */
export interface RabbitTransport extends Transport {
  /** Resolves once connected and the exchange is declared; rejects after ~20 s without a broker. */
  ready(): Promise<void>;
  /** True while the connections are open and not blocked by the broker's flow control. */
  isConnected(): boolean;
}

/** A Delivery with the AMQP details, for diagnostics and tests; the consumer runtime needs only Delivery. */
export interface RabbitDelivery extends Delivery {
  /** The message's headers as received (`x-death`, `x-lessor-attempt`, `x-lessor-last-error`, `traceparent`). */
  readonly headers: Readonly<Record<string, unknown>>;
  readonly routingKey: string;
}

/**
 * The RabbitMQ transport (distributed mode). Topology, retries and reconnects are described in
 * src/rabbitmq/README.md. Two connections: RabbitMQ's flow control blocks a connection that publishes, and a
 * consumer on that connection could then not ack — so publishing (events and retry copies) and consuming
 * never share one.
 */
export function createRabbitTransport(options: RabbitTransportOptions): RabbitTransport {
  return new RabbitMqTransport(options);
}

const DEFAULT_CONFIRMS_IN_FLIGHT = 500;

// Messages a publish sends in one go, in one socket write, before it lets the event loop run (the consumer's
// deliveries, acks and database replies of the same process wait meanwhile). 500 at once kept the loop busy
// for tens of milliseconds (bench/RESULTS.md, "finance").
const PUBLISH_CHUNK = 50;

// How long closing a connection may take before its socket is destroyed (see closeConnection).
const CONNECTION_CLOSE_GRACE_MS = 5000;

// How long an unsettled delivery waits before it is requeued (see RabbitSubscription.deliver).
const UNSETTLED_REQUEUE_PAUSE_MS = 1000;

// A mandatory message that no queue takes comes back as basic.return right before its confirm, but
// rabbitmq-client emits the return on a later setImmediate than it resolves the confirm: waiting two turns of
// the event loop after the confirms lets every return of the batch arrive before the batch is judged.
async function afterPendingReturns(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  await new Promise((resolve) => setImmediate(resolve));
}

/** Fans one publisher's returned messages out to whoever is waiting for the confirms of those messages. */
class ReturnWatch {
  private readonly watchers = new Set<(message: ReturnedMessage) => void>();

  constructor(publisher: Publisher) {
    publisher.on('basic.return', (message) => {
      for (const watcher of this.watchers) watcher(message);
    });
  }

  watch(watcher: (message: ReturnedMessage) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}

const consoleLogger: RabbitTransportLogger = {
  debug: () => {},
  info: () => {},
  warn: (obj, msg) => console.warn(JSON.stringify({ level: 'warn', msg, ...obj })),
  error: (obj, msg) => console.error(JSON.stringify({ level: 'error', msg, ...obj })),
};

class RabbitMqTransport implements RabbitTransport {
  private readonly exchange: string;
  private readonly logger: RabbitTransportLogger;
  private readonly window: ConfirmWindow;
  private readonly publishConnection: Connection;
  private consumeConnection: Connection | undefined;
  private readonly publisher: Publisher;
  private readonly publishFrames: FrameCoalescer;
  private consumeFrames: FrameCoalescer | undefined;
  private readonly eventReturns: ReturnWatch;
  private readonly pendingPublishes = new Set<Promise<void>>();
  private readonly subscriptions = new Set<RabbitSubscription>();
  private closing: Promise<void> | undefined;

  constructor(private readonly options: RabbitTransportOptions) {
    if (options.namespace !== undefined && !/^[a-z0-9][a-z0-9-]*$/.test(options.namespace)) {
      throw new Error(
        `namespace ${JSON.stringify(options.namespace)} must be lowercase letters, digits and -`,
      );
    }
    this.exchange =
      options.exchange ?? (options.namespace ? `lessor.${options.namespace}.events` : DEFAULT_EXCHANGE);
    this.logger = options.logger ?? consoleLogger;
    this.window = new ConfirmWindow(options.publisherConfirmsInFlight ?? DEFAULT_CONFIRMS_IN_FLIGHT);
    this.publishConnection = this.openConnection('publish');
    // maxAttempts 1: a publish that fails is the relay's to retry (the whole batch, later); retrying here
    // would hide a dead broker from the outbox backlog metric.
    this.publisher = this.publishConnection.createPublisher({
      confirm: true,
      maxAttempts: 1,
      exchanges: [exchangeDeclaration(this.exchange)],
    });
    this.eventReturns = new ReturnWatch(this.publisher);
    this.publishFrames = new FrameCoalescer(this.publishConnection);
  }

  ready(): Promise<void> {
    const connections = [this.publishConnection, this.consumeConnection].filter((c) => c !== undefined);
    // exchangeDeclare waits for the connection (acquireTimeout, 20 s) and proves the broker answers.
    return Promise.all(connections.map((c) => c.exchangeDeclare(exchangeDeclaration(this.exchange)))).then(
      () => {},
    );
  }

  isConnected(): boolean {
    // Frames held for one turn of the event loop would read as a connection blocked by the broker.
    this.publishFrames.flush();
    this.consumeFrames?.flush();
    return this.publishConnection.ready && (this.consumeConnection?.ready ?? true);
  }

  async publish(events: readonly EventEnvelope[]): Promise<void> {
    this.assertOpen();
    if (events.length === 0) return;
    const batch = this.publishBatch(events);
    this.pendingPublishes.add(batch);
    try {
      await batch;
    } finally {
      this.pendingPublishes.delete(batch);
    }
  }

  private async publishBatch(events: readonly EventEnvelope[]): Promise<void> {
    const ids = new Set(events.map((event) => event.id));
    const outcome: { failure?: unknown; returned?: ReturnedMessage; confirmed: number } = { confirmed: 0 };
    const unwatch = this.eventReturns.watch((message) => {
      if (!outcome.returned && message.messageId !== undefined && ids.has(message.messageId))
        outcome.returned = message;
    });
    const confirms: Promise<void>[] = [];
    try {
      for (const [index, event] of events.entries()) {
        if (index > 0 && index % PUBLISH_CHUNK === 0) await new Promise((resolve) => setImmediate(resolve));
        const wait = this.window.acquire();
        if (wait) await wait;
        this.publishFrames.hold();
        // The batch fails as a whole, so once one message failed the rest need not be sent.
        if (outcome.failure !== undefined || outcome.returned) {
          this.window.release();
          break;
        }
        const confirm = this.publisher
          .send(eventPublishEnvelope(this.exchange, event), eventBody(event))
          .then(
            () => {
              outcome.confirmed++;
              this.window.release();
            },
            (error: unknown) => {
              outcome.failure ??= error;
              this.window.release();
            },
          );
        confirms.push(confirm);
      }
      await Promise.all(confirms);
      await afterPendingReturns();
    } finally {
      unwatch();
    }
    if (outcome.returned) {
      const { routingKey, messageId, replyText } = outcome.returned;
      throw new Error(
        `publish to ${this.exchange} failed: event ${messageId} (${routingKey}) was returned (${replyText}): ` +
          'no queue is bound to its type',
      );
    }
    if (outcome.failure !== undefined) {
      const cause = outcome.failure instanceof Error ? outcome.failure.message : String(outcome.failure);
      throw new Error(
        `publish to ${this.exchange} failed: ${events.length - outcome.confirmed} of ${events.length} events ` +
          `not confirmed (${cause})`,
        { cause: outcome.failure },
      );
    }
  }

  async consume(
    options: ConsumeOptions,
    handle: (delivery: Delivery) => Promise<void>,
  ): Promise<Subscription> {
    this.assertOpen();
    const { types, prefetch, retryDelaysMs } = options;
    const consumer = this.namespaced(options.consumer);
    assertConsumerTopology(consumer, types, retryDelaysMs);
    if (!Number.isInteger(prefetch) || prefetch < 1)
      throw new Error(`consumer ${consumer}: prefetch must be a positive integer`);
    this.consumeConnection ??= this.openConnection('consume');
    this.consumeFrames ??= new FrameCoalescer(this.consumeConnection);

    const retryQueues = [...new Set(retryDelaysMs)].map((delay) => retryQueueDeclaration(consumer, delay));
    // Declared before consuming so the first retry never races the declaration; the retry publisher declares
    // them again on each new channel, i.e. after every reconnect.
    for (const declaration of retryQueues) await this.publishConnection.queueDeclare(declaration);
    const retryPublisher = this.publishConnection.createPublisher({
      confirm: true,
      maxAttempts: 1,
      queues: retryQueues,
    });
    const subscription = new RabbitSubscription(
      consumer,
      retryPublisher,
      new ReturnWatch(retryPublisher),
      [...retryDelaysMs],
      this.consumeFrames,
    );
    this.subscriptions.add(subscription);

    const queue = consumerQueueName(consumer);
    // rabbitmq-client's Consumer re-runs all of this (queue, exchange, bindings, qos, basic.consume) on a new
    // channel after a lost connection, with backoff: the subscription survives reconnects by itself.
    const amqpConsumer = this.consumeConnection.createConsumer(
      {
        queue,
        queueOptions: consumerQueueDeclaration(consumer),
        exchanges: [exchangeDeclaration(this.exchange)],
        queueBindings: types.map((routingKey) => ({ exchange: this.exchange, queue, routingKey })),
        qos: { prefetchCount: prefetch },
        concurrency: prefetch,
        requeue: true,
      },
      (message) => subscription.deliver(message, handle, this.logger),
    );
    subscription.attach(amqpConsumer);
    // Listeners go on at once: an 'error' event without one would throw out of the client.
    amqpConsumer.on('error', (error: unknown) =>
      // Connection loss, a failed ack (the message is redelivered), or a cancel because the queue was deleted.
      this.logger.warn({ consumer, queue, err: error }, 'rabbitmq consumer error; it recovers by itself'),
    );
    amqpConsumer.on('ready', () => this.logger.info({ consumer, queue }, 'rabbitmq consumer (re)subscribed'));

    try {
      await new Promise<void>((resolve, reject) => {
        const onReady = () => {
          amqpConsumer.off('error', onError);
          resolve();
        };
        const onError = (error: unknown) => {
          amqpConsumer.off('ready', onReady);
          reject(error instanceof Error ? error : new Error(String(error)));
        };
        amqpConsumer.once('ready', onReady);
        amqpConsumer.once('error', onError);
        // close() while the first setup is still waiting for the broker: 'ready' would never come.
        void subscription.closeRequested.then(() => onError(new Error('the transport was closed')));
      });
    } catch (error) {
      // The first setup failing (broker unreachable for acquireTimeout, queue declared differently, access
      // refused) is a start-up error the caller must see; later failures are retried by the Consumer.
      await subscription.close();
      this.subscriptions.delete(subscription);
      throw new Error(`consumer ${consumer} could not start: ${(error as Error).message}`, { cause: error });
    }
    this.logger.info({ consumer, queue, types, prefetch, retryDelaysMs }, 'rabbitmq consumer started');
    return {
      close: async () => {
        await subscription.close();
        this.subscriptions.delete(subscription);
      },
    };
  }

  async bind(consumer: string, types: readonly string[]): Promise<void> {
    this.assertOpen();
    const name = this.namespaced(consumer);
    const queue = consumerQueueName(name);
    await this.publishConnection.exchangeDeclare(exchangeDeclaration(this.exchange));
    await this.publishConnection.queueDeclare(consumerQueueDeclaration(name));
    for (const routingKey of types)
      await this.publishConnection.queueBind({ exchange: this.exchange, queue, routingKey });
  }

  async queueDepth(consumer: string): Promise<number> {
    this.assertOpen();
    // Passive: reads the queue without declaring it (the ready count; unacked deliveries are not in it).
    const { messageCount } = await this.publishConnection.queueDeclare({
      queue: consumerQueueName(this.namespaced(consumer)),
      passive: true,
    });
    return messageCount;
  }

  /** A consumer's name in the broker: prefixed by the namespace (tests share one broker). */
  private namespaced(consumer: string): string {
    return this.options.namespace ? `${this.options.namespace}.${consumer}` : consumer;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    const connections = [this.consumeConnection, this.publishConnection].filter((c) => c !== undefined);
    this.publishFrames.flush();
    this.consumeFrames?.flush();
    // A connection that is down has no ack or confirm left to lose, while consumers and publishes waiting for
    // it would each sit out acquireTimeout (20 s): close it at once so they fail fast.
    const closedEarly = new Map(
      connections.filter((c) => !c.ready).map((c) => [c, this.closeConnection(c)] as const),
    );
    // Consumers first (their handlers may still publish retry copies), then the publishes waiting for confirms,
    // then the channels, and only then the connections: closing a connection with acks in flight loses them.
    await Promise.allSettled([...this.subscriptions].map((subscription) => subscription.close()));
    await Promise.allSettled([...this.pendingPublishes]);
    await this.publisher.close().catch(() => {}); // fails only when its channel never opened
    await Promise.allSettled(connections.map((c) => closedEarly.get(c) ?? this.closeConnection(c)));
  }

  // rabbitmq-client 5.0.8: close() called after the socket died but before its 'close' event was handled never
  // resolves (the channel count is checked after the state already moved past CLOSING). A shutdown must not
  // hang on that, so after a grace period the socket is destroyed and the close counted as done.
  private async closeConnection(connection: Connection): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), CONNECTION_CLOSE_GRACE_MS);
    });
    try {
      if ((await Promise.race([connection.close().then(() => 'closed' as const), gaveUp])) === 'timeout') {
        this.logger.warn(
          { graceMs: CONNECTION_CLOSE_GRACE_MS },
          'rabbitmq connection did not close; destroyed',
        );
        connection.unsafeDestroy();
      }
    } finally {
      clearTimeout(timer);
    }
  }

  private assertOpen(): void {
    if (this.closing) throw new Error('the RabbitMQ transport is closed');
  }

  private openConnection(role: 'publish' | 'consume'): Connection {
    const connection = new Connection({
      url: this.options.url,
      connectionName: `${this.options.connectionName ?? 'lessor'}/${role}`,
    });
    // Without a listener an 'error' event would throw; the client reconnects with backoff by itself.
    connection.on('error', (error: unknown) =>
      this.logger.warn({ role, err: error }, 'rabbitmq connection error; reconnecting'),
    );
    connection.on('connection', () => {
      this.logger.info({ role }, 'rabbitmq connected');
      // Re-declare the exchange on every (re)connect: the broker may have come back without it.
      connection
        .exchangeDeclare(exchangeDeclaration(this.exchange))
        .catch((error: unknown) =>
          this.logger.warn({ role, err: error }, 'rabbitmq exchange declaration failed'),
        );
    });
    connection.on('connection.blocked', (reason: string) =>
      this.logger.warn({ role, reason }, 'rabbitmq blocked this connection (resource alarm)'),
    );
    connection.on('connection.unblocked', () =>
      this.logger.info({ role }, 'rabbitmq unblocked this connection'),
    );
    return connection;
  }
}

/** One consume(): the AMQP consumer, the publisher of its retry copies, and the settling of its deliveries. */
class RabbitSubscription {
  private amqpConsumer: Consumer | undefined;
  private closing: Promise<void> | undefined;
  private requestClose!: () => void;
  /** Resolves as soon as close() is called. */
  readonly closeRequested = new Promise<void>((resolve) => (this.requestClose = resolve));

  constructor(
    private readonly consumer: string,
    private readonly retryPublisher: Publisher,
    private readonly retryReturns: ReturnWatch,
    private readonly retryDelaysMs: readonly number[],
    private readonly acks: FrameCoalescer,
  ) {}

  attach(amqpConsumer: Consumer): void {
    this.amqpConsumer = amqpConsumer;
  }

  /**
   * Runs the handler and tells the Consumer how to settle: ACK once the delivery was acked or retried;
   * REQUEUE when the handler threw or returned without settling it. The consumer runtime gets there when
   * parking or acking failed (its database is down), a handler that just returns has a bug; either way the
   * message goes back to the queue — after a pause, so an outage does not become a tight redelivery loop —
   * rather than being lost or holding a prefetch slot until the next reconnect.
   */
  async deliver(
    message: AsyncMessage,
    handle: (delivery: Delivery) => Promise<void>,
    logger: RabbitTransportLogger,
  ): Promise<ConsumerStatus> {
    const delivery = new MessageDelivery(message, this);
    let failure: unknown;
    try {
      await handle(delivery);
    } catch (error) {
      failure = error;
    }
    const state = await delivery.settledState();
    const context = {
      consumer: this.consumer,
      eventId: message.messageId,
      type: message.type,
      attempt: delivery.attempt,
    };
    if (state !== 'open') {
      if (failure !== undefined)
        logger.warn({ ...context, err: failure }, 'event handler threw after settling');
      // The Consumer writes the ack as soon as this returns; the acks of one batch (settled in the same turn of
      // the event loop, right after its commit) leave together.
      this.acks.hold();
      return ConsumerStatus.ACK;
    }
    if (failure === undefined) {
      logger.error(context, 'event handler returned without settling the delivery (a bug); requeued');
    } else {
      logger.warn(
        { ...context, err: failure },
        'event handler failed without settling the delivery; requeued',
      );
    }
    await new Promise((resolve) => setTimeout(resolve, UNSETTLED_REQUEUE_PAUSE_MS));
    return ConsumerStatus.REQUEUE;
  }

  /** The delay before the retry of `attempt`, or undefined when no retry is left. */
  delayAfter(attempt: number): number | undefined {
    return this.retryDelaysMs[attempt - 1];
  }

  /** Publishes the retry copy and resolves once the broker confirmed it into the retry queue. */
  async sendRetry(message: AsyncMessage, attempt: number, delayMs: number, reason: string): Promise<void> {
    const queue = retryQueueName(this.consumer, delayMs);
    const { envelope, body } = retryCopy(message, queue, attempt, reason);
    let returned = false;
    const unwatch = this.retryReturns.watch((returnedMessage) => {
      if (
        returnedMessage.routingKey === queue &&
        returnedMessage.messageId === message.messageId &&
        attemptOf(returnedMessage) === attempt + 1
      ) {
        returned = true;
      }
    });
    try {
      await this.retryPublisher.send(envelope, body);
      await afterPendingReturns();
    } finally {
      unwatch();
    }
    if (returned) throw new Error(`retry queue ${queue} does not exist: the retry copy was returned`);
  }

  close(): Promise<void> {
    this.requestClose();
    this.closing ??= (async () => {
      // Consumer.close cancels, lets running handlers finish (they may still send retries), then closes its
      // channel; prefetched messages not yet handled go back to the queue.
      await this.amqpConsumer?.close();
      await this.retryPublisher.close().catch(() => {}); // fails only when its channel never opened
    })();
    return this.closing;
  }
}

type SettleState = 'open' | 'settling' | 'acked' | 'retried';

class MessageDelivery implements RabbitDelivery {
  readonly event: EventEnvelope;
  readonly attempt: number;
  readonly redelivered: boolean;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly routingKey: string;
  private state: SettleState = 'open';
  private settling: Promise<void> | undefined;

  constructor(
    private readonly message: AsyncMessage,
    private readonly subscription: RabbitSubscription,
  ) {
    this.event = eventFromMessage(message);
    this.attempt = attemptOf(message);
    this.redelivered = message.redelivered;
    this.headers = message.headers ?? {};
    this.routingKey = message.routingKey;
  }

  // The basic.ack itself is sent by rabbitmq-client's Consumer as soon as the handler returns: an AMQP ack has
  // no reply, so resolving here promises the same thing an immediate ack would.
  async ack(): Promise<void> {
    this.assertOpen('ack');
    this.state = 'acked';
  }

  async retry(reason: string): Promise<boolean> {
    this.assertOpen('retry');
    const delay = this.subscription.delayAfter(this.attempt);
    if (delay === undefined) return false;
    this.state = 'settling';
    // The copy is confirmed before the original is acked: a crash in between duplicates, never loses.
    this.settling = this.subscription.sendRetry(this.message, this.attempt, delay, reason).then(
      () => {
        this.state = 'retried';
      },
      (error: unknown) => {
        this.state = 'open';
        throw error;
      },
    );
    await this.settling;
    return true;
  }

  /** The final state, after any retry still being published has finished. */
  async settledState(): Promise<SettleState> {
    if (this.settling) await this.settling.catch(() => {});
    return this.state;
  }

  private assertOpen(action: string): void {
    if (this.state !== 'open')
      throw new Error(`cannot ${action} event ${this.event.id}: delivery already ${this.state}`);
  }
}
