// The contract's status model, as values: which transition leads where, who may make it, and what must
// hold first. Pure: the service loads the contract, asks here, and writes what this answers.

export const CONTRACT_STATUSES = [
  'draft',
  'approved',
  'signed',
  'active',
  'closed',
  'rejected',
  'terminated',
  'defaulted',
] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

/** The transitions of a contract, each with its permission (`leasing:contracts:<action>`). */
export const TRANSITIONS = {
  approve: { from: ['draft'], to: 'approved', permission: 'leasing:contracts:approve' },
  reject: { from: ['draft'], to: 'rejected', permission: 'leasing:contracts:approve' },
  sign: { from: ['approved'], to: 'signed', permission: 'leasing:contracts:sign' },
  activate: { from: ['signed'], to: 'active', permission: 'leasing:contracts:activate' },
  close: { from: ['active'], to: 'closed', permission: 'leasing:contracts:close' },
  terminate: { from: ['active'], to: 'terminated', permission: 'leasing:contracts:terminate' },
  default: { from: ['active'], to: 'defaulted', permission: 'leasing:contracts:default' },
} as const satisfies Record<
  string,
  { from: readonly ContractStatus[]; to: ContractStatus; permission: string }
>;

export type TransitionName = keyof typeof TRANSITIONS;

/** The statuses a contract never leaves. */
export const FINAL_STATUSES: readonly ContractStatus[] = ['closed', 'rejected', 'terminated', 'defaulted'];

/** Why a transition cannot be made, in words for the problem's detail; null when it can. */
export function transitionRefusal(transition: TransitionName, status: ContractStatus): string | null {
  const allowed: readonly ContractStatus[] = TRANSITIONS[transition].from;
  if (allowed.includes(status)) return null;
  return `A ${status} contract cannot be ${pastTense(transition)}; only a ${allowed.join(' or ')} one can`;
}

/** Why a person may not decide on a contract: they made it, or they changed it since. */
export interface FourEyesRefusal {
  code: 'FOUR_EYES_REQUIRED' | 'FOUR_EYES_EDITOR';
  detail: string;
}

/**
 * Four eyes: the person who approves or rejects a contract has neither made it nor changed it in any way
 * since (`editors`: everyone who changed the draft, kept by the database). Otherwise one person could edit a
 * colleague's draft into what they want and approve it alone. A service client (a script acting for a
 * person) counts as its own person, so it cannot approve what it made or changed either.
 */
export function fourEyesRefusal(
  contract: { createdBy: string; editors: readonly string[] },
  decider: string,
): FourEyesRefusal | null {
  if (contract.createdBy === decider)
    return {
      code: 'FOUR_EYES_REQUIRED',
      detail: 'The contract must be approved or rejected by someone other than its author',
    };
  if (contract.editors.includes(decider))
    return {
      code: 'FOUR_EYES_EDITOR',
      detail:
        'You changed this contract while it was a draft, so someone who has neither made nor changed it must approve or reject it',
    };
  return null;
}

/** Whether a business date has reached the contract's last due date (a contract closes only then). */
export function hasRunItsTerm(lastDueDate: string, businessDate: string): boolean {
  return businessDate >= lastDueDate;
}

/** `LC-LESSOR-2026-000042`: the contract number, per legal entity and year, without gaps. */
export function contractNumber(legalEntity: string, year: number, sequence: number): string {
  return `LC-${legalEntity}-${year}-${String(sequence).padStart(6, '0')}`;
}

function pastTense(transition: TransitionName): string {
  return {
    approve: 'approved',
    reject: 'rejected',
    sign: 'signed',
    activate: 'activated',
    close: 'closed',
    terminate: 'terminated',
    default: 'declared in default',
  }[transition];
}
