import type { Kysely } from 'kysely';
import type { EventEnvelope } from '@lessor/events';
import type { LeasingDatabase } from '../database.ts';
import { assetName, type AssetSummary } from '../references/references.ts';

interface Changed<T> {
  after: T;
}

/**
 * A party or an asset was renamed: the name stored on its contracts follows, so lists and reads while the
 * owner is down show the latest known name. The stored name is a cache of another service's data, not a
 * term of the contract: it changes neither the contract's version nor its events.
 */
export async function onReferenceUpdated(event: EventEnvelope, trx: Kysely<LeasingDatabase>): Promise<void> {
  if (event.type === 'lessor.parties.party.updated.v1') {
    const party = (event.data as Changed<{ id: string; name: string }>).after;
    await trx
      .updateTable('contracts')
      .set({ partyName: party.name })
      .where('partyId', '=', party.id)
      .where('partyName', '<>', party.name)
      .execute();
  } else if (event.type === 'lessor.assets.asset.updated.v1') {
    const asset = (event.data as Changed<AssetSummary>).after;
    const name = assetName(asset);
    await trx
      .updateTable('contracts')
      .set({ assetName: name })
      .where('assetId', '=', asset.id)
      .where('assetName', '<>', name)
      .execute();
  }
}
