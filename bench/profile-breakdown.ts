/**
 * Where the CPU of a profiled phase went, by part of the request path (issue 13 item 0): each sample of a
 * `.cpuprofile` (from `BENCH_PROFILE=<dir> node --import tsx bench/request-cost.ts`) is charged to the innermost
 * frame of its stack that belongs to a known part, and the totals are divided by the requests of the phase.
 *
 *   node --import tsx bench/profile-breakdown.ts /tmp/prof/card.cpuprofile [requests=500]
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PARTS: [string, RegExp][] = [
  ['profiler (Profiler.stop, not a cost)', /^\(dispatch\)$|node:inspector/],
  ['idle', /^\(idle\)$/],
  ['GC', /garbage collector/],
  ['token verification (jose, webcrypto)', /\/jose\/|token-verifier|crypto\/(webcrypto|cfrg|util)/],
  ['logging (pino, redact, sonic-boom)', /\/pino\/|pinojs|sonic-boom|logger\.ts/],
  ['metrics (prom-client)', /prom-client|http\/metrics\.ts/],
  ['gateway self-forward (inject)', /light-my-request/],
  [
    'http-client (service-client, fetch, breaker)',
    /http-client\/src|cockatiel|node:internal\/deps\/undici|webstreams/,
  ],
  ['proxy hop (@fastify/reply-from, undici)', /reply-from|\/undici\/|proxy\.routes/],
  ['helmet', /helmet/],
  ['pg driver', /\/pg\/|pg-protocol|pg-pool|pg-types/],
  ['query builder (kysely)', /kysely/],
  ['trace ids (randomBytes)', /trace\.ts|crypto\/random/],
  ['fastify (routing, hooks, validation, serialisation)', /fastify|find-my-way|ajv|fast-json|avvio/],
  ['service code', /\/services\/|packages\/service-kit|packages\/events|packages\/auth/],
  ['load generator (bench client)', /bench\//],
  ['node http/net/streams', /node:/],
];

const file = process.argv[2];
if (!file) throw new Error('usage: profile-breakdown.ts <file.cpuprofile> [requests]');
const requests = Number(process.argv[3] ?? 500);
// eslint-disable-next-line security/detect-non-literal-fs-filename -- a path the user names
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const partOf = new Map<number, string>();
const part = (id: number): string => {
  const known = partOf.get(id);
  if (known !== undefined) return known;
  for (let current: number | undefined = id; current !== undefined; current = parent.get(current)) {
    const frame = byId.get(current)!.callFrame;
    const label = frame.url || `(${frame.functionName})`;
    const hit = PARTS.find(([, pattern]) => pattern.test(label));
    if (hit) {
      partOf.set(id, hit[0]);
      return hit[0];
    }
  }
  partOf.set(id, 'other (native, no JS frame)');
  return 'other (native, no JS frame)';
};
const totals = new Map<string, number>();
profile.samples.forEach((sample, index) => {
  const name = part(sample);
  totals.set(name, (totals.get(name) ?? 0) + (profile.timeDeltas[index] ?? 0) / 1000);
});
const busy = [...totals]
  .filter(([name]) => name !== 'idle' && !name.startsWith('profiler'))
  .reduce((sum, [, ms]) => sum + ms, 0);
console.log(`${file}: busy ${(busy / requests).toFixed(2)} ms/request (profiler and idle left out)`);
for (const [name, ms] of [...totals].sort((a, b) => b[1] - a[1]))
  console.log(`${(ms / requests).toFixed(3).padStart(7)}  ${name}`);
