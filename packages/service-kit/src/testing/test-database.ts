import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { migrate, openDatabase } from '../db/index.ts';
import type { Database, Migration } from '../db/index.ts';
import { DEFAULT_TEST_DATABASE_URL } from './global-setup.ts';

/** The database engine integration tests run against: PostgreSQL, as in both modes of Lessor. */
export type Backend = 'postgres';

/** A fresh database for one test file; `dispose()` removes it. */
export type TestDatabase<DB> = Database<DB> & {
  /** The database's URL, to open a second handle (another schema, or another replica's pool). */
  readonly url: string;
  dispose(): Promise<void>;
};

const require = createRequire(import.meta.url);
let checked = false;

/** The server the tests use: the configured one, or the embedded one the global setup started for this run. */
function adminUrl(): string {
  const url = process.env.LESSOR_TEST_DATABASE_URL;
  return url && url !== 'embedded' ? url : DEFAULT_TEST_DATABASE_URL;
}

/**
 * The backends to run integration tests on: `['postgres']`. The integration project's global setup
 * (global-setup.ts) made sure a server answers — the configured one or an embedded one for the run; a test
 * file run outside it fails here, with the reason, when none does. Synchronous, so `describe.each(testBackends())`
 * works; checked once per process.
 */
export function testBackends(): Backend[] {
  if (!checked) {
    probe();
    checked = true;
  }
  return ['postgres'];
}

function probe(): void {
  // A child process answers synchronously; the probe is a real query, not just an open port.
  const script = `const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('select 1')).then(() => client.end())
      .then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', script, adminUrl()], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (result.status === 0) return;
  const reason = (result.stderr || result.error?.message || 'no answer').trim();
  throw new Error(
    `PostgreSQL does not answer at ${redact(adminUrl())} (${reason}). Run the tests through vitest (its ` +
      'global setup starts an embedded server when none answers) or set LESSOR_TEST_DATABASE_URL.',
  );
}

/**
 * A fresh database for a test file, with the service's `schema` (and `migrations` applied, kit's first, when
 * given): a new database `lessor_test_<random>` on the test server, dropped on dispose.
 */
export async function createTestDatabase<DB>(
  _backend: Backend,
  options: { schema: string; migrations?: readonly Migration[] },
): Promise<TestDatabase<DB>> {
  const database = await createPostgres<DB>(options.schema);
  if (options.migrations) {
    try {
      await migrate(database, options.migrations);
    } catch (error) {
      await database.dispose();
      throw error;
    }
  }
  return database;
}

async function createPostgres<DB>(schema: string): Promise<TestDatabase<DB>> {
  const name = `lessor_test_${randomBytes(6).toString('hex')}`;
  await asAdmin(`create database ${name}`);
  const url = new URL(adminUrl());
  url.pathname = `/${name}`;
  const drop = () => asAdmin(`drop database if exists ${name} with (force)`);
  const database = await openDatabase<DB>({ url: url.toString(), schema, poolSize: 5 }).catch(
    async (error: unknown) => {
      await drop();
      throw error;
    },
  );
  return {
    ...database,
    url: url.toString(),
    dispose: once(async () => {
      await database.close();
      await drop();
    }),
  };
}

async function asAdmin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function once(action: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => (done ??= action());
}

function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
