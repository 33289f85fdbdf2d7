/* eslint-disable no-restricted-properties --
   a test helper, never loaded by a service: it reads the test run's environment (LESSOR_TEST_AMQP_URL,
   REQUIRE_INFRA) the way packages/service-kit/src/testing does, which the lint config exempts by path. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const DEFAULT_TEST_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';
let probed: { url: string | null } | undefined;

/**
 * The AMQP URL integration tests use: LESSOR_TEST_AMQP_URL (default amqp://guest:guest@127.0.0.1:5672) when
 * a RabbitMQ connection there succeeds. When it does not, a run with REQUIRE_INFRA=1 (CI) throws; otherwise a
 * loud warning is printed and null returned, so `describe.runIf(testAmqpUrl())` skips. Synchronous (a child
 * process makes the real AMQP handshake); decided once per process.
 */
export function testAmqpUrl(): string | null {
  probed ??= { url: probe(process.env.LESSOR_TEST_AMQP_URL || DEFAULT_TEST_AMQP_URL) };
  return probed.url;
}

function probe(url: string): string | null {
  // The handshake logs in, so a wrong password or vhost is reported here rather than as a test timeout. Patient
  // (20 s): a CI run once failed 41 files because a broker slowed by another test run on the same 2 cores took
  // longer than the 3 s this waited then.
  const script = `const { Connection } = require(${JSON.stringify(require.resolve('rabbitmq-client'))});
    const connection = new Connection({ url: process.argv[1], connectionTimeout: 10000, retryLow: 200, retryHigh: 1000 });
    let last;
    connection.on('error', (error) => { last = error; });
    connection.onConnect(20000).then(() => connection.close())
      .then(() => process.exit(0), (error) => { console.error((last ?? error).message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 30_000 });
  if (result.status === 0) return url;
  const where = redact(url);
  const reason = (result.stderr || result.error?.message || 'no answer').trim();
  if (process.env.REQUIRE_INFRA === '1') {
    throw new Error(`REQUIRE_INFRA=1 but RabbitMQ does not answer at ${where} (${reason})`);
  }
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n!!! RabbitMQ does not answer at ${where} (${reason}).\n` +
      '!!! The RabbitMQ transport tests are SKIPPED. Start RabbitMQ or set LESSOR_TEST_AMQP_URL;\n' +
      `!!! set REQUIRE_INFRA=1 to make this an error (CI does).\n${line}\n`,
  );
  return null;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

/**
 * Removes what a test run made on the broker under its namespace (see `namespace` of createRabbitTransport):
 * each consumer's queue and retry queues, and the exchange. Tests call it in afterAll so runs leave nothing.
 */
export async function deleteTestNamespace(
  url: string,
  namespace: string,
  consumers: readonly string[],
  retryDelaysMs: readonly number[] = [1000, 5000, 30000],
): Promise<void> {
  const { Connection } = await import('rabbitmq-client');
  const connection = new Connection({ url, connectionTimeout: 3000 });
  try {
    for (const consumer of consumers) {
      const queue = `lessor.${namespace}.${consumer}`;
      await connection.queueDelete({ queue });
      for (const delay of retryDelaysMs) await connection.queueDelete({ queue: `${queue}.retry.${delay}` });
    }
    await connection.exchangeDelete({ exchange: `lessor.${namespace}.events` });
  } finally {
    await connection.close();
  }
}
