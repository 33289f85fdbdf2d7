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

/**
 * Four eyes: the person who made a contract may not approve or reject it. A service client (a script
 * acting for a person) counts as its own person, so it cannot approve what it made either.
 */
export function fourEyesRefusal(author: string, approver: string): string | null {
  return author === approver ? 'The contract must be approved by someone other than its author' : null;
}

/** Whether a business date has reached the contract's last due date (a contract closes only then). */
export function hasRunItsTerm(lastDueDate: string, businessDate: string): boolean {
  return businessDate >= lastDueDate;
}

/** `LC-LESSOR-2026-000042`: the contract number, per legal entity and year, without gaps. */
export function contractNumber(legalEntity: string, year: number, sequence: number): string {
  return `LC-${legalEntity}-${year}-${String(sequence).padStart(6, '0')}`;
}

/**
 * The payment reference a lessee writes on a transfer: the number without dashes plus two mod-97 check
 * digits computed as for an IBAN (ISO 7064; letters count as 10–35), so billing can refuse a mistyped one.
 */
export function paymentReference(number: string): string {
  const body = number.replaceAll('-', '').toUpperCase();
  const check = 98 - Number(BigInt(`${numeric(body)}00`) % 97n);
  return `${body}${String(check).padStart(2, '0')}`;
}

/** True when a reference carries valid mod-97 check digits. */
export function isValidPaymentReference(reference: string): boolean {
  if (!/^[A-Z0-9]{3,}$/.test(reference)) return false;
  return BigInt(numeric(reference)) % 97n === 1n;
}

function numeric(text: string): string {
  return [...text].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('');
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
