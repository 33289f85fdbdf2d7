import type { Contract, ContractStatus } from './types.ts';

export const CONTRACT_STATUSES: readonly ContractStatus[] = [
  'draft',
  'approved',
  'signed',
  'active',
  'closed',
  'rejected',
  'terminated',
  'defaulted',
];

export type ContractAction =
  'approve' | 'reject' | 'sign' | 'activate' | 'close' | 'terminate' | 'default' | 'restructure';

/**
 * Each status action: the statuses it starts from and the permission it needs — the leasing service's
 * rules (services/leasing/src/contracts/contract.ts, README "Status model"). Reject needs the approve
 * permission, as the API checks it: approving and rejecting are the same decision.
 */
export const CONTRACT_ACTIONS: Record<
  ContractAction,
  { from: readonly ContractStatus[]; permission: string }
> = {
  approve: { from: ['draft'], permission: 'leasing:contracts:approve' },
  reject: { from: ['draft'], permission: 'leasing:contracts:approve' },
  sign: { from: ['approved'], permission: 'leasing:contracts:sign' },
  activate: { from: ['signed'], permission: 'leasing:contracts:activate' },
  close: { from: ['active'], permission: 'leasing:contracts:close' },
  terminate: { from: ['active'], permission: 'leasing:contracts:terminate' },
  default: { from: ['active'], permission: 'leasing:contracts:default' },
  restructure: { from: ['active'], permission: 'leasing:contracts:restructure' },
};

/** The actions offered on a contract: those its status allows and the user's permissions grant, in order. */
export function availableActions(
  status: ContractStatus,
  can: (permission: string) => boolean,
): ContractAction[] {
  return (Object.keys(CONTRACT_ACTIONS) as ContractAction[]).filter(
    (action) => CONTRACT_ACTIONS[action].from.includes(status) && can(CONTRACT_ACTIONS[action].permission),
  );
}

/** The id the services record as the actor of a call: a user's id, or `client:<id>` for a service client. */
export function actorId(me: { id: string; kind: 'user' | 'client' } | null): string | null {
  if (!me) return null;
  return me.kind === 'client' ? `client:${me.id}` : me.id;
}

/**
 * Four eyes: the author of a draft may neither approve nor reject it (the API refuses it with
 * FOUR_EYES_REQUIRED, and the database once more). True when the rule blocks `actor` on this contract.
 */
export function fourEyesBlocks(
  contract: Pick<Contract, 'status' | 'createdBy'>,
  actor: string | null,
): boolean {
  return contract.status === 'draft' && actor !== null && contract.createdBy === actor;
}

/** Today as a business date (`YYYY-MM-DD`, UTC — the date the services default to). */
export function todayUtc(): string {
  return new Date().toISOString().slice(0, 10);
}
