import { Decimal } from '../money.ts';

/** An installment of a lease schedule as finance keeps it: what income recognition and settlement need. */
export interface KeptInstallment {
  n: number;
  dueDate: string;
  principal: string;
  interest: string;
}

/**
 * The values finance derives from its own copy of a lease when an event arrives, by event type: posting rules
 * name them as `$name`. Computed before the event changes that copy, and kept with a review item, so a retry
 * posts what the event meant when it came.
 */
export const DERIVED_VALUES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'lessor.leasing.contract.terminated.v1': {
    unbilledInterest:
      'Interest of the installments due after the termination date, less the accrued interest the termination ' +
      'invoice bills: the unearned income that will never be billed.',
  },
  'lessor.leasing.contract.restructured.v1': {
    interestChange:
      'Interest of the new schedule’s installments due from `schedule.effectiveFrom`, less that of the ' +
      'installments they replace: what the lease receivable and the unearned income grow (or shrink) by.',
  },
};

/**
 * IFRS 16, lessor, on early termination: installments due after the termination date are never billed, so
 * their interest leaves the unearned income and the lease receivable — except the part accrued since the last
 * due date, which the termination invoice bills (and the termination rule recognises as income).
 */
export function unbilledInterest(
  installments: readonly KeptInstallment[],
  terminationDate: string,
  accruedInterest: string,
): Decimal {
  const after = installments
    .filter((installment) => installment.dueDate > terminationDate)
    .reduce((sum, installment) => sum.plus(installment.interest), new Decimal(0));
  return after.minus(accruedInterest);
}

/**
 * What a restructuring changes in the interest still to be earned: the new version's installments due from
 * `effectiveFrom` (the ones before are kept unchanged) against the ones they replace.
 */
export function interestChange(
  before: readonly KeptInstallment[],
  after: readonly KeptInstallment[],
  effectiveFrom: string,
): Decimal {
  const sum = (installments: readonly KeptInstallment[]) =>
    installments
      .filter((installment) => installment.dueDate >= effectiveFrom)
      .reduce((total, installment) => total.plus(installment.interest), new Decimal(0));
  return sum(after).minus(sum(before));
}

/**
 * The installments whose interest is earned by `upTo`: due on or before it (and, for a terminated lease, on or
 * before the termination date — later ones were settled by the termination), with interest to recognise.
 * Income is recognised when an installment falls due: the schedule's interest of each period is the effective
 * interest of that period, so recognising it at the due date follows IFRS 16's constant periodic rate.
 */
export function dueForRecognition<T extends KeptInstallment>(
  installments: readonly T[],
  upTo: string,
  terminatedOn: string | null,
): T[] {
  const limit = terminatedOn !== null && terminatedOn < upTo ? terminatedOn : upTo;
  return installments.filter(
    (installment) => installment.dueDate <= limit && new Decimal(installment.interest).gt(0),
  );
}
