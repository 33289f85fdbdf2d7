import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Fastify from 'fastify';
import { eventually } from '@lessor/events/testing';
import { createIdempotencyStore } from '../src/db/index.ts';
import { installIdempotency } from '../src/http/idempotency.ts';
import { enterRequestScope, holdRequestTransaction } from '../src/db/request-transaction.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

class RolledBack extends Error {}

const response = { status: 201, headers: { etag: '"1"', location: '/v1/invoices/1' }, body: '{"id":"1"}' };

/** Runs `work` as a request would: in a request scope, where the kit's hooks can hold its transaction. */
function inRequest<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => enterRequestScope(() => void work().then(resolve, reject)));
}

describe.each(testBackends())('the idempotency store on %s', (backend) => {
  let database: TestDatabase<unknown>;
  let keyNumber = 0;
  const freshKey = () => `key-${(keyNumber += 1)}`;

  beforeAll(async () => {
    database = await createTestDatabase<unknown>(backend, { schema: 'billing', migrations: [] });
    await sql`create table notes (text text primary key)`.execute(database.db);
  });
  afterAll(async () => {
    await database?.dispose();
  });

  const notes = async () =>
    (await sql<{ text: string }>`select text from notes order by text`.execute(database.db)).rows.map(
      (row) => row.text,
    );

  /** Runs `work` in a transaction of its own, as a request holding its key does; rolls back unless `commit`. */
  async function holding<T>(
    work: (store: ReturnType<typeof createIdempotencyStore>) => Promise<T>,
    outcome: 'commit' | 'rollback' = 'rollback',
  ): Promise<T> {
    let result!: T;
    await database.db
      .transaction()
      .execute(async (trx) => {
        result = await work(createIdempotencyStore(trx));
        if (outcome === 'rollback') throw new RolledBack();
      })
      .catch((error: unknown) => {
        if (!(error instanceof RolledBack)) throw error;
      });
    return result;
  }

  it('should answer new, then in-flight while the first holds the key, then the stored response', async () => {
    const key = freshKey();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const first = holding(async (store) => {
      expect(await store.lock(key, 'alice')).toBe(true);
      expect(await store.find(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'new' });
      locked();
      await released;
      expect(await store.complete(key, 'alice', 'POST /v1/invoices #1', response)).toBeUndefined();
    }, 'commit');
    await isLocked;
    expect(await holding((store) => store.lock(key, 'alice'))).toBe(false);
    release();
    await first;
    const store = createIdempotencyStore(database.db);
    expect(await store.find(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'completed', response });
  });

  it('should answer mismatch when a key comes back with another request', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.complete(key, 'alice', 'fingerprint A', response);
    expect(await store.find(key, 'alice', 'fingerprint B')).toEqual({ state: 'mismatch' });
  });

  it('should keep keys apart when two callers pick the same key', async () => {
    const key = freshKey();
    await holding(async (alice) => {
      expect(await alice.lock(key, 'alice')).toBe(true);
      expect(await holding((bob) => bob.lock(key, 'bob'))).toBe(true);
    });
  });

  it('should let a retry run again when the first attempt rolled back', async () => {
    const key = freshKey();
    await holding(async (store) => {
      expect(await store.lock(key, 'alice')).toBe(true);
      await store.complete(key, 'alice', 'F', response);
    });
    await holding(async (store) => {
      expect(await store.lock(key, 'alice')).toBe(true);
      expect(await store.find(key, 'alice', 'F')).toEqual({ state: 'new' });
    });
  });

  it('should count an in-flight row of an earlier release as unused once the key is locked', async () => {
    const key = freshKey();
    await sql`insert into idempotency_keys (scope, key, fingerprint, state, owner)
      values ('alice', ${key}, 'F', 'in-flight', 'a PGlite process of an earlier release')`.execute(
      database.db,
    );
    await holding(async (store) => {
      expect(await store.lock(key, 'alice')).toBe(true);
      expect(await store.find(key, 'alice', 'F')).toEqual({ state: 'new' });
      expect(await store.complete(key, 'alice', 'F', response)).toBeUndefined();
    }, 'commit');
    expect(await createIdempotencyStore(database.db).find(key, 'alice', 'F')).toEqual({
      state: 'completed',
      response,
    });
  });

  it('should give the answer stored first to a second completion, and store nothing of its own', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    expect(await store.complete(key, 'alice', 'F', response)).toBeUndefined();
    const other = { status: 201, headers: {}, body: '{"id":"2"}' };
    expect(await store.complete(key, 'alice', 'F', other)).toEqual(response);
    expect(await store.find(key, 'alice', 'F')).toEqual({ state: 'completed', response });
  });

  it('should treat a key past its retention as unused and purge it', async () => {
    const store = createIdempotencyStore(database.db, { retentionHours: 1 });
    const [reused, purged] = [freshKey(), freshKey()];
    for (const key of [reused, purged]) await store.complete(key, 'alice', 'old request', response);
    await sql`update idempotency_keys set created_at = now() - interval '2 hours' where key in (${reused}, ${purged})`.execute(
      database.db,
    );
    expect(await store.find(reused, 'alice', 'new request')).toEqual({ state: 'new' });
    expect(await store.complete(reused, 'alice', 'new request', response)).toBeUndefined();
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.find(purged, 'alice', 'new request')).toEqual({ state: 'new' });
  });

  it('should purge expired keys in batches from a job that runs while the service is up', async () => {
    const store = createIdempotencyStore(database.db);
    const keys = [freshKey(), freshKey(), freshKey()];
    const kept = freshKey();
    for (const key of [...keys, kept]) await store.complete(key, 'bob', 'request', response);
    await sql`update idempotency_keys set created_at = now() - interval '25 hours' where key in (${sql.join(keys)})`.execute(
      database.db,
    );
    const app = Fastify({ logger: false });
    installIdempotency(app, database, { firstAfterMs: 10, everyMs: 60_000 });
    await app.ready();
    try {
      await eventually(async () => {
        const left = await sql<{ key: string }>`select key from idempotency_keys where scope = 'bob'`.execute(
          database.db,
        );
        expect(left.rows.map((row) => row.key)).toEqual([kept]);
        return true;
      });
    } finally {
      await app.close();
    }
    await sql`update idempotency_keys set created_at = now() - interval '25 hours' where key = ${kept}`.execute(
      database.db,
    );
    expect(await store.purgeExpired(1)).toBe(1);
  });

  it('should give the lock of one key to exactly one of four concurrent transactions', async () => {
    const key = freshKey();
    let arrived = 0;
    let allTried!: () => void;
    const tried = new Promise<void>((resolve) => (allTried = resolve));
    const results = await Promise.all(
      Array.from({ length: 4 }, () =>
        holding(async (store) => {
          const locked = await store.lock(key, 'alice');
          if ((arrived += 1) === 4) allTried();
          await tried;
          return locked;
        }),
      ),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('should keep a request’s writes, in and out of its transactions, only when its transaction commits', async () => {
    for (const from of ['now'] as const) {
      for (const outcome of ['commit', 'rollback'] as const) {
        await inRequest(async () => {
          const transaction = (await holdRequestTransaction(database.db))!;
          expect(transaction.open).toBe(true);
          await sql`select count(*) from notes`.execute(database.db);
          await database.db.transaction().execute(async (trx) => {
            await sql`insert into notes values (${`${from} ${outcome} in a transaction`})`.execute(trx);
          });
          expect(transaction.open).toBe(true);
          // A part that fails is undone alone, as its own transaction would have been.
          await expect(
            database.db.transaction().execute(async (trx) => {
              await sql`insert into notes values (${`${from} ${outcome} undone`})`.execute(trx);
              throw new Error('refused');
            }),
          ).rejects.toThrow('refused');
          await sql`insert into notes values (${`${from} ${outcome} alone`})`.execute(database.db);
          // The request reads its own writes.
          expect((await notes()).filter((text) => text.startsWith(`${from} ${outcome}`))).toHaveLength(2);
          await transaction.end(outcome);
        });
      }
    }
    expect(await notes()).toEqual(['now commit alone', 'now commit in a transaction']);
  });

  it('should hold a key’s lock for its request’s transaction only, and free it at once when its session dies', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    let holderPid = 0;
    const holding = inRequest(async () => {
      const transaction = (await holdRequestTransaction(database.db))!;
      expect(await store.lock(key, 'alice')).toBe(true);
      holderPid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!
        .pid;
      // The request's work, until its process is killed.
      await sql`select pg_sleep(60)`.execute(database.db).catch(() => undefined);
      await transaction.end('rollback').catch(() => undefined);
    });
    await expect.poll(() => holderPid).not.toBe(0);
    const tryLock = () =>
      inRequest(async () => {
        const transaction = (await holdRequestTransaction(database.db))!;
        try {
          return await store.lock(key, 'alice');
        } finally {
          await transaction.end('rollback');
        }
      });
    expect(await tryLock()).toBe(false);
    expect(await tryLock()).toBe(false);
    // The holder's process is killed: PostgreSQL ends its session, and its transaction's lock with it.
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query('select pg_terminate_backend($1)', [holderPid]);
    await admin.end();
    const started = Date.now();
    await expect.poll(tryLock, { timeout: 5000, interval: 20 }).toBe(true);
    const freedAfter = Date.now() - started;
    console.info(`a key held by a terminated session was free again after ${freedAfter} ms`);
    expect(freedAfter).toBeLessThan(2000);
    await holding;
  });
});
