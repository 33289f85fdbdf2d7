import { describe, expect, it } from 'vitest';
import { leasingEvents } from '@lessor/event-catalog';
import { assetsService } from '../assets.service.ts';
import {
  CONTRACT_REACTIONS,
  decideContractTransition,
  manualTargets,
  type AssetAtEvent,
} from './asset-status.ts';
import { ASSET_STATUSES } from './asset.ts';

const C1 = '0193a1b2-0000-7000-8000-0000000000c1';
const C2 = '0193a1b2-0000-7000-8000-0000000000c2';
const { signed, activated, closed, closedWithBuyout: boughtOut, terminated } = CONTRACT_REACTIONS;
const at = (status: AssetAtEvent['status'], contractId: string | null = null): AssetAtEvent => ({
  status,
  contractId,
  deleted: false,
});

describe('manual transitions', () => {
  it('should allow exactly the guard table when a person changes the status', () => {
    const allowed = Object.fromEntries(ASSET_STATUSES.map((from) => [from, [...manualTargets(from)]]));
    expect(allowed).toEqual({
      available: ['reserved', 'sold'],
      reserved: ['available', 'leased'],
      leased: ['returned'],
      returned: ['available', 'sold'],
      sold: [],
    });
  });
});

describe('contract reactions', () => {
  it('should map each contract event to its target when assets acts on it', () => {
    expect([signed, activated, closed, boughtOut, terminated].map((reaction) => reaction.target)).toEqual([
      'reserved',
      'leased',
      'returned',
      'sold',
      'returned',
    ]);
  });

  it('should consume only the contract events it acts on when leasing publishes others', () => {
    const consumed = (assetsService.consumes?.events ?? []).map((event) => event.type);
    expect(consumed).toEqual([
      'lessor.leasing.contract.signed.v1',
      'lessor.leasing.contract.activated.v1',
      'lessor.leasing.contract.closed.v1',
      'lessor.leasing.contract.terminated.v1',
    ]);
    expect(consumed).not.toContain(leasingEvents.contractApproved.type);
  });
});

describe('decideContractTransition', () => {
  it('should apply when the asset is in an expected status and no other contract holds it', () => {
    expect(decideContractTransition(at('available'), signed, C1, [])).toEqual({ kind: 'apply' });
    expect(decideContractTransition(at('reserved'), signed, C1, [])).toEqual({ kind: 'apply' });
    expect(decideContractTransition(at('reserved', C1), activated, C1, ['reserved'])).toEqual({
      kind: 'apply',
    });
    expect(decideContractTransition(at('available'), activated, C1, [])).toEqual({ kind: 'apply' });
    expect(decideContractTransition(at('leased', C1), closed, C1, ['reserved', 'leased'])).toEqual({
      kind: 'apply',
    });
    expect(decideContractTransition(at('returned', C1), boughtOut, C1, ['leased', 'returned'])).toEqual({
      kind: 'apply',
    });
  });

  it('should be done when the contract already took the asset there or beyond', () => {
    expect(decideContractTransition(at('reserved', C1), signed, C1, ['reserved'])).toEqual({ kind: 'done' });
    expect(decideContractTransition(at('leased', C1), signed, C1, ['reserved', 'leased'])).toEqual({
      kind: 'done',
    });
    // Returned by hand and made available again before the close arrived: the close has nothing left to do.
    expect(decideContractTransition(at('available'), closed, C1, ['leased', 'returned'])).toEqual({
      kind: 'done',
    });
    expect(decideContractTransition(at('returned', C1), terminated, C1, ['returned'])).toEqual({
      kind: 'done',
    });
  });

  it('should refuse when another contract holds the asset', () => {
    const decision = decideContractTransition(at('leased', C2), signed, C1, []);
    expect(decision).toEqual({ kind: 'conflict', reason: `the asset is leased under contract ${C2}` });
  });

  it('should refuse when the asset is in a status the event cannot move it from', () => {
    expect(decideContractTransition(at('returned'), signed, C1, [])).toEqual({
      kind: 'conflict',
      reason: 'the asset is returned; signed needs it available or reserved',
    });
    expect(decideContractTransition(at('sold'), activated, C1, []).kind).toBe('conflict');
    expect(decideContractTransition(at('reserved', C1), closed, C1, ['reserved']).kind).toBe('conflict');
  });

  it('should refuse when the asset is unknown or deleted', () => {
    expect(decideContractTransition(undefined, signed, C1, []).kind).toBe('conflict');
    expect(
      decideContractTransition({ status: 'available', contractId: null, deleted: true }, signed, C1, []),
    ).toEqual({ kind: 'conflict', reason: 'the asset is deleted' });
  });
});
