/* eslint-disable security/detect-non-literal-fs-filename, security/detect-non-literal-require --
   the only paths here are the snapshot in os.tmpdir() and the installed PGlite's package.json, never input. */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { migrate, openDatabase, openEmbeddedPglite } from '../db/index.ts';
import type { Database, EmbeddedPglite, Migration } from '../db/index.ts';

/** The database engines an integration test runs against. */
export type Backend = 'pglite' | 'postgres';

/** A fresh database for one test file; `dispose()` removes it. */
export type TestDatabase<DB> = Database<DB> & {
  /** PostgreSQL: the database's URL, to open a second handle as another replica would. */
  readonly url?: string;
  /** PGlite: the shared instance, to open a second handle (`openDatabase({ pglite, schema })`). */
  readonly pglite?: EmbeddedPglite;
  dispose(): Promise<void>;
};

const require = createRequire(import.meta.url);
const adminUrl = process.env.LESSOR_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
let backends: Backend[] | undefined;

/**
 * The backends to run integration tests on: always `pglite`, plus `postgres` when it answers at
 * LESSOR_TEST_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres). When it does not, a test run
 * with REQUIRE_INFRA=1 (CI) fails here; otherwise the tests run on PGlite alone, with a loud warning.
 * Synchronous, so `describe.each(testBackends())` works; decided once per process.
 */
export function testBackends(): Backend[] {
  backends ??= probeBackends();
  return [...backends];
}

function probeBackends(): Backend[] {
  // A child process answers synchronously; the probe is a real query, not just an open port.
  const probe = `const { Client } = require(${JSON.stringify(require.resolve('pg'))});
    const client = new Client({ connectionString: process.argv[1], connectionTimeoutMillis: 3000 });
    client.connect().then(() => client.query('select 1')).then(() => client.end())
      .then(() => process.exit(0), (error) => { console.error(error.message); process.exit(1); });`;
  const result = spawnSync(process.execPath, ['-e', probe, adminUrl], { encoding: 'utf8', timeout: 10_000 });
  if (result.status === 0) return ['pglite', 'postgres'];
  const where = redact(adminUrl);
  const reason = (result.stderr || result.error?.message || 'no answer').trim();
  if (process.env.REQUIRE_INFRA === '1') {
    throw new Error(`REQUIRE_INFRA=1 but PostgreSQL does not answer at ${where} (${reason})`);
  }
  const line = '!'.repeat(100);
  console.warn(
    `\n${line}\n!!! PostgreSQL does not answer at ${where} (${reason}).\n` +
      '!!! Integration tests run on PGlite ONLY. Start PostgreSQL or set LESSOR_TEST_DATABASE_URL;\n' +
      `!!! set REQUIRE_INFRA=1 to make this an error (CI does).\n${line}\n`,
  );
  return ['pglite'];
}

/**
 * A fresh database for a test file, with the service's `schema` (and `migrations` applied, kit's first, when
 * given). PostgreSQL: a new database `lessor_test_<random>`, dropped on dispose. PGlite: a new schema in an
 * instance shared by the test process (as in embedded mode), dropped on dispose; the process's first instance
 * starts from a snapshot cached in the temp directory (~0.9 s and ~500 MB, instead of ~3.5 s and ~950 MB for
 * initdb), later test databases take ~10-100 ms.
 */
export async function createTestDatabase<DB>(
  backend: Backend,
  options: { schema: string; migrations?: readonly Migration[] },
): Promise<TestDatabase<DB>> {
  const database =
    backend === 'postgres'
      ? await createPostgres<DB>(options.schema)
      : await createPglite<DB>(options.schema);
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
  const url = new URL(adminUrl);
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
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

// PGlite instances of this test process, each with the schemas of its open test databases. An instance costs
// seconds and hundreds of MB, a schema milliseconds: a test database takes a new schema in the first instance
// that does not have that schema open, and a new instance only when all do (two open `sso` databases).
// Instances stay open until the process exits, for the next test database.
const instances: { pglite: Promise<EmbeddedPglite>; schemas: Set<string> }[] = [];

async function createPglite<DB>(schema: string): Promise<TestDatabase<DB>> {
  let instance = instances.find((candidate) => !candidate.schemas.has(schema));
  if (!instance) {
    const opened = { pglite: openSharedInstance(), schemas: new Set<string>() };
    opened.pglite.catch(() => {
      const index = instances.indexOf(opened);
      if (index >= 0) instances.splice(index, 1);
    });
    instances.push(opened);
    instance = opened;
  }
  const { schemas } = instance;
  schemas.add(schema);
  try {
    const pglite = await instance.pglite;
    const database = await openDatabase<DB>({ pglite, schema });
    return {
      ...database,
      pglite,
      dispose: once(async () => {
        try {
          await database.close();
          // On the instance itself, so it works even when the test closed its handle already.
          const session = await pglite.acquire(schema);
          try {
            await session.query(`drop schema if exists "${schema}" cascade`, []);
          } finally {
            await session.release();
          }
        } finally {
          schemas.delete(schema);
        }
      }),
    };
  } catch (error) {
    schemas.delete(schema);
    throw error;
  }
}

async function openSharedInstance(): Promise<EmbeddedPglite> {
  const file = join(tmpdir(), `lessor-test-pglite-${pgliteVersion()}.tar`);
  try {
    return await openEmbeddedPglite({ snapshot: new Blob([await readFile(file)]) });
  } catch {
    // No snapshot yet (or an unreadable one): run initdb once and leave a snapshot for the next test process.
  }
  const pglite = await openEmbeddedPglite({});
  const snapshot = await pglite.dumpDataDir();
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, new Uint8Array(await snapshot.arrayBuffer()));
  await rename(temporary, file); // atomic: a parallel test process reads the old file or the whole new one
  return pglite;
}

function pgliteVersion(): string {
  const packageJson = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (require(packageJson) as { version: string }).version;
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
