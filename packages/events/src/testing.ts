import { spawn, type ChildProcess } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { AddressInfo, Socket } from 'node:net';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { EventEnvelope } from './envelope.ts';
import { sleep } from './internal.ts';
import type { Transport } from './transport.ts';

/** Hooks around a transport's publish, to count, refuse or "crash" in tests. */
export interface PublishHooks {
  /** Runs before the inner publish; throwing refuses the batch (the broker is down). */
  beforePublish?(events: readonly EventEnvelope[]): void | Promise<void>;
  /**
   * Runs after the inner publish confirmed; throwing makes the relay believe it failed although the events
   * went out (the process died between publish and mark-sent).
   */
  afterPublish?(events: readonly EventEnvelope[]): void | Promise<void>;
}

/** A transport that behaves as `inner` with `hooks` around each publish; consume and close pass through. */
export function wrapTransport(inner: Transport, hooks: PublishHooks): Transport {
  return {
    async publish(events) {
      await hooks.beforePublish?.(events);
      await inner.publish(events);
      await hooks.afterPublish?.(events);
    },
    consume: (options, handle) => inner.consume(options, handle),
    bind: (consumer, types) => inner.bind(consumer, types),
    queueDepth: (consumer) => inner.queueDepth(consumer),
    close: () => inner.close(),
  };
}

/**
 * Waits until `check` returns something other than false/undefined (or stops throwing) and returns it; throws
 * the last failure after `timeoutMs` (default 30 s). For waiting on asynchronous delivery without timed
 * assertions: the timeout is a safety net, not the thing tested.
 */
export async function eventually<T>(
  check: () => T | Promise<T>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let last: unknown;
  for (;;) {
    try {
      const result = await check();
      if (result !== false && result !== undefined) return result as Exclude<T, false | undefined>;
      last = undefined;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      throw new Error(`${options.message ?? 'condition'} not reached in ${options.timeoutMs ?? 30_000} ms`, {
        cause: last,
      });
    }
    await sleep(options.intervalMs ?? 20);
  }
}

/** The envelopes in a service's outbox in publication order (published or not), optionally of one type. */
export async function readOutbox<DB>(
  db: Kysely<DB>,
  options: { type?: string } = {},
): Promise<EventEnvelope[]> {
  const filter = options.type === undefined ? sql`true` : sql`type = ${options.type}`;
  const { rows } = await sql<{ envelope: EventEnvelope }>`
    select envelope from outbox where ${filter} order by seq`.execute(db.withoutPlugins());
  return rows.map((row) => row.envelope);
}

/** A TCP proxy between a client and the broker, to cut the connection without touching the broker. */
export interface TcpProxy {
  /** The port the proxy listens on (127.0.0.1). */
  readonly port: number;
  /** `url` with its host and port replaced by the proxy's. */
  urlFor(url: string): string;
  /** Drops every open connection and refuses new ones until `restore()`. */
  sever(): void;
  /** Drops every connection once this many more bytes went from client to broker (mid-stream). */
  severAfterBytesToTarget(bytes: number): void;
  /** Accepts connections again. */
  restore(): void;
  /** True after `sever()` until `restore()`. */
  readonly isSevered: boolean;
  close(): Promise<void>;
}

/** Starts a proxy on a free port that forwards to `target`. */
export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let severed = false;
  let budget: number | undefined;

  const sever = () => {
    severed = true;
    budget = undefined;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
  };

  const server = createServer((client) => {
    if (severed) {
      client.destroy();
      return;
    }
    const upstream = connect(target.port, target.host);
    sockets.add(client);
    sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      if (budget !== undefined) {
        budget -= chunk.length;
        if (budget <= 0) sever();
      }
    });
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    urlFor(url) {
      const parsed = new URL(url);
      parsed.hostname = '127.0.0.1';
      parsed.port = String(port);
      return parsed.toString();
    },
    sever,
    severAfterBytesToTarget(bytes) {
      budget = bytes;
    },
    restore() {
      severed = false;
    },
    get isSevered() {
      return severed;
    },
    async close() {
      sever();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

// The RabbitMQ test helpers (maintained in ./rabbitmq/), so `@lessor/events/testing` offers both.
export { deleteTestNamespace, testAmqpUrl } from './rabbitmq/testing.ts';

/** A consumer running in a child process, for tests that kill it as an OOM killer or a failed node would. */
export interface ConsumerProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** What the process last reported on a `stats {json}` line of its stdout. */
  stats: { redelivered: number; duplicates: number };
  /** Every other line it wrote, for the failure message. */
  output: string[];
}

const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Starts `node --import tsx <fixture> <config as JSON>` from the repository root and follows its output: a
 * line `stats {…}` updates `stats`, anything else is kept in `output`. The test kills it with SIGKILL and
 * starts another, to prove that only the inbox stands between redeliveries and a second effect.
 */
export function spawnConsumerProcess(fixture: string, config: object): ConsumerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, JSON.stringify(config)], {
    cwd: repositoryRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started: ConsumerProcess = {
    child,
    exited: new Promise((resolve) => child.once('exit', (code) => resolve(code))),
    stats: { redelivered: 0, duplicates: 0 },
    output: [],
  };
  let buffered = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      if (line.startsWith('stats ')) started.stats = JSON.parse(line.slice(6));
      else started.output.push(line);
    }
  });
  child.stderr!.on('data', (chunk: Buffer) => started.output.push(chunk.toString()));
  return started;
}
