/**
 * The load generator of bench/request-cost.ts, in a process of its own so that its CPU is not counted as the
 * system's. Told over IPC what to read and how often, it sends the GETs one after another on one keep-alive
 * connection (node:http) and answers with the wall time and its own CPU time.
 */
import { Agent } from 'node:http';
import { get } from './support/http-get.ts';

export interface ClientOrder {
  url: string;
  headers: Record<string, string>;
  count: number;
}

export interface ClientReport {
  wallMs: number;
  /** The client's own CPU over the phase, user + system, in µs. */
  cpuMicros: number;
  error?: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

async function run(order: ClientOrder): Promise<ClientReport> {
  const url = new URL(order.url);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (let i = 0; i < order.count; i++) {
    const answer = await get(agent, url, order.headers);
    if (answer.status !== 200)
      return {
        wallMs: 0,
        cpuMicros: 0,
        error: `${url.pathname}: ${answer.status} ${answer.body.slice(0, 200)}`,
      };
  }
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return { wallMs, cpuMicros: used.user + used.system };
}

process.on('message', (order: ClientOrder) => {
  run(order).then(
    (report) => process.send!(report),
    (error: unknown) => process.send!({ wallMs: 0, cpuMicros: 0, error: String(error) }),
  );
});
process.on('disconnect', () => {
  agent.destroy();
});
