import { sql } from 'kysely';
import { pino } from 'pino';
import { createTestDatabase, testBackends } from '@lessor/service-kit/testing';
import type { TestDatabase } from '@lessor/service-kit/testing';
import { createEnvelope, eventMigrations } from '../../src/index.ts';
import type { EventEnvelope } from '../../src/index.ts';

// What the unit tests of the consumer's modules (test/consumer/) share: a real PostgreSQL database with the
// event tables and an `effects` table for handlers to write to, and events to handle.

export const PLACED = 'lessor.orders.order.placed.v1';

/** A logger that writes nothing: the modules' tests read the database, not the log. */
export const quietLog = pino({ level: 'silent' });

let schemas = 0;

/**
 * A fresh database with the event tables (`inbox`, `parked_events`, …) and `effects`, whose `txid` column tells
 * which transaction wrote a row.
 */
export async function openEffectsDatabase(name: string): Promise<TestDatabase<any>> {
  schemas += 1;
  const [backend] = testBackends();
  const database = await createTestDatabase<any>(backend!, {
    schema: `${name}_${schemas}`,
    migrations: eventMigrations,
  });
  await sql`create table effects (seq bigserial primary key, event_id uuid not null, subject text not null,
    txid bigint not null default txid_current())`.execute(database.db);
  return database;
}

/** An order-placed event of `subject`. */
export function placed(subject: string): EventEnvelope {
  return createEnvelope('orders', { type: PLACED, subject, data: {} });
}

/** The effects written, in order. */
export async function effectsIn(
  database: TestDatabase<any>,
): Promise<{ eventId: string; subject: string; txid: string }[]> {
  const { rows } = await sql<{ eventId: string; subject: string; txid: string }>`
    select event_id, subject, txid from effects order by seq`.execute(database.db);
  return rows;
}

/** The event ids in the inbox. */
export async function inboxIn(database: TestDatabase<any>): Promise<Set<string>> {
  const { rows } = await sql<{ eventId: string }>`select event_id from inbox`.execute(database.db);
  return new Set(rows.map((row) => row.eventId));
}
