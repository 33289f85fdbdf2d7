import { execFile, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { Connection } from 'rabbitmq-client';
import type { EventEnvelope } from '../../src/envelope.ts';
import { consumerQueueName, retryQueueName } from '../../src/rabbitmq/index.ts';

const execFileAsync = promisify(execFile);

/** Names unique to one test (exchange, consumers) and the clean-up of everything declared under them. */
export class RabbitTestTopology {
  readonly id = randomBytes(4).toString('hex');
  /** A private exchange, so parallel test files never see each other's events. */
  readonly exchange = `lessor.test-${this.id}.events`;
  readonly admin: Connection;
  private readonly consumers = new Map<string, number[]>();

  constructor(readonly url: string) {
    this.admin = new Connection(url);
    this.admin.on('error', () => {});
  }

  /** A consumer name unique to this test; its queue and retry queues are deleted by `cleanup()`. */
  consumer(name: string, retryDelaysMs: readonly number[] = []): string {
    const consumer = `test-${this.id}-${name}`;
    this.consumers.set(consumer, [...retryDelaysMs]);
    return consumer;
  }

  /** The ready messages in a consumer's queue (or in one of its retry queues). */
  async messageCount(queue: string): Promise<number> {
    const { messageCount } = await this.admin.queueDeclare({ queue, passive: true });
    return messageCount;
  }

  async cleanup(): Promise<void> {
    for (const [consumer, delays] of this.consumers) {
      for (const queue of [
        consumerQueueName(consumer),
        ...delays.map((delay) => retryQueueName(consumer, delay)),
      ]) {
        await this.admin.queueDelete({ queue }).catch(() => {});
      }
    }
    await this.admin.exchangeDelete({ exchange: this.exchange }).catch(() => {});
    await this.admin.close();
  }
}

/** A well-formed event of `type`. */
export function testEvent(type: string, data: unknown = {}): EventEnvelope {
  return {
    specversion: '1.0',
    id: randomUUID(),
    source: '/lessor/test',
    type,
    subject: randomUUID(),
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    data,
    traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
    actor: 'system',
  };
}

/** Polls until `condition` holds; fails with `what` after `timeoutMs` (a deadline, not a speed assertion). */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A logger that keeps what was logged, so a test can assert on warnings and keep the output quiet. */
export function memoryLogger(): {
  entries: Array<{ level: string; msg: string | undefined; obj: object }>;
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
} {
  const entries: Array<{ level: string; msg: string | undefined; obj: object }> = [];
  const at = (level: string) => (obj: object, msg?: string) => {
    entries.push({ level, msg, obj });
  };
  return { entries, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

/**
 * True when `rabbitmqctl` on this machine manages the test broker (a local one): it can then close connections
 * the way an operator or a broker restart does. A broker in a container usually has no rabbitmqctl here.
 */
export function canUseRabbitmqctl(url: string): boolean {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost') return false;
  const result = spawnSync('rabbitmqctl', ['-q', 'list_connections', 'pid'], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return result.status === 0;
}

/** Makes the broker close (connection.close, CONNECTION_FORCED) every connection whose name is `name`. */
export async function closeConnectionsNamed(name: string): Promise<number> {
  // The plain listing, not --formatter json: only it prints pids in the form close_connection accepts.
  const { stdout } = await execFileAsync('rabbitmqctl', [
    '-q',
    'list_connections',
    '--no-table-headers',
    'pid',
    'client_properties',
  ]);
  const pids = stdout
    .split('\n')
    .filter((line) => line.includes(`{"connection_name",${JSON.stringify(name)}}`))
    .map((line) => line.split('\t')[0]!);
  for (const pid of pids) await execFileAsync('rabbitmqctl', ['close_connection', pid, 'closed by a test']);
  return pids.length;
}
