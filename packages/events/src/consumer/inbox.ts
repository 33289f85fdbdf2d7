import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { EventEnvelope } from '../envelope.ts';
import type { EventHandler } from './consumer.types.ts';

// The inbox step, the heart of exactly-once: an event's id goes into `inbox` in the same transaction as its
// handlers' effect. A copy of an event already recorded finds its row there and runs nothing, so however often
// a delivery comes, its effect commits once. (The batch path in apply-batch.ts uses the same rows.)

/**
 * The inbox transaction of one event as the consumer runs it: `'applied'` when its handlers ran, `'duplicate'`
 * when the event was recorded already. `extra` runs last in the same transaction (a replay marks its parked row).
 */
export type ApplyOnce<DB> = (
  event: EventEnvelope,
  handlers: readonly EventHandler<DB>[],
  attempt: number,
  log: Logger,
  extra?: (trx: Kysely<DB>) => Promise<void>,
) => Promise<'applied' | 'duplicate'>;

/**
 * One transaction: records the event id and runs the handlers in subscription order, or finds the id recorded (a
 * duplicate) and runs none. A handler that throws rolls back the effect and the inbox row alike.
 */
export async function applyOnce<DB>(
  db: Kysely<DB>,
  event: EventEnvelope,
  handlers: readonly EventHandler<DB>[],
  attempt: number,
  log: Logger,
  extra?: (trx: Kysely<DB>) => Promise<void>,
): Promise<'applied' | 'duplicate'> {
  return db.transaction().execute(async (trx) => {
    const duplicate = !(await insertInboxRow(trx.withoutPlugins(), event));
    if (!duplicate) {
      for (const handler of handlers) await handler(event, { trx, log, attempt });
    }
    if (extra) await extra(trx);
    return duplicate ? 'duplicate' : 'applied';
  });
}

/** Records the event in the inbox; false when it was recorded already (a duplicate). */
export async function insertInboxRow<DB>(trx: Kysely<DB>, event: EventEnvelope): Promise<boolean> {
  const { rows } = await sql`
    insert into inbox (event_id, type, event_time)
    values (${event.id}::uuid, ${event.type}, ${event.time}::timestamptz)
    on conflict (event_id) do nothing
    returning event_id`.execute(trx);
  return rows.length > 0;
}

/**
 * Records several events in one statement. Returns each distinct event id (lower case, in order of first
 * arrival) with true when this statement recorded it, false when it was recorded before.
 */
export async function insertInboxRows<DB>(
  trx: Kysely<DB>,
  events: readonly EventEnvelope[],
): Promise<Map<string, boolean>> {
  const rowsById = new Map<string, { type: string; time: string }>();
  for (const event of events) rowsById.set(event.id.toLowerCase(), { type: event.type, time: event.time });
  const { rows } = await sql<{ event_id: string }>`
    insert into inbox (event_id, type, event_time)
    select e.id, e.type, e.time
    from jsonb_to_recordset(${JSON.stringify([...rowsById].map(([id, row]) => ({ id, ...row })))}::jsonb)
      as e(id uuid, type text, time timestamptz)
    on conflict (event_id) do nothing
    returning event_id`.execute(trx.withoutPlugins()); // without plugins: the ids come back as `event_id`
  const inserted = new Set(rows.map((row) => row.event_id.toLowerCase()));
  return new Map([...rowsById.keys()].map((id) => [id, inserted.has(id)]));
}

/** Takes an event's row out again (in the transaction that inserted it), so it commits no more than the effect. */
export async function deleteInboxRow<DB>(trx: Kysely<DB>, eventId: string): Promise<void> {
  await sql`delete from inbox where event_id = ${eventId}::uuid`.execute(trx);
}

/** True when the inbox holds the event's id: it was applied (and its row not yet purged). */
export async function hasInboxRow<DB>(db: Kysely<DB>, eventId: string): Promise<boolean> {
  const { rows } = await sql`select 1 from inbox where event_id = ${eventId}::uuid`.execute(db);
  return rows.length > 0;
}
