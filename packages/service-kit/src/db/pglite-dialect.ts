import { PGlite, types } from '@electric-sql/pglite';
import type { Results } from '@electric-sql/pglite';
import {
  AbortedTransactionError,
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import type { DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from 'kysely';

/**
 * The one PGlite instance of an embedded process, shared by every service in it. PGlite has a single session,
 * so the instance is handed out as a lock: whoever holds it owns the session until release. A transaction
 * therefore runs alone from BEGIN to COMMIT; without this, a second service's ROLLBACK on the same session
 * discarded rows the first had already "committed" (STACK.md).
 */
export interface EmbeddedPglite {
  /** Waits for the session, points `search_path` at `schema`, and holds the session until `release()`. */
  acquire(schema: string): Promise<PgliteSession>;
  /** A tarball of the data directory; `openEmbeddedPglite({ snapshot })` starts from it without initdb. */
  dumpDataDir(): Promise<Blob>;
  /** Waits for the current holder, then closes the instance for everyone. */
  close(): Promise<void>;
}

/** The session of the shared instance, held by one service at a time. */
export interface PgliteSession {
  query<R>(sql: string, parameters: readonly unknown[]): Promise<Results<R>>;
  release(): Promise<void>;
}

/**
 * Opens the process's PGlite instance: in memory when `dataDir` is undefined. `snapshot` (a `dumpDataDir()`
 * tarball) seeds a new instance in ~0.9 s instead of running initdb (~3 s).
 */
export async function openEmbeddedPglite(options: {
  dataDir?: string;
  snapshot?: Blob;
}): Promise<EmbeddedPglite> {
  const pglite = await PGlite.create({
    ...(options.dataDir === undefined ? {} : { dataDir: options.dataDir }),
    ...(options.snapshot === undefined ? {} : { loadDataDir: options.snapshot }),
    // Read values as node-postgres does, so service code sees the same types on both engines: int8 as a string
    // (it can exceed 2^53), and a business date as its 'YYYY-MM-DD' text rather than a midnight Date.
    parsers: { [types.INT8]: (text: string) => text, [types.DATE]: (text: string) => text },
    // After a recovery at start (a snapshot, or a data dir after a crash), Postgres leaves its startup-progress
    // log timer running, and that timer kept the Node process from ever exiting on its own.
    startParams: [...PGlite.defaultStartParams, '-c', 'log_startup_progress_interval=0'],
  });
  return new SharedPglite(pglite);
}

class SharedPglite implements EmbeddedPglite {
  readonly #pglite: PGlite;
  #queue: Promise<void> = Promise.resolve();
  // The session's search_path, so a service switches it only when the previous holder worked in another schema.
  #searchPath: string | undefined;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async acquire(schema: string): Promise<PgliteSession> {
    const unlock = await this.#lock();
    const pglite = this.#pglite;
    try {
      if (this.#searchPath !== schema) {
        await pglite.exec(`set search_path to ${quoteIdentifier(schema)}`);
        this.#searchPath = schema;
      }
    } catch (error) {
      unlock();
      throw error;
    }
    let released = false;
    return {
      query: <R>(text: string, parameters: readonly unknown[]) => {
        if (released) return Promise.reject(new Error('The PGlite session was used after its release'));
        // Without parameters node-postgres uses the simple protocol, which allows several statements; so do we.
        return parameters.length === 0
          ? pglite.exec(text).then((results) => (results.at(-1) ?? { rows: [], fields: [] }) as Results<R>)
          : pglite.query<R>(text, [...parameters]);
      },
      release: async () => {
        if (released) return;
        released = true;
        try {
          // A holder that left a transaction open must not hand it to the next service.
          if (pglite.isInTransaction()) await pglite.exec('rollback');
        } finally {
          unlock();
        }
      },
    };
  }

  async dumpDataDir(): Promise<Blob> {
    const unlock = await this.#lock();
    try {
      return await this.#pglite.dumpDataDir('none');
    } finally {
      unlock();
    }
  }

  async close(): Promise<void> {
    const unlock = await this.#lock();
    try {
      if (!this.#pglite.closed) await this.#pglite.close();
    } finally {
      unlock();
    }
  }

  /** A FIFO lock: each caller waits for the previous holder's release. */
  async #lock(): Promise<() => void> {
    let unlock!: () => void;
    const held = new Promise<void>((resolve) => (unlock = resolve));
    const previous = this.#queue;
    this.#queue = previous.then(() => held);
    await previous;
    return unlock;
  }
}

/** A Kysely dialect over the shared instance: every connection is the instance's lock, taken for `schema`. */
export function pgliteDialect(pglite: EmbeddedPglite, schema: string): Dialect {
  return {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new PgliteDriver(pglite, schema),
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  };
}

class PgliteDriver implements Driver {
  #destroyed = false;

  constructor(
    private readonly pglite: EmbeddedPglite,
    private readonly schema: string,
  ) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    if (this.#destroyed) throw new Error(`The database handle of schema ${this.schema} is closed`);
    return new PgliteConnection(await this.pglite.acquire(this.schema));
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const mode = [
      settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
      settings.accessMode ?? '',
    ].join(' ');
    await connection.executeQuery(CompiledQuery.raw(`start transaction ${mode}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const { rows } = await connection.executeQuery<{ command: string }>(CompiledQuery.raw('commit'));
    // COMMIT of a transaction an error aborted answers ROLLBACK: the caller must not believe it committed.
    if (rows[0]?.command === 'ROLLBACK') throw new AbortedTransactionError();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async savepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`savepoint ${quoteIdentifier(name)}`));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`rollback to savepoint ${quoteIdentifier(name)}`));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`release savepoint ${quoteIdentifier(name)}`));
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await (connection as PgliteConnection).session.release();
  }

  // Closing one service's handle leaves the shared instance open: EmbeddedPglite.close() is the owner's call.
  async destroy(): Promise<void> {
    this.#destroyed = true;
  }
}

class PgliteConnection implements DatabaseConnection {
  constructor(readonly session: PgliteSession) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const result = await this.session.query<R>(query.sql, query.parameters);
    if (result.command === 'COMMIT' || result.command === 'ROLLBACK') {
      return { rows: [{ command: result.command } as R] };
    }
    const changes = ['INSERT', 'UPDATE', 'DELETE', 'MERGE'].includes(result.command ?? '');
    return {
      rows: result.rows,
      ...(changes ? { numAffectedRows: BigInt(result.affectedRows ?? 0) } : {}),
    };
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('Streaming queries are not supported on PGlite (nor configured on PostgreSQL)');
  }
}

/** Double-quotes an SQL identifier. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
