import { CamelCasePlugin, Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { attachRequestTransactions, requestTransactionDialect } from './request-transaction.ts';

/** A service's handle on its own schema in its own PostgreSQL database. */
export interface Database<DB> {
  /** Kysely with CamelCasePlugin: snake_case in the database, camelCase in TypeScript. */
  readonly db: Kysely<DB>;
  readonly kind: 'postgres';
  readonly schema: string;
  /** Throws when the database does not answer (readiness). */
  ping(): Promise<void>;
  /** Closes this handle's pool. */
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** The service's schema, named after it (`sso`, `gateway`…). */
  schema: string;
  /** The service's own database (both modes: `npm start` runs its own server). */
  url: string;
  /** PostgreSQL connections in the pool (default 10). */
  poolSize?: number;
  /** An idle PostgreSQL connection failed; the pool has dropped it and reconnects on demand. Log it. */
  onError?: (error: Error) => void;
}

const schemaName = /^[a-z][a-z0-9_]*$/;

/**
 * Opens the service's database at `url`. Every query runs with `search_path` set to the service's schema, which is
 * created when missing.
 */
export async function openDatabase<DB>(options: OpenDatabaseOptions): Promise<Database<DB>> {
  const { schema } = options;
  if (!schemaName.test(schema))
    throw new Error(`Schema name ${JSON.stringify(schema)} must match ${schemaName}`);
  // Able to hold a request's writes in one transaction with its stored answer (Idempotency-Key, ADR 8).
  const dialect = requestTransactionDialect(
    new PostgresDialect({ pool: createPool(options.url, schema, options) }),
  );
  const db = new Kysely<DB>({ dialect, plugins: [new CamelCasePlugin()] });
  attachRequestTransactions(db as Kysely<unknown>, dialect);
  try {
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  } catch (error) {
    // Two replicas starting together can both pass "if not exists"; the loser's unique violation is harmless.
    if (!isPostgresError(error, '42P06', '23505')) {
      await db.destroy();
      throw error;
    }
  }
  return {
    db,
    kind: 'postgres',
    schema,
    ping: async () => {
      await sql`select 1`.execute(db);
    },
    close: () => db.destroy(),
  };
}

function createPool(url: string, schema: string, options: OpenDatabaseOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    // Set at connection start, so no query (not even the first of a new connection) runs in another schema.
    options: `-c search_path=${schema}`,
    types: { getTypeParser: parserFor },
  });
  // Without a listener an idle connection's error (a restarted server) would crash the process.
  pool.on('error', (error) => options.onError?.(error));
  // Nor may a checked-out one's, e.g. a request's held transaction whose session the server ended: its queries
  // fail, the request answers 5xx, the process lives.
  pool.on('connect', (client) => client.on('error', (error) => options.onError?.(error)));
  return pool;
}

// Business dates stay their 'YYYY-MM-DD' text (node-postgres would make a Date at local midnight).
const DATE_OID = 1082;
const parserFor = ((oid: number, format?: 'text' | 'binary') =>
  oid === DATE_OID
    ? (text: string) => text
    : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser;

/**
 * Creates the PostgreSQL database named in `url` when it does not exist, connecting to the `postgres`
 * maintenance database of the same server. Safe when two replicas race to create it.
 */
export async function ensurePostgresDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  if (name === '') throw new Error('The database URL names no database');
  const maintenance = new URL(url);
  maintenance.pathname = '/postgres';
  const client = new pg.Client({ connectionString: maintenance.toString() });
  await client.connect();
  try {
    const existing = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (existing.rowCount === 0) await client.query(`create database ${quoteIdentifier(name)}`);
  } catch (error) {
    // 42P04 duplicate_database; a simultaneous CREATE DATABASE can also fail on pg_database's unique index.
    if (!isPostgresError(error, '42P04', '23505')) throw error;
  } finally {
    await client.end();
  }
}

/** True when `error` is a database error with one of these SQLSTATE codes. */
export function isPostgresError(error: unknown, ...codes: string[]): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && codes.includes(code);
}

/** `name` as a double-quoted SQL identifier. */
function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
