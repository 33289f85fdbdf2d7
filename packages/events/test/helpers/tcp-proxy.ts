import { connect, createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

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
