import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consumerQueueName, createRabbitTransport } from '../src/rabbitmq/index.ts';
import type { RabbitTransport } from '../src/rabbitmq/index.ts';
import { testAmqpUrl } from '../src/rabbitmq/testing.ts';
import {
  RabbitTestTopology,
  canUseRabbitmqctl,
  closeConnectionsNamed,
  memoryLogger,
  testEvent,
  waitUntil,
} from './helpers/rabbitmq-fixtures.ts';
import { startTcpProxy } from '../src/testing.ts';
import type { TcpProxy } from '../src/testing.ts';

const url = testAmqpUrl();
const TYPE = 'lessor.leasing.contract.activated.v1';

// The broker is shared with other test runs, so an outage is a TCP proxy between client and broker that the
// test severs and restores; the broker itself never stops.
describe.runIf(url)('RabbitMQ transport across a lost connection', () => {
  let topology: RabbitTestTopology;
  let proxy: TcpProxy;
  let direct: RabbitTransport;
  let viaProxy: RabbitTransport;

  beforeEach(async () => {
    topology = new RabbitTestTopology(url as string);
    const broker = new URL(url as string);
    proxy = await startTcpProxy({ host: broker.hostname, port: Number(broker.port || 5672) });
    const options = { exchange: topology.exchange, logger: memoryLogger() };
    direct = createRabbitTransport({
      ...options,
      url: url as string,
      connectionName: `events-test-${topology.id}-direct`,
    });
    viaProxy = createRabbitTransport({
      ...options,
      url: proxy.urlFor(url as string),
      connectionName: `events-test-${topology.id}-proxied`,
    });
    await direct.ready();
    await viaProxy.ready();
  });

  afterEach(async () => {
    proxy.restore();
    await viaProxy.close();
    await direct.close();
    await proxy.close();
    await topology.cleanup();
  });

  it('should resubscribe by itself and redeliver the unacked message when the connection is cut mid-stream', async () => {
    const consumer = topology.consumer('cut');
    const total = 2_000;
    const cutAt = 200;
    const seen = new Map<string, boolean[]>();
    let deliveries = 0;
    let cutEventId: string | undefined;
    await viaProxy.consume({ consumer, types: [TYPE], prefetch: 20, retryDelaysMs: [] }, async (delivery) => {
      deliveries++;
      const flags = seen.get(delivery.event.id) ?? [];
      flags.push(delivery.redelivered);
      seen.set(delivery.event.id, flags);
      if (deliveries === cutAt) {
        // Cut before this one is acked: the broker must hand it out again.
        cutEventId = delivery.event.id;
        proxy.sever();
      }
      await delivery.ack();
    });
    const events = Array.from({ length: total }, (_, n) => testEvent(TYPE, { n }));
    await direct.publish(events);

    await waitUntil(() => cutEventId !== undefined, 'the connection is cut');
    await waitUntil(() => !viaProxy.isConnected(), 'the client notices the cut');
    proxy.restore();
    await waitUntil(
      () => seen.size === total && seen.get(cutEventId!)!.length > 1,
      'every event arrives, the one in hand at the cut twice',
      55_000,
    );

    // The idle publishing connection reconnects on its own backoff, possibly after consuming has resumed.
    await waitUntil(() => viaProxy.isConnected(), 'both connections are back', 30_000);
    expect(seen.get(cutEventId!)).toEqual([false, true]);
    expect(deliveries).toBeGreaterThan(total); // some were delivered twice: at least once, never lost
    await waitUntil(
      async () => (await topology.messageCount(consumerQueueName(consumer))) === 0,
      'the queue drains',
    );
  });

  it('should reject a publish whose confirms are lost and confirm the retried batch when the connection is back', async () => {
    const consumer = topology.consumer('publish-cut');
    const seen = new Set<string>();
    await direct.consume({ consumer, types: [TYPE], prefetch: 200, retryDelaysMs: [] }, async (delivery) => {
      seen.add(delivery.event.id);
      await delivery.ack();
    });
    const batch = Array.from({ length: 20_000 }, (_, n) => testEvent(TYPE, { n }));

    // ~100 kB reach the broker (a few hundred messages), then the connection drops: most confirms never come.
    proxy.severAfterBytesToTarget(100_000);
    await expect(viaProxy.publish(batch)).rejects.toThrow(/not confirmed/);
    await waitUntil(() => !viaProxy.isConnected(), 'the client notices the cut');

    // Published while the connection is down: it waits for the reconnect (or fails) — it never resolves unconfirmed.
    const outageBatch = Array.from({ length: 100 }, (_, n) => testEvent(TYPE, { outage: n }));
    const duringOutage = viaProxy.publish(outageBatch).then(
      () => 'confirmed' as const,
      () => 'rejected' as const,
    );
    proxy.restore();
    const outcome = await duringOutage;
    console.info(`rabbitmq transport: a publish made during the outage was ${outcome}`);
    // The relay's move after a failure: publish the whole batch again (duplicates are the inbox's to drop).
    // A confirmed batch is not published again: confirmed must mean the broker has it.
    await viaProxy.publish(outcome === 'confirmed' ? batch : [...batch, ...outageBatch]);

    const expected = [...batch, ...outageBatch].map((event) => event.id);
    await waitUntil(() => expected.every((id) => seen.has(id)), 'every event arrives', 55_000);
    expect(['confirmed', 'rejected']).toContain(outcome);
    expect(viaProxy.isConnected()).toBe(true);
  });

  it('should reject a pending consume and close promptly when the transport closes while the broker is unreachable', async () => {
    proxy.sever();
    await waitUntil(() => !viaProxy.isConnected(), 'the other client notices the cut');
    const offline = createRabbitTransport({
      url: proxy.urlFor(url as string),
      exchange: topology.exchange,
      logger: memoryLogger(),
    });
    const consuming = offline.consume(
      { consumer: topology.consumer('offline'), types: [TYPE], prefetch: 1, retryDelaysMs: [] },
      async (delivery) => delivery.ack(),
    );
    const publishing = offline.publish([testEvent(TYPE)]);
    const consumeRejected = expect(consuming).rejects.toThrow(/could not start/);
    const publishRejected = expect(publishing).rejects.toThrow(/not confirmed/);

    await offline.close();

    await consumeRejected;
    await publishRejected;
  });
});

describe.runIf(url && canUseRabbitmqctl(url))(
  'RabbitMQ transport when the broker closes its connection',
  () => {
    it('should resubscribe by itself and redeliver the unacked message when rabbitmqctl closes the connection', async () => {
      const topology = new RabbitTestTopology(url as string);
      const connectionName = `events-test-${topology.id}`;
      const transport = createRabbitTransport({
        url: url as string,
        exchange: topology.exchange,
        logger: memoryLogger(),
        connectionName,
      });
      try {
        const consumer = topology.consumer('forced');
        const seen = new Map<string, boolean[]>();
        let deliveries = 0;
        let closedEventId: string | undefined;
        let closeSeen = false;
        await transport.consume(
          { consumer, types: [TYPE], prefetch: 10, retryDelaysMs: [] },
          async (delivery) => {
            deliveries++;
            seen.set(delivery.event.id, [...(seen.get(delivery.event.id) ?? []), delivery.redelivered]);
            if (deliveries === 100) {
              closedEventId = delivery.event.id;
              // As an operator or a broker shutting down would: connection.close with CONNECTION_FORCED.
              expect(await closeConnectionsNamed(`${connectionName}/consume`)).toBe(1);
              // rabbitmqctl returns before the broker acts: ack only once the close arrived, so the ack is lost.
              await waitUntil(() => !transport.isConnected(), 'the client sees the close');
              closeSeen = true;
            }
            await delivery.ack();
          },
        );
        const before = Array.from({ length: 500 }, (_, n) => testEvent(TYPE, { n }));
        await transport.publish(before);
        await waitUntil(() => closeSeen, 'the broker closed the connection');

        // Only a consumer that subscribed again receives what is published after the close.
        const after = Array.from({ length: 100 }, (_, n) => testEvent(TYPE, { after: n }));
        await transport.publish(after);

        const all = [...before, ...after].map((event) => event.id);
        await waitUntil(
          () => all.every((id) => seen.has(id)) && seen.get(closedEventId!)!.length > 1,
          'every event arrives, the one in hand at the close twice',
          55_000,
        );
        expect(seen.get(closedEventId!)).toEqual([false, true]);
        expect(transport.isConnected()).toBe(true);
      } finally {
        await transport.close();
        await topology.cleanup();
      }
    });
  },
);
