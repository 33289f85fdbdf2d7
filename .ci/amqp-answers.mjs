// Exits 0 when RabbitMQ at LESSOR_TEST_AMQP_URL completes an AMQP handshake within 15 s, 1 otherwise. An open
// port is not enough: a broker left with hundreds of queues by killed test runs was seen accepting TCP and never
// answering the handshake.
import { Connection } from 'rabbitmq-client';

const url = process.env.LESSOR_TEST_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
const connection = new Connection({ url, connectionTimeout: 10_000, retryLow: 500, retryHigh: 1_000 });
const timer = setTimeout(() => {
  console.error(`RabbitMQ did not answer an AMQP handshake at ${url.replace(/\/\/[^@]*@/, '//***@')}`);
  process.exit(1);
}, 15_000);
connection.on('connection', () => {
  clearTimeout(timer);
  void connection.close().then(() => process.exit(0));
});
