import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Delivery, EventEnvelope, Transport } from '@lessor/events';
import { deleteTestNamespace, eventually, testAmqpUrl } from '@lessor/events/testing';
import { baseConfigSchema, loadConfig } from '../src/config.ts';
import { openServiceTransport } from '../src/run.ts';

const amqpUrl = testAmqpUrl();
const TYPE = 'lessor.test.namespace.checked.v1';

function event(): EventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/lessor/test',
    type: TYPE,
    subject: randomUUID(),
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data: {},
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    actor: 'system',
  };
}

/**
 * Issue 12, item 10: LESSOR_EVENTS_NAMESPACE reaches the RabbitMQ transport a service opens from its
 * configuration, so two installations on one broker share neither the exchange nor the queues.
 */
describe.runIf(amqpUrl)('LESSOR_EVENTS_NAMESPACE on one RabbitMQ', () => {
  const run = Date.now().toString(36);
  const namespaces = [`ns-a-${run}`, `ns-b-${run}`];
  // A consumer name of this run only: without the namespace both installations would share lessor.<consumer>.
  const consumer = `nstest${run}`;
  const transports: Transport[] = [];
  const silent = pino({ level: 'silent' });

  afterAll(async () => {
    for (const transport of transports) await transport.close();
    for (const namespace of namespaces) await deleteTestNamespace(amqpUrl!, namespace, [consumer], []);
    // What an unwired transport would have made: lessor.<consumer> on lessor.events.
    const { Connection } = await import('rabbitmq-client');
    const connection = new Connection({ url: amqpUrl!, connectionTimeout: 3000 });
    await connection.queueDelete({ queue: `lessor.${consumer}` });
    await connection.close();
  });

  function installation(namespace: string) {
    const config = loadConfig(baseConfigSchema, {
      PORT: '0',
      AMQP_URL: amqpUrl!,
      LESSOR_EVENTS_NAMESPACE: namespace,
    });
    // The database is only the in-process bus's; with AMQP_URL the transport is RabbitMQ.
    const transport = openServiceTransport(consumer, config, undefined as never, silent);
    transports.push(transport);
    const received: Delivery[] = [];
    const subscribe = () =>
      transport.consume({ consumer, types: [TYPE], prefetch: 10, retryDelaysMs: [] }, async (delivery) => {
        received.push(delivery);
        await delivery.ack();
      });
    return { transport, received, subscribe };
  }

  it("should deliver an event published in namespace A to A's consumer only, and B's to B only", async () => {
    const a = installation(namespaces[0]!);
    const b = installation(namespaces[1]!);
    await a.subscribe();
    await b.subscribe();

    const fromA = [event(), event(), event(), event()];
    await a.transport.publish(fromA);
    await eventually(
      async () => {
        if (a.received.length < fromA.length) throw new Error(`A has ${a.received.length}`);
        return true;
      },
      { timeoutMs: 10_000 },
    );
    const fromB = event();
    await b.transport.publish([fromB]);
    await eventually(
      async () => {
        if (b.received.length < 1) throw new Error('B has nothing yet');
        return true;
      },
      { timeoutMs: 10_000 },
    );
    // Anything misrouted would have arrived by now: B's event came after A's four, on the same broker.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(a.received.map((delivery) => delivery.event.id).sort()).toEqual(fromA.map((e) => e.id).sort());
    expect(b.received.map((delivery) => delivery.event.id)).toEqual([fromB.id]);
  }, 60_000);

  it('should name the exchange and queues after the namespace', async () => {
    const { Connection } = await import('rabbitmq-client');
    const connection = new Connection({ url: amqpUrl!, connectionTimeout: 3000 });
    try {
      for (const namespace of namespaces) {
        await connection.exchangeDeclare({ exchange: `lessor.${namespace}.events`, passive: true });
        await connection.queueDeclare({ queue: `lessor.${namespace}.${consumer}`, passive: true });
      }
    } finally {
      await connection.close();
    }
  });
});
