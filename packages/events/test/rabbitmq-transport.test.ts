import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventEnvelope } from '../src/envelope.ts';
import type { Delivery } from '../src/transport.ts';
import {
  INVALID_EVENT_TYPE,
  LAST_ERROR_HEADER,
  consumerQueueName,
  createRabbitTransport,
  retryQueueName,
} from '../src/rabbitmq/index.ts';
import type { InvalidEventData, RabbitDelivery, RabbitTransport } from '../src/rabbitmq/index.ts';
import { testAmqpUrl } from '../src/rabbitmq/testing.ts';
import { RabbitTestTopology, memoryLogger, testEvent, waitUntil } from './helpers/rabbitmq-fixtures.ts';

const url = testAmqpUrl();

const CONTRACT_ACTIVATED = 'lessor.leasing.contract.activated.v1';
const INVOICE_PAID = 'lessor.billing.invoice.paid.v1';
const USER_CREATED = 'lessor.sso.user.created.v1';
const SESSION_ENDED = 'lessor.sso.session.ended.v1';

describe.runIf(url)('RabbitMQ transport', () => {
  let topology: RabbitTestTopology;
  let transport: RabbitTransport;
  let logger: ReturnType<typeof memoryLogger>;

  beforeEach(async () => {
    topology = new RabbitTestTopology(url as string);
    logger = memoryLogger();
    transport = createRabbitTransport({
      url: url as string,
      exchange: topology.exchange,
      logger,
      connectionName: `events-test-${topology.id}`,
    });
    await transport.ready();
  });

  afterEach(async () => {
    await transport.close();
    await topology.cleanup();
  });

  /** Consumes into an array, acking each delivery. */
  async function collect(consumer: string, types: readonly string[], prefetch = 10) {
    const received: Delivery[] = [];
    const subscription = await transport.consume(
      { consumer, types, prefetch, retryDelaysMs: [] },
      async (delivery) => {
        received.push(delivery);
        await delivery.ack();
      },
    );
    return { received, subscription };
  }

  it('should deliver the published envelope with its properties when a consumer is bound to its type', async () => {
    const consumer = topology.consumer('leasing');
    const { received } = await collect(consumer, [CONTRACT_ACTIVATED]);
    const event = testEvent(CONTRACT_ACTIVATED, {
      contractId: 'c-1',
      amount: { amount: '1250.00', currency: 'EUR' },
    });

    await transport.publish([event]);

    await waitUntil(() => received.length === 1, 'the event arrives');
    const delivery = received[0] as RabbitDelivery;
    expect(delivery.event).toEqual(event);
    expect(delivery.attempt).toBe(1);
    expect(delivery.redelivered).toBe(false);
    expect(delivery.routingKey).toBe(CONTRACT_ACTIVATED);
    expect(delivery.headers.traceparent).toBe(event.traceparent);
    expect(transport.isConnected()).toBe(true);
  });

  it('should route by type when consumers are bound to different types', async () => {
    const leasing = await collect(topology.consumer('leasing'), [CONTRACT_ACTIVATED]);
    const billing = await collect(topology.consumer('billing'), [INVOICE_PAID]);
    const contract = testEvent(CONTRACT_ACTIVATED);
    const invoice = testEvent(INVOICE_PAID);

    await transport.publish([contract, invoice]);

    await waitUntil(() => leasing.received.length === 1 && billing.received.length === 1, 'both arrive');
    // Whatever was misrouted would be queued by now: the other event of the same publish already arrived.
    await leasing.subscription.close();
    await billing.subscription.close();
    expect(leasing.received.map((d) => d.event.id)).toEqual([contract.id]);
    expect(billing.received.map((d) => d.event.id)).toEqual([invoice.id]);
  });

  it('should deliver every matching type when a consumer binds a wildcard', async () => {
    const consumer = topology.consumer('audit-sso');
    const sso = await collect(consumer, ['lessor.sso.#']);
    const leasing = await collect(topology.consumer('leasing'), [CONTRACT_ACTIVATED]);
    const events = [testEvent(USER_CREATED), testEvent(CONTRACT_ACTIVATED), testEvent(SESSION_ENDED)];

    await transport.publish(events);

    await waitUntil(() => sso.received.length === 2 && leasing.received.length === 1, 'all arrive');
    await sso.subscription.close();
    expect(sso.received.map((d) => d.event.type).sort()).toEqual([SESSION_ENDED, USER_CREATED]);
    expect(await topology.messageCount(consumerQueueName(consumer))).toBe(0);
  });

  it('should confirm an event no queue is bound to and still deliver the others of the batch', async () => {
    const leasing = await collect(topology.consumer('leasing'), [CONTRACT_ACTIVATED]);

    // Nobody consumes the second type yet: pub/sub drops it rather than blocking the publisher's relay.
    await expect(
      transport.publish([testEvent(CONTRACT_ACTIVATED), testEvent('lessor.nobody.listens.here.v1')]),
    ).resolves.toBeUndefined();
    await waitUntil(() => leasing.received.length === 1, 'the bound event arrives');
    expect(leasing.received[0]!.event.type).toBe(CONTRACT_ACTIVATED);
  });

  it('should count the ready messages of a queue, not those delivered and unsettled, as its depth', async () => {
    const consumer = topology.consumer('depth');
    await transport.bind(consumer, [CONTRACT_ACTIVATED]);
    await transport.publish([1, 2, 3].map(() => testEvent(CONTRACT_ACTIVATED)));
    await waitUntil(async () => (await transport.queueDepth(consumer)) === 3, 'three events wait');

    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const received: Delivery[] = [];
    await transport.consume(
      { consumer, types: [CONTRACT_ACTIVATED], prefetch: 1, retryDelaysMs: [] },
      async (delivery) => {
        received.push(delivery);
        await held;
        await delivery.ack();
      },
    );
    await waitUntil(() => received.length === 1, 'the first event is delivered');
    // One is out with the consumer (unacked): two are still ready.
    await waitUntil(async () => (await transport.queueDepth(consumer)) === 2, 'two events still wait');
    release();
    await waitUntil(() => received.length === 3, 'the others are delivered');
    await waitUntil(async () => (await transport.queueDepth(consumer)) === 0, 'the queue is empty');
  });

  it('should confirm and deliver every message when 20,000 are published in batches with prefetch 200', async () => {
    const consumer = topology.consumer('bulk');
    const total = 20_000;
    const batchSize = 1_000;
    // Consume once to declare the queue and its binding, then stop, so publishing and consuming are measured apart.
    const setup = await collect(consumer, [CONTRACT_ACTIVATED]);
    await setup.subscription.close();

    const events = Array.from({ length: total }, (_, i) => testEvent(CONTRACT_ACTIVATED, { n: i }));
    const publishStarted = performance.now();
    for (let i = 0; i < total; i += batchSize) await transport.publish(events.slice(i, i + batchSize));
    const publishMs = performance.now() - publishStarted;

    const seen = new Set<string>();
    let deliveries = 0;
    const consumeStarted = performance.now();
    const subscription = await transport.consume(
      { consumer, types: [CONTRACT_ACTIVATED], prefetch: 200, retryDelaysMs: [] },
      async (delivery) => {
        deliveries++;
        seen.add(delivery.event.id);
        await delivery.ack();
      },
    );
    await waitUntil(() => seen.size === total, 'all 20,000 are consumed', 55_000);
    const consumeMs = performance.now() - consumeStarted;
    await subscription.close();

    console.info(
      `rabbitmq transport: published ${total} with confirms (window 500, batches of ${batchSize}) at ` +
        `${Math.round(total / (publishMs / 1000))} msg/s; consumed + acked (prefetch 200) at ` +
        `${Math.round(total / (consumeMs / 1000))} msg/s`,
    );
    expect(deliveries).toBe(total);
    await waitUntil(
      async () => (await topology.messageCount(consumerQueueName(consumer))) === 0,
      'the queue is empty',
    );
  });

  it('should retry through the retry queues of the failing consumer only when the handler retries', async () => {
    const delays = [100, 300];
    const failing = topology.consumer('failing', delays);
    const bystander = topology.consumer('bystander');
    const seen: Array<{ attempt: number; headers: Readonly<Record<string, unknown>>; redelivered: boolean }> =
      [];
    const retried: boolean[] = [];
    let parked: EventEnvelope | undefined;
    const failingSubscription = await transport.consume(
      { consumer: failing, types: [INVOICE_PAID], prefetch: 5, retryDelaysMs: delays },
      async (delivery) => {
        const { attempt, headers, redelivered } = delivery as RabbitDelivery;
        seen.push({ attempt, headers, redelivered });
        const accepted = await delivery.retry(`boom on attempt ${attempt}`);
        retried.push(accepted);
        if (!accepted) {
          // What the consumer runtime does when no retry is left: park the event, then ack.
          parked = delivery.event;
          await delivery.ack();
        }
      },
    );
    const other = await collect(bystander, [INVOICE_PAID]);
    const event = testEvent(INVOICE_PAID, { invoiceId: 'i-1' });

    await transport.publish([event]);

    await waitUntil(() => parked !== undefined, 'the event is parked after the last retry');
    await failingSubscription.close();
    await other.subscription.close();

    expect(parked).toEqual(event);
    expect(seen.map((s) => s.attempt)).toEqual([1, 2, 3]);
    expect(retried).toEqual([true, true, false]);
    expect(seen.every((s) => !s.redelivered)).toBe(true);
    // x-death lists the queues a message was dead-lettered from, the latest first.
    const deathQueues = (headers: Readonly<Record<string, unknown>>) =>
      ((headers['x-death'] as Array<{ queue: string }> | undefined) ?? []).map((death) => death.queue);
    expect(deathQueues(seen[0]!.headers)).toEqual([]);
    expect(deathQueues(seen[1]!.headers)).toEqual([retryQueueName(failing, 100)]);
    expect(deathQueues(seen[2]!.headers)).toEqual([
      retryQueueName(failing, 300),
      retryQueueName(failing, 100),
    ]);
    expect(seen[1]!.headers[LAST_ERROR_HEADER]).toBe('boom on attempt 1');
    expect(seen[2]!.headers[LAST_ERROR_HEADER]).toBe('boom on attempt 2');
    // The bystander bound to the same type saw the original only, and nothing of it waits in its queue.
    expect(other.received.map((d) => [d.event.id, d.attempt])).toEqual([[event.id, 1]]);
    expect(await topology.messageCount(consumerQueueName(bystander))).toBe(0);
    for (const queue of [consumerQueueName(failing), ...delays.map((d) => retryQueueName(failing, d))]) {
      expect(await topology.messageCount(queue)).toBe(0);
    }
  });

  it('should deliver a marker envelope and keep consuming when a body is not JSON', async () => {
    const consumer = topology.consumer('leasing');
    const { received } = await collect(consumer, [CONTRACT_ACTIVATED]);
    const rawPublisher = topology.admin.createPublisher({ confirm: true });
    await rawPublisher.send(
      { exchange: topology.exchange, routingKey: CONTRACT_ACTIVATED, messageId: 'not-json-1', durable: true },
      Buffer.from('{"type": "lessor.leasing.contract.activated.v1", broken'),
    );
    await rawPublisher.send(
      { exchange: topology.exchange, routingKey: CONTRACT_ACTIVATED, durable: true },
      Buffer.from([0xff, 0xfe, 0x00, 0x01]),
    );
    await rawPublisher.close();
    const valid = testEvent(CONTRACT_ACTIVATED);
    await transport.publish([valid]);

    await waitUntil(() => received.length === 3, 'all three arrive');
    const [text, binary, event] = received.map((d) => d.event);
    expect(text).toMatchObject({ id: 'not-json-1', type: INVALID_EVENT_TYPE, specversion: '1.0' });
    expect(text!.data).toMatchObject({
      raw: '{"type": "lessor.leasing.contract.activated.v1", broken',
      encoding: 'utf8',
      routingKey: CONTRACT_ACTIVATED,
    } satisfies Partial<InvalidEventData>);
    expect((text!.data as InvalidEventData).reason).toMatch(/not JSON/);
    expect(binary).toMatchObject({ type: INVALID_EVENT_TYPE, data: { raw: '//4AAQ==', encoding: 'base64' } });
    expect(binary!.id).toMatch(/^invalid-[0-9a-f]{64}$/);
    expect(event).toEqual(valid);
  });

  it('should requeue and log when a handler fails or returns without settling', async () => {
    const consumer = topology.consumer('forgetful');
    let calls = 0;
    const redeliveredFlags: boolean[] = [];
    await transport.consume(
      { consumer, types: [CONTRACT_ACTIVATED], prefetch: 1, retryDelaysMs: [] },
      async (delivery) => {
        calls++;
        redeliveredFlags.push(delivery.redelivered);
        if (calls === 1) throw new Error('the database is down');
        if (calls === 2) return; // a bug: neither ack nor retry
        await delivery.ack();
      },
    );

    await transport.publish([testEvent(CONTRACT_ACTIVATED)]);

    await waitUntil(() => calls === 3, 'the message is redelivered twice');
    expect(redeliveredFlags).toEqual([false, true, true]);
    const logged = logger.entries.map((e) => `${e.level}: ${e.msg}`);
    expect(logged).toContain('warn: event handler failed without settling the delivery; requeued');
    expect(logged).toContain('error: event handler returned without settling the delivery (a bug); requeued');
    await waitUntil(
      async () => (await topology.messageCount(consumerQueueName(consumer))) === 0,
      'acked at last',
    );
  });

  it('should let an in-flight handler finish and ack when the transport closes', async () => {
    const consumer = topology.consumer('slow');
    let entered!: () => void;
    const handlerEntered = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let finished = false;
    await transport.consume(
      { consumer, types: [CONTRACT_ACTIVATED], prefetch: 1, retryDelaysMs: [] },
      async (delivery) => {
        entered();
        await gate;
        await delivery.ack();
        finished = true;
      },
    );
    await transport.publish([testEvent(CONTRACT_ACTIVATED)]);
    await handlerEntered;

    const closed = transport.close();
    release();
    await closed;

    expect(finished).toBe(true);
    await expect(transport.publish([testEvent(CONTRACT_ACTIVATED)])).rejects.toThrow(/closed/);
    await waitUntil(
      async () => (await topology.messageCount(consumerQueueName(consumer))) === 0,
      'the ack counted',
    );
  });
});
