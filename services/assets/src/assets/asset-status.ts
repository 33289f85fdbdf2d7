import type { AssetStatus } from './asset.ts';

// The status model of an asset, as values: which changes a person may make, and how each contract event
// moves the asset. The service applies them; nothing here touches the database.

/**
 * The changes a person may make by hand. A leased asset comes back only as returned (it is with the lessee);
 * a sold one never changes again; a returned one is checked before it is available again or sold.
 */
export const MANUAL_TRANSITIONS: Readonly<Record<AssetStatus, readonly AssetStatus[]>> = {
  available: ['reserved', 'sold'],
  reserved: ['available', 'leased'],
  leased: ['returned'],
  returned: ['available', 'sold'],
  sold: [],
};

/** The statuses a manual change may lead to from `from` (empty for a sold asset). */
export function manualTargets(from: AssetStatus): readonly AssetStatus[] {
  return MANUAL_TRANSITIONS[from];
}

/** The word of the status event each target publishes: `lessor.assets.asset.<verb>.v1`. */
export const STATUS_EVENT_VERB = {
  available: 'released',
  reserved: 'reserved',
  leased: 'leased',
  returned: 'returned',
  sold: 'sold',
} as const satisfies Record<AssetStatus, string>;

/** An asset a person cannot delete: a contract is about to take it or has it. */
export function blocksDeletion(status: AssetStatus): boolean {
  return status === 'reserved' || status === 'leased';
}

/** What one contract event does to its asset. */
export interface ContractReaction {
  /** What happened to the contract, for the history's reason: `contract LC-1 signed`. */
  happened: 'signed' | 'activated' | 'closed' | 'closed with buyout' | 'terminated';
  target: AssetStatus;
  /** The statuses the asset may be in for the event to move it (when no other contract holds it). */
  from: readonly AssetStatus[];
  /**
   * The statuses that, once reached under this contract, mean the event's work is done or overtaken: the same
   * event again (with a new id), a step made by hand first, or a parked event replayed after later ones.
   */
  done: readonly AssetStatus[];
}

/**
 * What each leasing contract event does to its asset. Signing reserves the asset (a hold placed by hand for
 * the deal is taken over); activation leases it, also straight from available when the reservation was
 * released or its event parked (the asset is delivered: leasing is right about that); closing returns it, or
 * sells it when the lessee bought it, also after it was marked returned by hand; a termination returns it.
 */
export const CONTRACT_REACTIONS = {
  signed: {
    happened: 'signed',
    target: 'reserved',
    from: ['available', 'reserved'],
    done: ['reserved', 'leased', 'returned', 'sold'],
  },
  activated: {
    happened: 'activated',
    target: 'leased',
    from: ['available', 'reserved'],
    done: ['leased', 'returned', 'sold'],
  },
  closed: { happened: 'closed', target: 'returned', from: ['leased'], done: ['returned', 'sold'] },
  closedWithBuyout: {
    happened: 'closed with buyout',
    target: 'sold',
    from: ['leased', 'returned'],
    done: ['sold'],
  },
  terminated: { happened: 'terminated', target: 'returned', from: ['leased'], done: ['returned', 'sold'] },
} as const satisfies Record<string, ContractReaction>;

/** The asset as a contract event finds it. */
export interface AssetAtEvent {
  status: AssetStatus;
  /** The contract holding it, if any. */
  contractId: string | null;
  deleted: boolean;
}

export type ContractDecision = { kind: 'apply' } | { kind: 'done' } | { kind: 'conflict'; reason: string };

/**
 * Decides what a contract event does to its asset:
 * - `done` when the history shows this contract already took the asset to one of `done` (nothing to do);
 * - `apply` when the asset is in one of `from` and no other contract holds it;
 * - `conflict` otherwise — the asset is unknown, deleted, sold, or held by another contract. The handler
 *   refuses: the event is retried (another contract's close may be on its way), then parked for a person, who
 *   puts the asset right by hand and replays the event, or discards it.
 */
export function decideContractTransition(
  asset: AssetAtEvent | undefined,
  reaction: ContractReaction,
  contractId: string,
  reachedUnderContract: readonly AssetStatus[],
): ContractDecision {
  if (reachedUnderContract.some((status) => reaction.done.includes(status))) return { kind: 'done' };
  if (!asset) return { kind: 'conflict', reason: 'the asset is not in the register' };
  if (asset.deleted) return { kind: 'conflict', reason: 'the asset is deleted' };
  if (asset.contractId !== null && asset.contractId !== contractId) {
    return {
      kind: 'conflict',
      reason: `the asset is ${asset.status} under contract ${asset.contractId}`,
    };
  }
  if (!reaction.from.includes(asset.status)) {
    return {
      kind: 'conflict',
      reason: `the asset is ${asset.status}; ${reaction.happened} needs it ${reaction.from.join(' or ')}`,
    };
  }
  return { kind: 'apply' };
}
