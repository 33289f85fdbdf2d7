import type { Kysely } from 'kysely';
import type { EventEnvelope } from '@lessor/events';
import type { LeasingDatabase } from '../database.ts';
import { assetName, ReferenceNames, type AssetSummary } from '../references/references.ts';

interface Changed<T> {
  after: T;
}

/**
 * A party or an asset changed: leasing's copy of its name follows, as of the change (the event's `time`), so
 * every contract read shows it without asking parties or assets. One row per party or asset, whatever the
 * number of its contracts; kept even for one no contract names yet (its contract may be in the making). An
 * event older than the name leasing holds changes nothing. The names stored on the contracts themselves (at
 * their last write, carried by their events) stay as they were: a rename is not a change of a contract.
 */
export async function onReferenceUpdated(event: EventEnvelope, trx: Kysely<LeasingDatabase>): Promise<void> {
  const names = new ReferenceNames(trx);
  const asOf = new Date(event.time);
  if (event.type === 'lessor.parties.party.updated.v1') {
    const party = (event.data as Changed<{ id: string; name: string }>).after;
    await names.remember('party', party.id, party.name, asOf);
  } else if (event.type === 'lessor.assets.asset.updated.v1') {
    const asset = (event.data as Changed<AssetSummary>).after;
    await names.remember('asset', asset.id, assetName(asset), asOf);
  }
}
