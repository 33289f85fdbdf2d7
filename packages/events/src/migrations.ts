import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * The shape of a service-kit migration, repeated here because the kit imports this package (not the reverse).
 * A migration runs against the schema as it was then, which no current table type describes: hence `any`.
 */
export interface EventMigration {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  up(db: Kysely<any>): Promise<void>;
}

/**
 * The tables of the event backbone in a service's own schema: `outbox`, `inbox`, `parked_events`. Named
 * `0000_lessor_events_NNN_…` so they sort after the kit's `0000_kit_…` and before the service's `0001_…`; a
 * service lists them first in its own list (the kit's `createServiceApp` does that). A later release appends.
 */
export const eventMigrations: readonly EventMigration[] = [
  {
    name: '0000_lessor_events_001_outbox',
    async up(db) {
      await sql`
        create table outbox (
          id uuid primary key,
          seq bigserial not null,
          type text not null,
          subject text not null,
          envelope jsonb not null,
          created_at timestamptz not null default now(),
          published_at timestamptz,
          claimed_by text,
          claimed_until timestamptz,
          publish_attempts integer not null default 0,
          last_error text
        )`.execute(db);
      // What the relay reads: pending rows in publication order. Partial, so it stays as small as the backlog
      // however many published rows the table keeps.
      await sql`create index outbox_pending on outbox (seq) where published_at is null`.execute(db);
      // "Does another relay hold a live claim?" is asked before every claim; this keeps it one index probe.
      await sql`create index outbox_claimed on outbox (claimed_until)
        where published_at is null and claimed_by is not null`.execute(db);
      // For purging published rows by age.
      await sql`create index outbox_published_at on outbox (published_at)
        where published_at is not null`.execute(db);
    },
  },
  {
    name: '0000_lessor_events_002_inbox',
    async up(db) {
      await sql`
        create table inbox (
          event_id uuid primary key,
          type text not null,
          handled_at timestamptz not null default now()
        )`.execute(db);
    },
  },
  {
    name: '0000_lessor_events_003_parked_events',
    async up(db) {
      await sql`
        create table parked_events (
          id uuid primary key,
          event_id uuid,
          type text not null,
          envelope jsonb not null,
          reason text not null,
          attempts integer not null,
          parked_at timestamptz not null default now(),
          status text not null default 'parked' check (status in ('parked', 'replayed', 'discarded')),
          resolved_at timestamptz,
          resolved_by text
        )`.execute(db);
      // One open (parked) row per event: a copy delivered again (a relay's duplicate, a lost ack) that fails
      // again updates that row instead of adding a second one an admin would have to resolve twice.
      await sql`create unique index parked_events_open on parked_events (event_id)
        where status = 'parked'`.execute(db);
      await sql`create index parked_events_status on parked_events (status, id)`.execute(db);
    },
  },
  {
    name: '0000_lessor_events_004_inbox_event_time',
    async up(db) {
      // The retention job deletes an id by its event's own `time`, the same value the consumer judges a late
      // copy by (README, "Inbox retention"). Rows recorded before this migration take their handling time, which
      // is no earlier than their event's: they are kept at least as long.
      await sql`alter table inbox add column event_time timestamptz`.execute(db);
      await sql`update inbox set event_time = handled_at`.execute(db);
      await sql`alter table inbox alter column event_time set not null`.execute(db);
      await sql`create index inbox_event_time on inbox (event_time)`.execute(db);
    },
  },
];
