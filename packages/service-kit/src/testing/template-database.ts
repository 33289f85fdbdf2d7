import { createHash } from 'node:crypto';
import pg from 'pg';
import { kitMigrations, migrate, openDatabase } from '../db/index.ts';
import type { Migration } from '../db/index.ts';

/** A schema of a test database and the migrations that build it (the kit's run first, as `migrate` does). */
export interface SchemaMigrations {
  schema: string;
  migrations: readonly Migration[];
}

const PREFIX = 'lessor_template_';
const built = new Map<string, Promise<string>>();

/**
 * The name of a database on the test server that holds these schemas already migrated, built once and then
 * cloned by `CREATE DATABASE … TEMPLATE` for each test file instead of migrating again (a clone costs what an
 * empty CREATE DATABASE costs; migrating a service costs 0.3–0.7 s more, eight of them for a booted system).
 *
 * The name is a hash of the schemas and of each migration's name and code (the kit's too), so a changed
 * migration gets a new template and an old one is never used by mistake. Templates stay on the server between
 * runs (a second run clones at once); test workers and concurrent runs building the same template take turns
 * on an advisory lock, and a template is published (marked `datistemplate`) only once it is complete, so a
 * half-built one left by a killed run is rebuilt. A template no run has cloned for a week is dropped by the
 * global setup (`dropStaleTemplates`).
 */
export async function migratedTemplate(
  adminUrl: string,
  schemas: readonly SchemaMigrations[],
): Promise<string> {
  const name = templateName(schemas);
  let pending = built.get(name);
  if (!pending) {
    pending = build(adminUrl, name, schemas);
    built.set(name, pending);
    pending.catch(() => built.delete(name));
  }
  return pending;
}

/** `lessor_template_<hash>`: the same schemas and migration code give the same name in every process. */
export function templateName(schemas: readonly SchemaMigrations[]): string {
  const hash = createHash('sha256');
  for (const { schema, migrations } of schemas) {
    hash.update(`schema ${schema}\n`);
    for (const migration of [...kitMigrations, ...migrations.filter((m) => !kitMigrations.includes(m))]) {
      hash.update(`${migration.name}\n${migration.up.toString()}\n`);
    }
  }
  return `${PREFIX}${hash.digest('hex').slice(0, 32)}`;
}

/** Forgets a template this process built or found, after a clone found it gone (dropped as stale meanwhile). */
export function forgetTemplate(name: string): void {
  built.delete(name);
}

/**
 * Drops the templates no run has cloned for `days` (the global setup calls it): a changed migration leaves
 * its old template behind. A run still cloning one it dropped builds it again.
 */
export async function dropStaleTemplates(adminUrl: string, days = 7): Promise<string[]> {
  const admin = new pg.Client({ connectionString: adminUrl });
  // A FATAL answer ends the session: the statement fails, the process lives.
  admin.on('error', () => {});
  await admin.connect();
  try {
    // datconnlimit -2: a database whose DROP was interrupted (PostgreSQL 15+); it can only be dropped.
    const stale = await admin.query<{ name: string; invalid: boolean }>(
      `select d.datname as name, d.datconnlimit = -2 as invalid from pg_database d
       left join pg_shdescription c on c.objoid = d.oid and c.classoid = 'pg_database'::regclass
       where d.datname like $1 and (d.datconnlimit = -2 or d.datistemplate
         and coalesce(substring(c.description from '^last cloned (.*)$')::timestamptz, '-infinity')
           < now() - make_interval(days => $2))`,
      [`${PREFIX}%`, days],
    );
    const dropped: string[] = [];
    for (const { name, invalid } of stale.rows) {
      try {
        if (!invalid) await admin.query(`alter database ${name} with is_template false`);
        await admin.query(`drop database ${name}`);
        dropped.push(name);
      } catch {
        // Being cloned right now (55006), or dropped by a concurrent run: either way, not ours to drop.
      }
    }
    return dropped;
  } finally {
    await admin.end();
  }
}

async function build(adminUrl: string, name: string, schemas: readonly SchemaMigrations[]): Promise<string> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    if (await published(admin, name)) return await touched(admin, name);
    // Advisory locks are per database: every builder holds its lock in the admin database.
    await admin.query('select pg_advisory_lock(hashtext($1))', [name]);
    try {
      if (await published(admin, name)) return await touched(admin, name);
      // A template left half-built by a killed run (not yet published) is started afresh.
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
      const url = new URL(adminUrl);
      url.pathname = `/${name}`;
      for (const { schema, migrations } of schemas) {
        const database = await openDatabase<unknown>({ url: url.toString(), schema, poolSize: 1 });
        try {
          await migrate(database, migrations);
        } finally {
          await database.close();
        }
      }
      await admin.query(`alter database ${name} with is_template true`);
      return await touched(admin, name);
    } finally {
      await admin.query('select pg_advisory_unlock(hashtext($1))', [name]).catch(() => undefined);
    }
  } finally {
    await admin.end();
  }
}

/** Notes when a template was last cloned (once per process), so `dropStaleTemplates` keeps the ones in use. */
async function touched(admin: pg.Client, name: string): Promise<string> {
  await admin.query(`comment on database ${name} is 'last cloned ${new Date().toISOString()}'`);
  return name;
}

async function published(admin: pg.Client, name: string): Promise<boolean> {
  const result = await admin.query('select 1 from pg_database where datname = $1 and datistemplate', [name]);
  return result.rowCount === 1;
}
