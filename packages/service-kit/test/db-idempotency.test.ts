import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIdempotencyStore } from '../src/db/index.ts';
import { createTestDatabase, testBackends } from '../src/testing/index.ts';
import type { TestDatabase } from '../src/testing/index.ts';

const response = { status: 201, headers: { etag: '"1"', location: '/v1/invoices/1' }, body: '{"id":"1"}' };

describe.each(testBackends())('the idempotency store on %s', (backend) => {
  let database: TestDatabase<unknown>;
  let keyNumber = 0;
  const freshKey = () => `key-${(keyNumber += 1)}`;

  beforeAll(async () => {
    database = await createTestDatabase<unknown>(backend, { schema: 'billing', migrations: [] });
  });
  afterAll(async () => {
    await database?.dispose();
  });

  it('should answer new, then in-flight, then the stored response when a key is used again', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    expect(await store.begin(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'new' });
    expect(await store.begin(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'in-flight' });
    await store.complete(key, 'alice', response);
    expect(await store.begin(key, 'alice', 'POST /v1/invoices #1')).toEqual({ state: 'completed', response });
  });

  it('should answer mismatch when a key comes back with another request', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.begin(key, 'alice', 'fingerprint A');
    expect(await store.begin(key, 'alice', 'fingerprint B')).toEqual({ state: 'mismatch' });
    await store.complete(key, 'alice', response);
    expect(await store.begin(key, 'alice', 'fingerprint B')).toEqual({ state: 'mismatch' });
  });

  it('should keep keys apart when two callers pick the same key', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    expect(await store.begin(key, 'alice', 'A')).toEqual({ state: 'new' });
    expect(await store.begin(key, 'bob', 'B')).toEqual({ state: 'new' });
  });

  it('should let a retry run again when the first attempt was abandoned', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.begin(key, 'alice', 'F');
    await store.abandon(key, 'alice');
    expect(await store.begin(key, 'alice', 'F')).toEqual({ state: 'new' });
  });

  it('should not forget a completed answer when abandon comes late', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    await store.begin(key, 'alice', 'F');
    await store.complete(key, 'alice', response);
    await store.abandon(key, 'alice');
    expect(await store.begin(key, 'alice', 'F')).toEqual({ state: 'completed', response });
  });

  it('should take over an in-flight key when its first attempt is older than the timeout', async () => {
    const store = createIdempotencyStore(database.db, { inFlightTimeoutMs: 200 });
    const key = freshKey();
    await store.begin(key, 'alice', 'F');
    expect(await store.begin(key, 'alice', 'F')).toEqual({ state: 'in-flight' });
    await sql`update idempotency_keys set started_at = now() - interval '1 second' where key = ${key}`.execute(
      database.db,
    );
    expect(await store.begin(key, 'alice', 'F')).toEqual({ state: 'new' });
    expect(await store.begin(key, 'alice', 'F')).toEqual({ state: 'in-flight' });
  });

  it('should treat a key past its retention as unused and purge it', async () => {
    const store = createIdempotencyStore(database.db, { retentionHours: 1 });
    const [reused, purged] = [freshKey(), freshKey()];
    for (const key of [reused, purged]) {
      await store.begin(key, 'alice', 'old request');
      await store.complete(key, 'alice', response);
    }
    await sql`update idempotency_keys set created_at = now() - interval '2 hours' where key in (${reused}, ${purged})`.execute(
      database.db,
    );
    expect(await store.begin(reused, 'alice', 'new request')).toEqual({ state: 'new' });
    expect(await store.purgeExpired()).toBeGreaterThanOrEqual(1);
    expect(await store.begin(purged, 'alice', 'new request')).toEqual({ state: 'new' });
  });

  it('should answer new to exactly one of 20 concurrent requests with one key', async () => {
    const store = createIdempotencyStore(database.db);
    const key = freshKey();
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.begin(key, 'alice', 'same request')),
    );
    expect(results.filter((result) => result.state === 'new')).toHaveLength(1);
    expect(results.filter((result) => result.state === 'in-flight')).toHaveLength(19);
  });

  it('should answer new to exactly one of 20 concurrent take-overs of a stale key', async () => {
    // Stale by a minute against a 30 s timeout: the winner's fresh take-over stays fresh however slowly the
    // other 19 arrive on a loaded machine, so exactly one may win.
    const store = createIdempotencyStore(database.db, { inFlightTimeoutMs: 30_000 });
    const key = freshKey();
    await store.begin(key, 'alice', 'same request');
    await sql`update idempotency_keys set started_at = now() - interval '1 minute' where key = ${key}`.execute(
      database.db,
    );
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.begin(key, 'alice', 'same request')),
    );
    expect(results.filter((result) => result.state === 'new')).toHaveLength(1);
  });
});
