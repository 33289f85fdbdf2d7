import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/** The answer replayed to a retry of a completed request. */
export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What `begin` found for a key: go ahead, wait, refuse a reuse, or replay the stored answer. */
export type IdempotencyBegin =
  | { state: 'new' }
  | { state: 'in-flight' }
  | { state: 'mismatch' }
  | { state: 'completed'; response: StoredResponse };

export interface IdempotencyStore {
  /** Claims `key` for this request (`fingerprint`: a hash of method, route and body) or reports who has it. */
  begin(key: string, scope: string, fingerprint: string): Promise<IdempotencyBegin>;
  /** Stores the answer of the request that claimed `key`, for its retries. */
  complete(key: string, scope: string, response: StoredResponse): Promise<void>;
  /** Releases `key` without an answer (the request failed), so a retry runs it again. */
  abandon(key: string, scope: string): Promise<void>;
  /** Deletes keys older than the retention; returns how many. Run it from a periodic job. */
  purgeExpired(): Promise<number>;
}

/**
 * The Idempotency-Key store over the kit's `idempotency_keys` table (in the service's schema). `scope` keeps
 * keys per caller (e.g. the actor id): two callers may pick the same key. Times come from the database, so
 * replicas with skewed clocks agree.
 */
export function createIdempotencyStore<DB>(
  db: Kysely<DB>,
  options: { inFlightTimeoutMs?: number; retentionHours?: number } = {},
): IdempotencyStore {
  const inFlightSeconds = (options.inFlightTimeoutMs ?? 60_000) / 1000;
  const retentionSeconds = (options.retentionHours ?? 24) * 3600;

  async function begin(key: string, scope: string, fingerprint: string): Promise<IdempotencyBegin> {
    // Atomic claim: of racing requests with one key, exactly one inserts the row.
    const inserted = await sql`
      insert into idempotency_keys (scope, key, fingerprint, state)
      values (${scope}, ${key}, ${fingerprint}, 'in-flight')
      on conflict do nothing
      returning key`.execute(db);
    if (inserted.rows.length > 0) return { state: 'new' };

    // Take over a claim whose request died (its process crashed before complete or abandon, so the row would
    // say in-flight forever), or a key past its retention, which counts as never used. The conditions are
    // re-checked under the row lock, so of two racing take-overs only one matches.
    const takenOver = await sql`
      update idempotency_keys
      set fingerprint = ${fingerprint}, state = 'in-flight', started_at = now(), created_at = now(),
          response_status = null, response_headers = null, response_body = null
      where scope = ${scope} and key = ${key}
        and ((state = 'in-flight' and fingerprint = ${fingerprint}
              and started_at < now() - make_interval(secs => ${inFlightSeconds}))
          or created_at < now() - make_interval(secs => ${retentionSeconds}))
      returning key`.execute(db);
    if (takenOver.rows.length > 0) return { state: 'new' };

    const found = await sql<{
      fingerprint: string;
      state: string;
      status: number;
      headers: Record<string, string>;
      body: string;
    }>`
      select fingerprint, state, response_status as status, response_headers as headers, response_body as body
      from idempotency_keys where scope = ${scope} and key = ${key}`.execute(db);
    const row = found.rows[0];
    // Purged or abandoned between our statements: claim it afresh.
    if (!row) return begin(key, scope, fingerprint);
    if (row.fingerprint !== fingerprint) return { state: 'mismatch' };
    if (row.state === 'completed') {
      return { state: 'completed', response: { status: row.status, headers: row.headers, body: row.body } };
    }
    return { state: 'in-flight' };
  }

  return {
    begin,
    async complete(key, scope, response) {
      await sql`
        update idempotency_keys
        set state = 'completed', response_status = ${response.status},
            response_headers = ${JSON.stringify(response.headers)}::jsonb, response_body = ${response.body}
        where scope = ${scope} and key = ${key}`.execute(db);
    },
    async abandon(key, scope) {
      await sql`delete from idempotency_keys where scope = ${scope} and key = ${key} and state = 'in-flight'`.execute(
        db,
      );
    },
    async purgeExpired() {
      const result = await sql`
        delete from idempotency_keys
        where created_at < now() - make_interval(secs => ${retentionSeconds})`.execute(db);
      return Number(result.numAffectedRows ?? 0n);
    },
  };
}
