import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { TestDatabase } from '@lessor/service-kit/testing';
import {
  applyOnce,
  deleteInboxRow,
  hasInboxRow,
  insertInboxRow,
  insertInboxRows,
} from '../../src/consumer/inbox.ts';
import type { EventHandler } from '../../src/index.ts';
import { effectsIn, inboxIn, openEffectsDatabase, placed, quietLog } from '../helpers/consumer-database.ts';

describe('the inbox step against PostgreSQL', () => {
  let database: TestDatabase<any>;

  afterEach(async () => {
    await database?.dispose();
  });

  const record: EventHandler = async (event, { trx }) => {
    await trx.insertInto('effects').values({ eventId: event.id, subject: event.subject }).execute();
  };

  describe('applyOnce', () => {
    it('should record the event and run every handler in its transaction, then call a copy a duplicate', async () => {
      database = await openEffectsDatabase('inbox');
      const event = placed('order-1');
      const seen: string[] = [];
      const second: EventHandler = async (_event, { attempt }) => {
        seen.push(`second:${attempt}`);
      };

      expect(await applyOnce(database.db, event, [record, second], 3, quietLog)).toBe('applied');
      expect(await applyOnce(database.db, event, [record, second], 4, quietLog)).toBe('duplicate');

      expect((await effectsIn(database)).map((row) => row.eventId)).toEqual([event.id]);
      expect(seen).toEqual(['second:3']);
      expect(await inboxIn(database)).toEqual(new Set([event.id]));
    });

    it('should commit neither the effect nor the inbox row when a handler throws', async () => {
      database = await openEffectsDatabase('inbox');
      const event = placed('order-1');
      const failing: EventHandler = async () => {
        throw new Error('the price list has no entry');
      };

      await expect(applyOnce(database.db, event, [record, failing], 1, quietLog)).rejects.toThrow(
        'the price list has no entry',
      );

      expect(await effectsIn(database)).toEqual([]);
      expect(await hasInboxRow(database.db, event.id)).toBe(false);
    });

    it('should run the extra step last in the same transaction, for a duplicate too, and roll back with it', async () => {
      database = await openEffectsDatabase('inbox');
      const event = placed('order-1');
      const txids: string[] = [];
      const txidOf = async (trx: Kysely<any>) => {
        txids.push((await sql<{ txid: string }>`select txid_current() as txid`.execute(trx)).rows[0]!.txid);
      };

      await applyOnce(database.db, event, [record], 1, quietLog, txidOf);
      await applyOnce(database.db, event, [record], 2, quietLog, txidOf);
      const other = placed('order-2');
      await expect(
        applyOnce(database.db, other, [record], 1, quietLog, async () => {
          throw new Error('the parked row is discarded');
        }),
      ).rejects.toThrow('the parked row is discarded');

      expect(txids).toHaveLength(2);
      expect(txids[0]).toBe((await effectsIn(database))[0]!.txid);
      expect(await hasInboxRow(database.db, other.id)).toBe(false);
      expect((await effectsIn(database)).map((row) => row.eventId)).toEqual([event.id]);
    });
  });

  describe('the inbox rows', () => {
    it('should insert a row once, with the event type and time, and say so', async () => {
      database = await openEffectsDatabase('inbox');
      const event = { ...placed('order-1'), time: '2026-11-30T08:15:00.123Z' };

      expect(await insertInboxRow(database.db, event)).toBe(true);
      expect(await insertInboxRow(database.db, event)).toBe(false);

      const { rows } = await sql<{ type: string; eventTime: Date }>`
        select type, event_time from inbox where event_id = ${event.id}::uuid`.execute(database.db);
      expect(rows).toEqual([{ type: event.type, eventTime: new Date('2026-11-30T08:15:00.123Z') }]);
    });

    it('should insert many rows in one statement and tell the new from the known, once per id in lower case', async () => {
      database = await openEffectsDatabase('inbox');
      const known = placed('order-1');
      const fresh = placed('order-2');
      const freshUpper = { ...fresh, id: fresh.id.toUpperCase() };
      await insertInboxRow(database.db, known);

      const recorded = await insertInboxRows(database.db, [fresh, known, freshUpper]);

      expect([...recorded]).toEqual([
        [fresh.id, true],
        [known.id, false],
      ]);
      expect(await inboxIn(database)).toEqual(new Set([known.id, fresh.id]));
    });

    it('should delete a row and find it gone', async () => {
      database = await openEffectsDatabase('inbox');
      const event = placed('order-1');
      await insertInboxRow(database.db, event);
      expect(await hasInboxRow(database.db, event.id)).toBe(true);

      await deleteInboxRow(database.db, event.id);

      expect(await hasInboxRow(database.db, event.id)).toBe(false);
      expect(await hasInboxRow(database.db, randomUUID())).toBe(false);
    });
  });
});
