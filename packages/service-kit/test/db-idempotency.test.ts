import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdempotencyStore } from '../src/db/index.ts';
import { enterRequestScope, holdRequestTransaction } from '../src/db/request-transaction.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

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

  it('should answer new, then in-flight, then the stored response when a key is claimed again', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    expect(await store.claim(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'new' });
    expect(await store.claim(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'in-flight' });
    expect(await store.complete(key, 'alice', 'POST /v1/invoices #1', response)).toBeUndefined();
    expect(await store.claim(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'completed', response });
    expect(await store.find(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'completed', response });
  });

  it('should answer mismatch when a key comes back with another request', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.claim(key, 'alice', 'fingerprint A');
    expect(await store.claim(key, 'alice', 'fingerprint B')).toEqual({ state: 'mismatch' });
    await store.complete(key, 'alice', 'fingerprint A', response);
    expect(await store.find(key, 'alice', 'fingerprint B')).toEqual({ state: 'mismatch' });
  });

  it('should keep keys apart when two callers pick the same key', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    expect(await store.claim(key, 'alice', 'A')).toEqual({ state: 'new' });
    expect(await store.claim(key, 'bob', 'B')).toEqual({ state: 'new' });
  });

  it('should let a retry run again when the first attempt was abandoned', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.claim(key, 'alice', 'F');
    await store.abandon(key, 'alice');
    expect(await store.claim(key, 'alice', 'F')).toEqual({ state: 'new' });
  });

  it('should not forget a completed answer when abandon comes late', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.claim(key, 'alice', 'F');
    await store.complete(key, 'alice', 'F', response);
    await store.abandon(key, 'alice');
    expect(await store.claim(key, 'alice', 'F')).toEqual({ state: 'completed', response });
  });

  it('should take over at once an in-flight claim of a process that is gone, never one of its own', async () => {
    const dead = createIdempotencyStore(database.db, { owner: 'a process killed mid-request' });
    const alive = createIdempotencyStore(database.db, { owner: 'the process started after it' });
    const key = freshKey();
    expect(await dead.claim(key, 'alice', 'F')).toEqual({ state: 'new' });
    expect(await alive.claim(key, 'alice', 'F')).toEqual({ state: 'new' });
    expect(await alive.claim(key, 'alice', 'F')).toEqual({ state: 'in-flight' });
    expect(await alive.claim(key, 'alice', 'another body')).toEqual({ state: 'mismatch' });
  });

  it('should give the answer stored first to a second completion, and store nothing of its own', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.claim(key, 'alice', 'F');
    expect(await store.complete(key, 'alice', 'F', response)).toBeUndefined();
    const other = { status: 201, headers: {}, body: '{"id":"2"}' };
    expect(await store.complete(key, 'alice', 'F', other)).toEqual(response);
    expect(await store.find(key, 'alice', 'F')).toEqual({ state: 'completed', response });
  });

  it('should treat a key past its retention as unused and purge it', async () => {
    const store = createIdempotencyStore(database.db, { retentionHours: 1 });
    const [reused, purged] = [freshKey(), freshKey()];
    for (const key of [reused, purged]) {
      await store.claim(key, 'alice', 'old request');
      await store.complete(key, 'alice', 'old request', response);
    }
    await sql`update idempotency_keys set created_at = now() - interval '2 hours' where key in (${reused}, ${purged})`.execute(
      database.db,
    );
    expect(await store.find(reused, 'alice', 'new request')).toEqual({ state: 'new' });
    expect(await store.claim(reused, 'alice', 'new request')).toEqual({ state: 'new' });
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.claim(purged, 'alice', 'new request')).toEqual({ state: 'new' });
  });

  it('should answer new to exactly one of 20 concurrent claims of one key', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.claim(key, 'alice', 'same request')),
    );
    expect(results.filter((result) => result.state === 'new')).toHaveLength(1);
    expect(results.filter((result) => result.state === 'in-flight')).toHaveLength(19);
  });

  it('should keep a request’s writes, in and out of its transactions, only when its transaction commits', async () => {
    for (const from of ['now', 'first-write'] as const) {
      for (const outcome of ['commit', 'rollback'] as const) {
        await inRequest(async () => {
          const transaction = (await holdRequestTransaction(database.db, from))!;
          expect(transaction.open).toBe(from === 'now');
          await sql`select count(*) from notes`.execute(database.db);
          expect(transaction.open).toBe(from === 'now');
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
    expect(await notes()).toEqual([
      'first-write commit alone',
      'first-write commit in a transaction',
      'now commit alone',
      'now commit in a transaction',
    ]);
  });

  it.runIf(backend === 'postgres')(
    'should hold a key’s lock for its request’s transaction only, and free it at once when its session dies',
    async () => {
      const store = createIdempotencyStore(database.db);
      const key = freshKey();
      let holderPid = 0;
      const holding = inRequest(async () => {
        const transaction = (await holdRequestTransaction(database.db, 'now'))!;
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
          const transaction = (await holdRequestTransaction(database.db, 'now'))!;
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
    },
  );
});
