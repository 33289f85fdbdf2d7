import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import pg from 'pg';
import { eventMigrations } from '@lessor/events';
import { openDatabase } from '../db/index.ts';
import type { Database, Migration } from '../db/index.ts';
import { forgetTemplate, migratedTemplate, type SchemaMigrations } from './template-database.ts';

/** The server tests use unless LESSOR_TEST_DATABASE_URL names another (CI's, a developer's). */
export const DEFAULT_TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

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
 * given): a new database `lessor_test_<random>` on the test server, dropped on dispose (in a vitest run: named
 * `lessor_test_<run>_<random>`, closed on dispose and dropped when the run ends). With migrations it is a
 * clone of a template database migrated once (template-database.ts), not migrated again for every file;
 * `alsoMigrated` adds further schemas to the same template (a booted system: a schema per service), and a
 * service that migrates at its start then finds its migrations applied.
 */
export async function createTestDatabase<DB>(
  _backend: Backend,
  options: { schema: string; migrations?: readonly Migration[]; alsoMigrated?: readonly SchemaMigrations[] },
): Promise<TestDatabase<DB>> {
  const schemas = [
    ...(options.migrations ? [{ schema: options.schema, migrations: options.migrations }] : []),
    ...(options.alsoMigrated ?? []),
  ];
  if (schemas.length === 0) return createPostgres<DB>(options.schema, undefined);
  const template = await migratedTemplate(adminUrl(), schemas);
  try {
    return await createPostgres<DB>(options.schema, template);
  } catch (error) {
    // 3D000: the template was dropped as stale by another run since this process found it; build it again.
    if ((error as { code?: string }).code !== '3D000') throw error;
    forgetTemplate(template);
    return createPostgres<DB>(options.schema, await migratedTemplate(adminUrl(), schemas));
  }
}

/**
 * What a service's start (`createServiceApp`) migrates its schema with: the event tables, then its own. A test
 * database made with these is a clone of a template, and the service's start then finds nothing to apply.
 */
export function serviceMigrations(migrations: readonly Migration[]): readonly Migration[] {
  return [...eventMigrations, ...migrations];
}

/** The run's token, set by the global setup (`lessor_test_<run>_<random>` databases, dropped at its end). */
function testRun(): string | undefined {
  const run = process.env.LESSOR_TEST_RUN;
  return run && /^[a-z0-9]{1,16}$/.test(run) ? run : undefined;
}

async function createPostgres<DB>(schema: string, template: string | undefined): Promise<TestDatabase<DB>> {
  const run = testRun();
  const name = `lessor_test_${run ? `${run}_` : ''}${randomBytes(6).toString('hex')}`;
  await createDatabase(name, template);
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
      // Every DROP DATABASE forces a checkpoint (0.1–1.5 s on this machine while other files write): inside a
      // run the global setup drops the run's databases at its end instead, where the checkpoints cost little.
      if (!run) await drop();
    }),
  };
}

/**
 * Drops the databases of test run `run` (the global setup's teardown): a few at a time, so their forced
 * checkpoints coincide. Answers how many it dropped.
 */
export async function dropRunDatabases(url: string, run: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let names: string[];
  try {
    const result = await client.query<{ name: string }>(
      `select datname as name from pg_database where datname like $1`,
      [`lessor_test_${run}_%`],
    );
    names = result.rows.map((row) => row.name);
  } finally {
    await client.end();
  }
  const queue = [...names];
  const dropOne = async (): Promise<void> => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`drop database if exists ${name} with (force)`);
      } finally {
        await admin.end();
      }
    }
  };
  await Promise.all([1, 2, 3, 4].map(dropOne));
  return names.length;
}

/** CREATE DATABASE, from `template` when given; retried while the template still has a session (55006). */
async function createDatabase(name: string, template: string | undefined): Promise<void> {
  const statement = template ? `create database ${name} template ${template}` : `create database ${name}`;
  for (let attempt = 1; ; attempt += 1) {
    try {
      await asAdmin(statement);
      return;
    } catch (error) {
      // The builder's sessions to the template end just after its pool closes; a psql left open on it stays.
      if ((error as { code?: string }).code !== '55006' || attempt === 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
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
