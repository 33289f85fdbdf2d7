import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { EVENT_TYPE_PATTERN } from './envelope.ts';
import type { EventEnvelope, NewEvent } from './envelope.ts';
import { EventsError } from './errors.ts';

/** A service's outbox: events written in the caller's transaction, published by the relay after commit. */
export interface Outbox {
  /**
   * Writes one event in `trx` (the transaction of the change it reports) and returns its envelope. It is
   * published if and only if `trx` commits. Events are published in the order of their outbox rows; for that
   * to be the order of the changes of one subject, write the event after the statement that locks the
   * subject's row (an update, `updateVersioned`, `select … for update`), as a service does naturally: two
   * writers of one subject then take their turns in the same order for the change and for the event.
   */
  add<DB, Data>(trx: Kysely<DB>, event: NewEvent<Data>): Promise<EventEnvelope<Data>>;
  /** Writes several events in `trx`, published in the order given; one statement. */
  addMany<DB>(trx: Kysely<DB>, events: readonly NewEvent[]): Promise<EventEnvelope[]>;
}

const SERVICE_NAME = /^[a-z][a-z0-9-]*$/;
// Rows per insert statement: bounds the size of the one JSON parameter.
const INSERT_CHUNK = 1000;

/**
 * Creates the outbox of `service`: envelopes get a UUIDv7 id, `source` `/lessor/<service>`, the current time,
 * and are inserted into the `outbox` table of the service's schema in the caller's transaction.
 */
export function createOutbox(options: { service: string }): Outbox {
  const { service } = options;
  if (!SERVICE_NAME.test(service)) {
    throw new EventsError(
      'INVALID_EVENT',
      `Service name ${JSON.stringify(service)} must match ${SERVICE_NAME}`,
    );
  }
  const addMany = async <DB>(trx: Kysely<DB>, events: readonly NewEvent[]): Promise<EventEnvelope[]> => {
    // Outside a transaction the event would be published even if the change it reports failed.
    if (!trx.isTransaction) {
      throw new EventsError(
        'INVALID_EVENT',
        'outbox.add needs the transaction of the change (trx), not the database handle: the event must commit with the change',
      );
    }
    const built = events.map((event) => buildEnvelope(service, event));
    for (let start = 0; start < built.length; start += INSERT_CHUNK) {
      await insertEnvelopes(
        trx,
        built.slice(start, start + INSERT_CHUNK).map((entry) => entry.json),
      );
    }
    return built.map((entry) => entry.envelope);
  };
  return {
    add: async <DB, Data>(trx: Kysely<DB>, event: NewEvent<Data>) =>
      (await addMany(trx, [event]))[0] as EventEnvelope<Data>,
    addMany,
  };
}

/**
 * Builds the CloudEvents envelope of `event` as published by `service` (what the outbox stores). Throws
 * `INVALID_EVENT` for a type not matching EVENT_TYPE_PATTERN, an empty subject, or data that is not JSON.
 */
export function createEnvelope<Data>(service: string, event: NewEvent<Data>): EventEnvelope<Data> {
  return buildEnvelope(service, event).envelope;
}

/** The envelope and its JSON: checking that it is JSON serialises it once, and the outbox stores that text. */
function buildEnvelope<Data>(
  service: string,
  event: NewEvent<Data>,
): { envelope: EventEnvelope<Data>; json: string } {
  if (typeof event.type !== 'string' || !EVENT_TYPE_PATTERN.test(event.type)) {
    throw new EventsError(
      'INVALID_EVENT',
      `Event type ${JSON.stringify(event.type)} must read lessor.<service>.<entity>.<past-tense-verb>.v<major>`,
    );
  }
  if (typeof event.subject !== 'string' || event.subject === '') {
    throw new EventsError('INVALID_EVENT', `Event ${event.type} needs a subject (the id of its entity)`);
  }
  const envelope: EventEnvelope<Data> = {
    specversion: '1.0',
    id: uuidv7(),
    source: `/lessor/${service}`,
    type: event.type,
    subject: event.subject,
    time: new Date().toISOString(),
    datacontenttype: 'application/json',
    // `undefined` would vanish in JSON and reach consumers as a missing field; null says "no data".
    data: (event.data === undefined ? null : event.data) as Data,
    ...(event.traceparent === undefined ? {} : { traceparent: event.traceparent }),
    ...(event.actor === undefined ? {} : { actor: event.actor }),
  };
  let json: string;
  try {
    json = JSON.stringify(envelope);
  } catch (error) {
    throw new EventsError('INVALID_EVENT', `The data of event ${event.type} is not JSON`, { cause: error });
  }
  return { envelope, json };
}

/** Inserts envelopes given as their JSON texts, in order. */
async function insertEnvelopes<DB>(trx: Kysely<DB>, envelopes: readonly string[]): Promise<void> {
  if (envelopes.length === 0) return;
  // One JSON parameter carries the whole batch, whatever the driver's array serialiser does. `with ordinality … order by n` gives the rows their `seq` in the order given.
  await sql`
    insert into outbox (id, type, subject, envelope)
    select (e.value->>'id')::uuid, e.value->>'type', e.value->>'subject', e.value
    from jsonb_array_elements(${`[${envelopes.join(',')}]`}::jsonb) with ordinality as e(value, n)
    order by e.n`.execute(trx.withoutPlugins());
}
