import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import {
  createConsumer,
  createInProcessTransport,
  createOutbox,
  createRelay,
  eventMigrations,
} from '../src/index.ts';
import type { Consumer, EventEnvelope, InProcessTransport, Relay, Transport } from '../src/index.ts';
import { eventually, wrapTransport } from '../src/testing.ts';

const TYPE = 'lessor.orders.order.placed.v1';
let schemas = 0;

describe.each(testBackends())('the relay on %s', (backend) => {
  let database: TestDatabase<any> | undefined;
  let bus: InProcessTransport | undefined;
  let busSchema = '';
  let stops: (() => Promise<void>)[] = [];
  const outbox = createOutbox({ service: 'orders' });

  async function open(): Promise<{ db: TestDatabase<any>['db']; bus: InProcessTransport }> {
    schemas += 1;
    database = await createTestDatabase<any>(backend, {
      schema: `relay_${schemas}`,
      migrations: eventMigrations,
    });
    await sql`create table effects (seq bigserial primary key, event_id uuid not null, subject text not null, n integer not null)`.execute(
      database.db,
    );
    busSchema = `bus_${randomBytes(4).toString('hex')}`;
    bus = createInProcessTransport({ db: database.db, schema: busSchema, pollIntervalMs: 20 });
    return { db: database.db, bus };
  }

  function relay(options: Partial<Parameters<typeof createRelay>[0]> & { transport: Transport }): Relay {
    const created = createRelay({ db: database!.db, pollIntervalMs: 20, maxBackoffMs: 40, ...options });
    stops.push(() => created.stop());
    return created;
  }

  async function consumer(transport: Transport): Promise<Consumer<any>> {
    const created = createConsumer<any>({ service: 'billing', db: database!.db, transport });
    created.subscribe([TYPE], async (event, { trx }) => {
      const { n } = event.data as { n: number };
      await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject, n }).execute();
    });
    await created.start();
    stops.push(() => created.stop());
    return created;
  }

  async function write(count: number, subjects: number, perTransaction = 10): Promise<EventEnvelope[]> {
    const written: EventEnvelope[] = [];
    for (let start = 0; start < count; start += perTransaction) {
      const batch = await database!.db.transaction().execute(async (trx) => {
        const events: EventEnvelope[] = [];
        for (let n = start; n < Math.min(count, start + perTransaction); n++) {
          events.push(await outbox.add(trx, { type: TYPE, subject: `order-${n % subjects}`, data: { n } }));
        }
        return events;
      });
      written.push(...batch);
    }
    return written;
  }

  const effects = async () =>
    (
      await sql<{ eventId: string; subject: string; n: number }>`
        select event_id, subject, n from effects order by seq`.execute(database!.db)
    ).rows;

  afterEach(async () => {
    for (const stop of stops.reverse()) await stop();
    stops = [];
    await bus?.close();
    if (database && busSchema)
      await sql`drop schema if exists ${sql.id(busSchema)} cascade`.execute(database.db);
    bus = undefined;
    await database?.dispose();
    database = undefined;
  });

  it('should publish again and apply once when it fails after the broker confirmed', async () => {
    const { db, bus } = await open();
    await consumer(bus);
    const copies = new Map<string, number>();
    let calls = 0;
    const crashing = wrapTransport(bus, {
      afterPublish(events) {
        for (const event of events) copies.set(event.id, (copies.get(event.id) ?? 0) + 1);
        calls += 1;
        if (calls === 1) throw new Error('simulated crash between publish and mark-sent');
      },
    });
    const written = await write(10, 1);
    relay({ transport: crashing }).start();

    await eventually(
      async () => (await effects()).length === 10 && [...copies.values()].every((n) => n === 2),
    );
    await eventually(
      async () =>
        (await db.selectFrom('outbox').where('publishedAt', 'is', null).selectAll().execute()).length === 0,
    );
    expect([...copies.entries()]).toEqual(written.map((event) => [event.id, 2]));
    expect((await effects()).map((row) => row.eventId)).toEqual(written.map((event) => event.id));
    const rows = await db.selectFrom('outbox').select(['publishAttempts', 'lastError']).execute();
    expect(rows.every((row: any) => row.publishAttempts === 1 && /simulated crash/.test(row.lastError))).toBe(
      true,
    );
  });

  it('should let another relay publish again when a relay dies between publish and mark-sent and its claim expires', async () => {
    const { db, bus } = await open();
    await consumer(bus);
    const publishedBy: string[] = [];
    // Relay A "dies" after the broker confirmed: its publish never returns (until the end of the test).
    let revive!: (error: Error) => void;
    const dead = new Promise<never>((_, reject) => (revive = reject));
    const dying = wrapTransport(bus, {
      afterPublish: async () => {
        publishedBy.push('A');
        await dead;
      },
    });
    const written = await write(10, 1);
    // A dead process beats no more: maxPublishMs 0 stops A's heartbeat at once, so its claim expires.
    const a = relay({ transport: dying, claimTtlMs: 300, maxPublishMs: 0 });
    a.start();
    await eventually(async () => (await effects()).length === 10);
    expect(publishedBy).toEqual(['A']);

    // B finds A's live claim, waits it out, then publishes the rows again.
    const b = relay({ transport: wrapTransport(bus, { afterPublish: () => void publishedBy.push('B') }) });
    b.start();
    await eventually(async () => (await b.backlog()).pending === 0);
    expect(publishedBy).toEqual(['A', 'B']);

    // A comes back to a failed publish: its rows are B's now, nothing of A's bookkeeping applies.
    revive(new Error('the broker connection was lost'));
    await a.stop();
    const rows = await db.selectFrom('outbox').select(['publishedAt', 'publishAttempts']).execute();
    expect(rows.every((row: any) => row.publishedAt instanceof Date && row.publishAttempts === 0)).toBe(true);
    // B's copies reach the consumer too, and the inbox finds them duplicates.
    await eventually(async () => {
      const { rows: left } = await sql<{
        n: string;
      }>`select count(*) as n from ${sql.id(busSchema, 'messages')}`.execute(db);
      return Number(left[0]?.n) === 0;
    });
    const handled = await effects();
    expect(handled.map((row) => row.eventId)).toEqual(written.map((event) => event.id));
  });

  it('should never publish a row twice and keep the order per subject when two relays share an outbox', async () => {
    const { bus } = await open();
    const published: { relay: string; event: EventEnvelope }[] = [];
    const counting = (name: string) =>
      wrapTransport(bus, {
        beforePublish: async () => {
          // A slow broker: the other relay tries its claims while this one is publishing.
          await new Promise((resolve) => setTimeout(resolve, 5));
        },
        afterPublish: (events) => void published.push(...events.map((event) => ({ relay: name, event }))),
      });
    const a = relay({ transport: counting('A'), batchSize: 25, pollIntervalMs: 5 });
    const b = relay({ transport: counting('B'), batchSize: 25, pollIntervalMs: 5 });
    a.start();
    b.start();
    const writing = write(2000, 20, 20);
    // Halfway, A stops: B must carry on from where A left off.
    await eventually(() => published.length >= 1000, { timeoutMs: 60_000 });
    await a.stop();
    const written = await writing;
    await eventually(async () => (await b.backlog()).pending === 0, { timeoutMs: 60_000 });

    const ids = published.map((entry) => entry.event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(written.map((event) => event.id).sort());
    const bySubject = (events: EventEnvelope[]) => {
      const map = new Map<string, number[]>();
      for (const event of events)
        map.set(event.subject, [...(map.get(event.subject) ?? []), (event.data as { n: number }).n]);
      return map;
    };
    expect(bySubject(published.map((entry) => entry.event))).toEqual(bySubject(written));
    expect(new Set(published.map((entry) => entry.relay))).toEqual(new Set(['A', 'B']));
  });

  it('should extend its claim while a slow publish outlasts claimTtlMs so that a second relay publishes no row twice', async () => {
    const { db, bus } = await open();
    const claimTtlMs = 150;
    const published: { relay: string; id: string }[] = [];
    const liveClaimsMidPublish: number[] = [];
    // A slow broker for A: each publish takes four claim TTLs. Halfway through, A's rows must still be claimed.
    const slow = wrapTransport(bus, {
      beforePublish: async (events) => {
        await new Promise((resolve) => setTimeout(resolve, 2 * claimTtlMs));
        const ids = events.map((event) => event.id);
        const { rows } = await sql<{ n: string }>`
          select count(*) as n from outbox
          where id = any(string_to_array(${ids.join(',')}, ',')::uuid[])
            and published_at is null and claimed_until > now()`.execute(db);
        liveClaimsMidPublish.push(Number(rows[0]?.n));
        await new Promise((resolve) => setTimeout(resolve, 2 * claimTtlMs));
      },
      afterPublish: (events) => void published.push(...events.map((event) => ({ relay: 'A', id: event.id }))),
    });
    const fast = wrapTransport(bus, {
      afterPublish: (events) => void published.push(...events.map((event) => ({ relay: 'B', id: event.id }))),
    });
    const written = await write(60, 3);
    const a = relay({ transport: slow, claimTtlMs, batchSize: 20 });
    a.start();
    await eventually(
      async () =>
        (await db.selectFrom('outbox').where('claimedBy', 'is not', null).selectAll().execute()).length > 0,
    );
    // B polls all the time A publishes: without the heartbeat it would take A's expired claim over.
    const b = relay({ transport: fast, claimTtlMs, batchSize: 20, pollIntervalMs: 5 });
    b.start();
    await eventually(async () => (await b.backlog()).pending === 0, { timeoutMs: 30_000 });
    // Whatever either relay still has in flight is published before they stop.
    await a.stop();
    await b.stop();

    const ids = published.map((entry) => entry.id);
    expect(ids.length).toBe(60);
    expect(new Set(ids)).toEqual(new Set(written.map((event) => event.id)));
    expect(liveClaimsMidPublish.length).toBeGreaterThan(0);
    expect(liveClaimsMidPublish.every((n) => n === 20)).toBe(true);
    expect(published[0]?.relay).toBe('A');
  });

  it('should let its claim expire when a publish outlasts maxPublishMs, so another relay takes the rows over', async () => {
    const { bus } = await open();
    let releaseA!: () => void;
    const hung = new Promise<void>((resolve) => (releaseA = resolve));
    const publishedBy: string[] = [];
    const hanging = wrapTransport(bus, {
      beforePublish: async () => {
        publishedBy.push('A');
        await hung;
      },
    });
    await write(10, 1);
    const a = relay({ transport: hanging, claimTtlMs: 100, maxPublishMs: 250 });
    a.start();
    await eventually(() => publishedBy.length === 1);
    const b = relay({ transport: wrapTransport(bus, { afterPublish: () => void publishedBy.push('B') }) });
    b.start();
    await eventually(async () => (await b.backlog()).pending === 0);
    expect(publishedBy).toEqual(['A', 'B']);
    releaseA();
  });

  it('should keep writes working and grow the backlog while the transport refuses, then drain in order', async () => {
    const { db, bus } = await open();
    await consumer(bus);
    let refuse = true;
    const metrics = new Registry();
    metrics.setDefaultLabels({ service: 'orders' });
    const broker = wrapTransport(bus, {
      beforePublish: () => {
        if (refuse) throw new Error('connection refused');
      },
    });
    const r = relay({ transport: broker, metrics });
    r.start();
    const written = await write(300, 3);

    await eventually(async () => {
      const [row] = await db
        .selectFrom('outbox')
        .select((eb: any) => [
          eb.fn.min('publishAttempts').as('attempts'),
          eb.fn.max('lastError').as('error'),
        ])
        .execute();
      return Number(row?.attempts) >= 2 && row?.error === 'connection refused';
    });
    const backlog = await r.backlog();
    expect(backlog.pending).toBe(300);
    expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(0);
    const text = await metrics.metrics();
    expect(text).toContain('lessor_outbox_pending{service="orders"} 300');
    expect(text).toMatch(/lessor_outbox_oldest_pending_age_seconds\{service="orders"\} [0-9.e-]+/);
    expect(
      Number(/lessor_outbox_publish_failures_total\{service="orders"\} (\d+)/.exec(text)?.[1]),
    ).toBeGreaterThanOrEqual(2);
    expect(await effects()).toEqual([]);

    refuse = false;
    r.wake();
    await eventually(async () => (await effects()).length === 300);
    const handled = await effects();
    for (const subject of ['order-0', 'order-1', 'order-2']) {
      const inOrder = written
        .filter((event) => event.subject === subject)
        .map((event) => (event.data as { n: number }).n);
      expect(handled.filter((row) => row.subject === subject).map((row) => row.n)).toEqual(inOrder);
    }
    expect(await r.backlog()).toEqual({ pending: 0, oldestAgeSeconds: 0 });
    const after = await metrics.metrics();
    expect(after).toContain('lessor_events_published_total{service="orders"} 300');
    expect(after).toContain('lessor_outbox_pending{service="orders"} 0');
  });

  it('should resume from the table when it is restarted', async () => {
    const { bus } = await open();
    await consumer(bus);
    await write(30, 3);
    const first = relay({ transport: bus });
    first.start();
    await eventually(async () => (await effects()).length === 30);
    await first.stop();
    const later = await write(20, 3);
    const second = relay({ transport: bus });
    second.start();
    await eventually(async () => (await effects()).length === 50);
    // Subjects are handled in parallel: the later events are the last 20 effects, in no global order.
    expect(new Set((await effects()).slice(30).map((row) => row.eventId))).toEqual(
      new Set(later.map((event) => event.id)),
    );
  });

  it('should delete only published rows older than the limit when purging', async () => {
    const { db, bus } = await open();
    await write(5, 1);
    const r = relay({ transport: bus });
    r.start();
    await eventually(async () => (await r.backlog()).pending === 0);
    await r.stop();
    await write(2, 1);
    expect(await r.purgePublished({ olderThanMs: 3_600_000 })).toBe(0);
    expect(await r.purgePublished({ olderThanMs: 0 })).toBe(5);
    expect((await db.selectFrom('outbox').selectAll().execute()).length).toBe(2);
  });
});
