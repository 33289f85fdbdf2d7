/**
 * bench/request-cost.ts for two checkouts at once, taking turns (issue 13 item 0): on a machine shared with other
 * work the CPU a request costs moves with the load minute by minute, so two versions measured one after the other
 * are not comparable. Here both systems boot side by side (each its own process, PostgreSQL and data directory),
 * and each round of each read runs first in one and then in the other (the order swapped every round); each pair
 * of rounds gives a ratio, and the median of those ratios is the figure. Each checkout's own bench prints its
 * medians at the end as well.
 *
 *   node --import tsx bench/request-cost-ab.ts <base checkout> <new checkout> [requests=300] [rounds=8]
 *
 * Each checkout needs its dependencies installed and this bench's bench/request-cost.ts and
 * bench/request-cost.client.ts (copy them into a scratch clone of the base commit).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const [baseDir, newDir] = [process.argv[2], process.argv[3]];
if (!baseDir || !newDir)
  throw new Error('usage: request-cost-ab.ts <base checkout> <new checkout> [requests] [rounds]');
const requests = process.argv[4] ?? '300';
const rounds = Number(process.argv[5] ?? 8);

interface Cost {
  cpuMs: number;
  userMs: number;
}
type Message = { ready: string; round: number } | { measured: string; round: number; cost: Cost };

function start(
  dir: string,
  label: string,
): { child: ChildProcess; next: () => Promise<Message>; ended: Promise<unknown> } {
  const child = fork(join(resolve(dir), 'bench/request-cost.ts'), [requests, String(rounds)], {
    cwd: resolve(dir),
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  child.stdout!.on('data', (chunk: Buffer) =>
    process.stdout.write(
      chunk
        .toString()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => `[${label}] ${line}\n`)
        .join(''),
    ),
  );
  const queue: Message[] = [];
  const waiting: ((message: Message) => void)[] = [];
  child.on('message', (message: Message) => {
    const taker = waiting.shift();
    if (taker) taker(message);
    else queue.push(message);
  });
  const ended = new Promise((done) => child.on('exit', done));
  const exited = ended.then((code) => {
    throw new Error(`${label} bench exited with ${String(code)}`);
  });
  exited.catch(() => {});
  return {
    child,
    ended,
    next: () =>
      Promise.race([
        queue.length > 0
          ? Promise.resolve(queue.shift()!)
          : new Promise<Message>((take) => waiting.push(take)),
        exited,
      ]),
  };
}

const sides = { base: start(baseDir, 'base'), new: start(newDir, 'new') };
const costs: Record<string, { base: Cost[]; new: Cost[] }> = {};
for (let round = 0; round < rounds; round++) {
  for (let read = 0; read < 3; read++) {
    const order = (round + read) % 2 === 0 ? (['base', 'new'] as const) : (['new', 'base'] as const);
    const ready = { base: await sides.base.next(), new: await sides.new.next() };
    const name = 'ready' in ready.base ? ready.base.ready : '?';
    costs[name] ??= { base: [], new: [] };
    for (const side of order) {
      sides[side].child.send('go');
      const measured = await sides[side].next();
      if (!('measured' in measured)) throw new Error(`expected a measurement from ${side}`);
      costs[name]![side].push(measured.cost);
    }
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
console.log(
  `taking turns, ${requests} requests × ${rounds} rounds per read; CPU ms per request (system, without the client)`,
);
for (const [name, { base, new: next }] of Object.entries(costs)) {
  const ratios = base.map((cost, index) => next[index]!.cpuMs / cost.cpuMs);
  console.log(
    `  ${name.padEnd(7)} base median ${median(base.map((c) => c.cpuMs)).toFixed(2)} best ${Math.min(...base.map((c) => c.cpuMs)).toFixed(2)}  ` +
      `new median ${median(next.map((c) => c.cpuMs)).toFixed(2)} best ${Math.min(...next.map((c) => c.cpuMs)).toFixed(2)}  ` +
      `new/base per pair: median ${median(ratios).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(' ')})`,
  );
}
// The figures are printed first: each bench then prints its own medians while it shuts its system down.
await Promise.all(Object.values(sides).map(({ ended }) => ended));
