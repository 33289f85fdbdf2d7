import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';

/**
 * A host outside Lessor, for tests of egress (ADR 26): an HTTP server on every interface, addressed by this
 * machine's own non-loopback IPv4 address — not loopback, not a configured Lessor service — so a request to it
 * is one to "the outside world" without leaving the machine. It counts the connections it accepts: a refusal
 * must come before any. Without a non-loopback interface the origin is TEST-NET-1's 192.0.2.1 (unrouted), and
 * `reachable` is false: a refusal is still told apart from a failure by its error.
 */
export interface OutsideHost {
  /** `http://<address>:<port>`. */
  origin: string;
  /** Whether `origin` reaches this server (a non-loopback interface exists). */
  reachable: boolean;
  /** Connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

export async function startOutsideHost(): Promise<OutsideHost> {
  let connections = 0;
  const server: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end('{"outside":true}');
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  const address = Object.values(networkInterfaces())
    .flat()
    .find((candidate) => candidate && candidate.family === 'IPv4' && !candidate.internal)?.address;
  return {
    origin: `http://${address ?? '192.0.2.1'}:${port}`,
    reachable: address !== undefined,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
