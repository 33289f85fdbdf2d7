import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../envelope.ts';
import { EventsError } from '../errors.ts';
import { errorMessage, isUuid } from '../internal.ts';
import type { EventHandler } from './consumer.types.ts';
import type { ApplyOnce } from './inbox.ts';

// The dead-letter table `parked_events`: how an event is parked, and what an admin does with it (list, replay,
// discard). Parking is the way out of an event the consumer cannot apply: invalid, out of retries, or stale.

/** A parked (dead-lettered) event as an admin sees it. */
export interface ParkedEvent {
  id: string;
  /** The event's id; null only when the envelope was too broken to have one. */
  eventId: string | null;
  type: string;
  envelope: EventEnvelope;
  reason: string;
  attempts: number;
  parkedAt: Date;
  status: ParkedStatus;
  resolvedAt: Date | null;
  resolvedBy: string | null;
}

export type ParkedStatus = 'parked' | 'replayed' | 'discarded';

/** The dead-letter list of a consuming service. */
export interface ParkedEvents {
  /** Newest first, keyset paging (`nextCursor` is null on the last page). */
  list(query: {
    limit: number;
    cursor?: string | undefined;
    status?: ParkedStatus | undefined;
    type?: string | undefined;
  }): Promise<{ items: ParkedEvent[]; nextCursor: string | null }>;
  get(id: string): Promise<ParkedEvent | undefined>;
  /**
   * Runs the subscribed handler again through the inbox transaction and marks the row `replayed` in that same
   * transaction: `'applied'`, or `'duplicate'` when the event had been applied already (no second effect).
   * A row already replayed may be replayed again (it answers `'duplicate'`); a discarded one may not
   * (`CONFLICT`). When the handler fails again it throws `HANDLER_FAILED` and the row stays parked with
   * attempts + 1 and the new reason.
   */
  replay(id: string, actor: string): Promise<'applied' | 'duplicate'>;
  /** Gives up on a parked event: it is kept, marked `discarded` with who and when. */
  discard(id: string, actor: string): Promise<void>;
}

const PARKED_COLUMNS = sql`id, event_id as "eventId", type, envelope, reason, attempts, parked_at as "parkedAt",
  status, resolved_at as "resolvedAt", resolved_by as "resolvedBy"`;

/** What the admin needs of the consumer: its subscriptions, its logger and its inbox transaction. */
export interface ParkedEventsDeps<DB> {
  /** The database handle without plugins (the queries name their columns themselves). */
  raw: Kysely<DB>;
  /** The handlers subscribed to a type, in subscription order: a replay runs them. */
  handlersOf: (type: string) => readonly EventHandler<DB>[];
  logFor: (event: Partial<EventEnvelope>, attempt: number) => Logger;
  /** Why an event cannot be handled (the consumer's own screening), or undefined. */
  validate: (event: EventEnvelope) => string | undefined;
  applyOnce: ApplyOnce<DB>;
  /** A replay settled: its outcome counts like a delivery's. */
  onOutcome: (type: string, outcome: 'handled' | 'duplicate') => void;
}

/**
 * Parks an event: a row `parked` with the reason and the attempts made. A second parking of the same event while
 * its row is still parked updates that row (newest reason, most attempts, parked again now) instead of adding one.
 */
export async function parkEvent<DB>(
  raw: Kysely<DB>,
  event: EventEnvelope,
  reason: string,
  attempts: number,
): Promise<void> {
  const eventId = isUuid(event?.id) ? event.id : null;
  const type = typeof event?.type === 'string' ? event.type : 'unknown';
  await sql`
    insert into parked_events (id, event_id, type, envelope, reason, attempts)
    values (${uuidv7()}::uuid, ${eventId}::uuid, ${type}, ${JSON.stringify(event ?? null)}::jsonb,
            ${reason.slice(0, 4000)}, ${attempts}::integer)
    on conflict (event_id) where status = 'parked'
    do update set reason = excluded.reason, attempts = greatest(parked_events.attempts, excluded.attempts),
      parked_at = now()`.execute(raw);
}

/** How many parked events wait for an admin (status `parked`): the `lessor_parked_events` gauge. */
export async function countParked<DB>(raw: Kysely<DB>): Promise<number> {
  const { rows } = await sql<{
    n: string;
  }>`select count(*) as n from parked_events where status = 'parked'`.execute(raw);
  return Number(rows[0]?.n ?? 0);
}

/** The admin of a consumer's parked events: list and get them, replay one through the inbox, or discard it. */
export function createParkedEvents<DB>(deps: ParkedEventsDeps<DB>): ParkedEvents {
  const { raw } = deps;

  const get = async (id: string): Promise<ParkedEvent | undefined> => {
    if (!isUuid(id)) return undefined;
    const { rows } =
      await sql<ParkedEvent>`select ${PARKED_COLUMNS} from parked_events where id = ${id}::uuid`.execute(raw);
    return rows[0];
  };

  const recordFailure = async (id: string, reason: string): Promise<void> => {
    await sql`update parked_events set attempts = attempts + 1, reason = ${reason.slice(0, 4000)}
      where id = ${id}::uuid and status = 'parked'`.execute(raw);
  };

  return {
    async list({ limit, cursor, status, type }) {
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
        throw new EventsError('INVALID_CURSOR', 'limit must be an integer from 1 to 1000');
      }
      const after = cursor === undefined || cursor === '' ? undefined : decodeCursor(cursor);
      const conditions = [sql`true`];
      if (status !== undefined) conditions.push(sql`status = ${status}`);
      if (type !== undefined) conditions.push(sql`type = ${type}`);
      // UUIDv7 ids grow with parking time: ordering by id alone is newest first and a total order for keysets.
      if (after !== undefined) conditions.push(sql`id < ${after}::uuid`);
      const { rows } = await sql<ParkedEvent>`
        select ${PARKED_COLUMNS} from parked_events
        where ${sql.join(conditions, sql` and `)}
        order by id desc
        limit ${limit + 1}`.execute(raw);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.id) : null };
    },

    get,

    async replay(id, actor) {
      const row = await get(id);
      if (!row) throw new EventsError('NOT_FOUND', `No parked event ${id}`);
      if (row.status === 'discarded') throw new EventsError('CONFLICT', `Parked event ${id} was discarded`);
      const event = row.envelope;
      const attempt = row.attempts + 1;
      const log = deps.logFor(event ?? {}, attempt).child({ parkedId: id, replayedBy: actor });
      const invalid = deps.validate(event);
      if (invalid) {
        await recordFailure(id, `invalid: ${invalid}`);
        throw new EventsError('HANDLER_FAILED', `Parked event ${id} is still invalid: ${invalid}`);
      }
      const handlers = deps.handlersOf(event.type);
      if (handlers.length === 0) {
        throw new EventsError(
          'NO_HANDLER',
          `No subscription handles ${event.type}; nothing to replay it with`,
        );
      }
      try {
        // In the inbox transaction: the row is marked replayed if and only if the effect commits.
        const outcome = await deps.applyOnce(event, handlers, attempt, log, (trx) =>
          markReplayed(trx, id, actor),
        );
        deps.onOutcome(event.type, outcome === 'applied' ? 'handled' : 'duplicate');
        log.info({ outcome }, 'parked event replayed');
        return outcome;
      } catch (error) {
        if (error instanceof EventsError && error.code === 'CONFLICT') throw error;
        await recordFailure(id, errorMessage(error));
        log.warn({ err: error }, 'replay of a parked event failed; it stays parked');
        throw new EventsError(
          'HANDLER_FAILED',
          `Replay of parked event ${id} failed: ${errorMessage(error)}`,
          {
            cause: error,
          },
        );
      }
    },

    async discard(id, actor) {
      const row = await get(id);
      if (!row) throw new EventsError('NOT_FOUND', `No parked event ${id}`);
      const result = await sql`
        update parked_events set status = 'discarded', resolved_at = now(), resolved_by = ${actor}
        where id = ${id}::uuid and status = 'parked'`.execute(raw);
      if (Number(result.numAffectedRows ?? 0) === 0) {
        throw new EventsError('CONFLICT', `Parked event ${id} is ${row.status}, not parked`);
      }
    },
  };
}

/** Marks a parked row replayed; a row replayed before keeps its first resolution, any other status conflicts. */
async function markReplayed<DB>(trx: Kysely<DB>, id: string, actor: string): Promise<void> {
  const marked = await sql`
    update parked_events set status = 'replayed', resolved_at = now(), resolved_by = ${actor}
    where id = ${id}::uuid and status = 'parked'`.execute(trx.withoutPlugins());
  if (Number(marked.numAffectedRows ?? 0) > 0) return;
  const current = await sql<{ status: ParkedStatus }>`
    select status from parked_events where id = ${id}::uuid`.execute(trx.withoutPlugins());
  const status = current.rows[0]?.status;
  if (status !== 'replayed') {
    throw new EventsError('CONFLICT', `Parked event ${id} is ${status ?? 'gone'}, not parked`);
  }
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { id?: unknown };
    if (isUuid(decoded?.id)) return decoded.id;
  } catch {
    // fall through: any unreadable cursor is the same error
  }
  throw new EventsError('INVALID_CURSOR', 'The cursor is not one this list gave');
}
