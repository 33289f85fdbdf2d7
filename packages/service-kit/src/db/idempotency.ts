import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** The answer replayed to a retry of a completed request. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What the store found for a key: go ahead, wait, refuse a reuse, or replay the stored answer. */
export type IdempotencyBegin =
  | { state: 'new' }
  | { state: 'in-flight' }
  | { state: 'mismatch' }
  | { state: 'completed'; response: StoredResponse };

/**
 * The Idempotency-Key store over the kit's `idempotency_keys` table (in the service's schema). `scope` keeps keys
 * per caller (e.g. the actor id): two callers may pick the same key. Times come from the database, so replicas with
 * skewed clocks agree. A key's answer is written by `complete` in the transaction of the request's effect (the
 * request transaction, ADR 8), so a key is either unused or completed with its answer, whatever crashes when.
 *
 * Who is working on a key: `lock` takes a transaction-level advisory lock in the request's transaction. It lives
 * exactly as long as that transaction: a process killed mid-request loses its connection, and the lock goes with it
 * at once. (An in-flight row, left by the PGlite claims of an earlier release, counts as unused under the lock.)
 */
export interface IdempotencyStore {
  /** In the request's transaction: true when this request now holds `key`, false when another does. */
  lock(key: string, scope: string): Promise<boolean>;
  /** What a request with `fingerprint` (a hash of method, path and body) finds for `key`, without claiming it. */
  find(key: string, scope: string, fingerprint: string): Promise<IdempotencyBegin>;
  /**
   * Stores the answer of the request that holds `key`, in the caller's (the request's) transaction. Returns the
   * answer stored before when another request completed the key first: the caller must roll back and replay it.
   */
  complete(
    key: string,
    scope: string,
    fingerprint: string,
    response: StoredResponse,
  ): Promise<StoredResponse | undefined>;
  /**
   * Deletes keys older than the retention, `batchSize` rows per statement (`skip locked`: replicas purging at once
   * do not wait on each other); returns how many. `installIdempotency` runs it hourly.
   */
  purgeExpired(batchSize?: number): Promise<number>;
}

interface KeyRow {
  fingerprint: string;
  state: string;
  status: number;
  headers: Record<string, string>;
  body: string;
  expired: boolean;
}

export function createIdempotencyStore<DB>(
  db: Kysely<DB>,
  options: { retentionHours?: number } = {},
): IdempotencyStore {
  const retentionSeconds = (options.retentionHours ?? 24) * 3600;

  async function read(key: string, scope: string): Promise<KeyRow | undefined> {
    const found = await sql<KeyRow>`
      select fingerprint, state, response_status as status, response_headers as headers, response_body as body,
        created_at < now() - make_interval(secs => ${retentionSeconds}) as expired
      from idempotency_keys where scope = ${scope} and key = ${key}`.execute(db);
    return found.rows[0];
  }

  function judge(row: KeyRow | undefined, fingerprint: string): IdempotencyBegin {
    // A key past its retention counts as never used; an in-flight row is judged by the caller (`find`).
    if (!row || row.expired) return { state: 'new' };
    if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (row.state === 'completed') {
      return { state: 'completed', response: { status: row.status, headers: row.headers, body: row.body } };
    }
    return { state: 'in-flight' };
  }

  return {
    async lock(key, scope) {
      const result = await sql<{ locked: boolean }>`
        select pg_try_advisory_xact_lock(hashtextextended(${`lessor.idempotency\n${scope}\n${key}`}, 0)) as locked`.execute(
        db,
      );
      return result.rows[0]?.locked === true;
    },
    async find(key, scope, fingerprint) {
      const judged = judge(await read(key, scope), fingerprint);
      // Under the lock no one else works on the key: an in-flight row is a dead claim (of an earlier release).
      return judged.state === 'in-flight' ? { state: 'new' } : judged;
    },
    async complete(key, scope, fingerprint, response) {
      const stored = await sql`
        insert into idempotency_keys
          (scope, key, fingerprint, state, response_status, response_headers, response_body)
        values (${scope}, ${key}, ${fingerprint}, 'completed', ${response.status},
          ${JSON.stringify(response.headers)}::jsonb, ${response.body})
        on conflict (scope, key) do update
        set fingerprint = excluded.fingerprint, state = 'completed', owner = null,
          response_status = excluded.response_status, response_headers = excluded.response_headers,
          response_body = excluded.response_body,
          created_at = case when idempotency_keys.state = 'completed' then now() else idempotency_keys.created_at end
        where idempotency_keys.state = 'in-flight'
          or idempotency_keys.created_at < now() - make_interval(secs => ${retentionSeconds})
        returning key`.execute(db);
      if (stored.rows.length > 0) return undefined;
      const row = await read(key, scope);
      return row ? { status: row.status, headers: row.headers, body: row.body } : undefined;
    },
    async purgeExpired(batchSize = 1000) {
      let deleted = 0;
      for (;;) {
        const result = await sql`
          delete from idempotency_keys where (scope, key) in (
            select scope, key from idempotency_keys
            where created_at < now() - make_interval(secs => ${retentionSeconds})
            limit ${batchSize} for update skip locked)`.execute(db);
        const count = Number(result.numAffectedRows ?? 0n);
        deleted += count;
        if (count < batchSize) return deleted;
      }
    },
  };
}
