import { AsyncLocalStorage } from 'node:async_hooks';
import { CompiledQuery } from 'kysely';
import type { DatabaseConnection, Dialect, Driver, Kysely, TransactionSettings } from 'kysely';

/**
 * The request's transaction: one database transaction that holds everything a request writes, committed only when
 * its answer is known, so the answer can be stored with the effect (Idempotency-Key, ADR 8). Service code does not
 * change: inside a request that holds one, every query on the service's database runs on the held connection, and
 * each `db.transaction()` becomes a savepoint of it (its rollback undoes its part only, as before).
 */
interface RequestScope {
  driver: RequestTransactionDriver | undefined;
  /** The held connection, once the transaction is open. */
  connection: DatabaseConnection | undefined;
  savepoints: number;
  ended: boolean;
}

/** The request's transaction, held by the code that answers the request (the kit's idempotency hooks). */
export interface RequestTransaction {
  /** True while its transaction is open (from `holdRequestTransaction` until `end`). */
  readonly open: boolean;
  /** Commits or rolls back what the request wrote; its later queries (if any) use the pool as usual. */
  end(outcome: 'commit' | 'rollback'): Promise<void>;
}

const scopes = new AsyncLocalStorage<RequestScope>();
const driverOfDialect = new WeakMap<Dialect, RequestTransactionDriver>();
const driverOfDb = new WeakMap<object, RequestTransactionDriver>();
const holder = new WeakMap<DatabaseConnection, RequestScope>();

/** Wraps a dialect so that its database can hold request transactions; `attachRequestTransactions` names its db. */
export function requestTransactionDialect(dialect: Dialect): Dialect {
  const wrapped: Dialect = {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => {
      const driver = new RequestTransactionDriver(dialect.createDriver());
      driverOfDialect.set(wrapped, driver);
      return driver;
    },
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
  return wrapped;
}

/** Remembers which driver serves `db` (built on a `requestTransactionDialect`), for `holdRequestTransaction`. */
export function attachRequestTransactions(db: Kysely<unknown>, dialect: Dialect): void {
  const driver = driverOfDialect.get(dialect);
  if (driver) driverOfDb.set(db, driver);
}

/** True when `db` can hold request transactions (it was opened by `openDatabase`). */
export function supportsRequestTransactions(db: Kysely<unknown>): boolean {
  return driverOfDb.has(db);
}

/** Runs `next` (the rest of a request's lifecycle) in a scope that can hold a request transaction. */
export function enterRequestScope(next: () => void): void {
  scopes.run({ driver: undefined, connection: undefined, savepoints: 0, ended: false }, next);
}

/**
 * Makes the current request's queries on `db` share one transaction until `end`, opened at once: a connection per
 * request, held from the start, so an advisory lock taken in it lives exactly as long as the request's work.
 * Undefined outside a request scope.
 */
export async function holdRequestTransaction(db: Kysely<unknown>): Promise<RequestTransaction | undefined> {
  const scope = scopes.getStore();
  const driver = driverOfDb.get(db);
  if (!scope || !driver || scope.driver) return undefined;
  scope.driver = driver;
  await driver.open(scope, await driver.inner.acquireConnection());
  return {
    get open() {
      return scope.connection !== undefined;
    },
    end: (outcome) => driver.end(scope, outcome),
  };
}

class RequestTransactionDriver implements Driver {
  constructor(readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const scope = this.#scope();
    if (scope?.connection) return scope.connection;
    return this.inner.acquireConnection();
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    if (holder.has(connection)) return;
    await this.inner.releaseConnection(connection);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const inner = connection;
    const scope = holder.get(inner);
    if (!scope) return this.inner.beginTransaction(inner, settings);
    scope.savepoints += 1;
    await this.#savepoint(inner, 'savepoint', scope.savepoints);
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const inner = connection;
    const scope = holder.get(inner);
    if (!scope) return this.inner.commitTransaction(inner);
    const depth = scope.savepoints;
    try {
      await this.#savepoint(inner, 'release savepoint', depth);
    } catch (error) {
      // A statement of this part failed and the service caught it: undo the part, as a failed commit would.
      await this.#savepoint(inner, 'rollback to savepoint', depth).catch(() => undefined);
      throw error;
    } finally {
      scope.savepoints = depth - 1;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const inner = connection;
    const scope = holder.get(inner);
    if (!scope) return this.inner.rollbackTransaction(inner);
    const depth = scope.savepoints;
    try {
      await this.#savepoint(inner, 'rollback to savepoint', depth);
      await this.#savepoint(inner, 'release savepoint', depth);
    } finally {
      scope.savepoints = depth - 1;
    }
  }

  async savepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['savepoint']>>[2],
  ): Promise<void> {
    await this.inner.savepoint!(connection, name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['rollbackToSavepoint']>>[2],
  ): Promise<void> {
    await this.inner.rollbackToSavepoint!(connection, name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: Parameters<NonNullable<Driver['releaseSavepoint']>>[2],
  ): Promise<void> {
    await this.inner.releaseSavepoint!(connection, name, compile);
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }

  /** Begins the request's transaction on `connection`, which the request holds from now until `end`. */
  async open(scope: RequestScope, connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.beginTransaction(connection, {});
    } catch (error) {
      await this.inner.releaseConnection(connection);
      throw error;
    }
    holder.set(connection, scope);
    scope.connection = connection;
  }

  async end(scope: RequestScope, outcome: 'commit' | 'rollback'): Promise<void> {
    scope.ended = true;
    const connection = scope.connection;
    if (!connection) return;
    scope.connection = undefined;
    try {
      if (outcome === 'commit') await this.inner.commitTransaction(connection);
      else await this.inner.rollbackTransaction(connection);
    } finally {
      holder.delete(connection);
      await this.inner.releaseConnection(connection);
    }
  }

  #scope(): RequestScope | undefined {
    const scope = scopes.getStore();
    return scope && scope.driver === this && !scope.ended ? scope : undefined;
  }

  async #savepoint(connection: DatabaseConnection, command: string, depth: number): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(`${command} lessor_request_${depth}`));
  }
}
