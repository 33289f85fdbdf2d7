import type { assetsEvents, partiesEvents } from '@lessor/event-catalog';
import type { EventContext } from '@lessor/events';
import type { ConsumedEvent } from '@lessor/service-kit';
import type { LeasingDatabase } from '../database.ts';
import { assetName, ReferenceNames } from '../references/references.ts';

// A party or an asset changed: leasing's copy of its name follows, as of the change (the event's `time`), so
// every contract read shows it without asking parties or assets. One row per party or asset, whatever the
// number of its contracts; kept even for one no contract names yet (its contract may be in the making). An
// event older than the name leasing holds changes nothing. The names stored on the contracts themselves (at
// their last write, carried by their events) stay as they were: a rename is not a change of a contract.
// Both run in the consumer's transaction with the inbox insert: applied exactly once.

export async function onPartyUpdated(
  event: ConsumedEvent<typeof partiesEvents.partyUpdated>,
  { trx }: EventContext<LeasingDatabase>,
): Promise<void> {
  const party = event.data.after;
  await new ReferenceNames(trx).remember('party', party.id, party.name, new Date(event.time));
}

export async function onAssetUpdated(
  event: ConsumedEvent<typeof assetsEvents.assetUpdated>,
  { trx }: EventContext<LeasingDatabase>,
): Promise<void> {
  const asset = event.data.after;
  await new ReferenceNames(trx).remember('asset', asset.id, assetName(asset), new Date(event.time));
}
