import { request, type Agent } from 'node:http';

/** A status and the body read in full. */
export interface Answer {
  status: number;
  body: string;
}

/** One GET over a keep-alive agent (node:http, as the load generators of the benches use), its body read in full. */
export function get(agent: Agent, url: URL, headers: Record<string, string>): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      { agent, host: url.hostname, port: url.port, path: url.pathname, method: 'GET', headers },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({ status: incoming.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end();
  });
}
