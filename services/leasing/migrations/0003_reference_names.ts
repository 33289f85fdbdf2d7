import { sql } from 'kysely';
import type { Migration } from '@lessor/service-kit';

/**
 * leasing's own copy of the names it shows beside a contract (issue 13: reads never wait on a neighbour): one
 * row per party and per asset its contracts name, with `as_of`, the time of the owner's change it last applied
 * (an event's `time`) or of leasing's own fresh check at a write. Reads join these tables and call nobody;
 * `parties.party.updated` and `assets.asset.updated` keep them current, an older event never overwrites a
 * newer name.
 *
 * Upgrading: each party and asset already named on a contract gets the name stored on its latest-changed
 * contract, as of that contract's `updated_at` (the last time leasing wrote or heard of that name).
 */
export const referenceNamesMigration: Migration = {
  name: '0003_reference_names',
  async up(db) {
    for (const table of ['party_names', 'asset_names']) {
      await db.schema
        .createTable(table)
        .addColumn('id', 'uuid', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('as_of', 'timestamptz', (c) => c.notNull())
        .execute();
    }
    await sql`insert into party_names (id, name, as_of)
      select distinct on (party_id) party_id, party_name, updated_at from contracts
      order by party_id, updated_at desc`.execute(db);
    await sql`insert into asset_names (id, name, as_of)
      select distinct on (asset_id) asset_id, asset_name, updated_at from contracts
      order by asset_id, updated_at desc`.execute(db);
  },
};
