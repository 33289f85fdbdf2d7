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
    earnedInterestChange:
      'The part of `$interestChange` that falls on installments whose income was recognised already (a ' +
      'restructuring dated in the past): earned at once, so the unearned income keeps exactly the new ' +
      'schedule’s interest not yet earned.',
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

/** A kept installment with what income recognition did with it, as a restructuring finds it. */
export interface KeptInstallmentState extends KeptInstallment {
  /** Dropped by an earlier restructuring (its interest is neither unearned nor earned). */
  voided: boolean;
  /** Its interest was recognised as income (the installment keeps that entry, even when voided). */
  recognised: boolean;
}

/**
 * What a restructuring changes in the income recognised already. A restructuring dated in the past re-prices
 * installments whose interest was earned at the old price: finance's copy takes the new interest and they
 * stay recognised (never recognised twice), so the difference is earned now — Dr 2300 / Cr 4000, or the other
 * way when the interest went down — and 2300 then holds exactly the interest of the installments not yet
 * earned (IFRS 9 §5.4.3: a modification's effect on the gross carrying amount goes to profit or loss when it
 * is made). The installments replaced are those `#keep` rewrites or voids: due from `effectiveFrom`.
 * No rounding: it adds and subtracts schedule amounts, which are already in the currency's minor units (and
 * decimal.js adds decimal strings exactly), so the catch-up is exact to the cent the schedules carry.
 */
export function earnedInterestChange(
  before: readonly KeptInstallmentState[],
  after: readonly KeptInstallment[],
  effectiveFrom: string,
): Decimal {
  const recognised = new Set(before.filter((row) => row.recognised).map((row) => row.n));
  const earnedAfter = after
    .filter((installment) => installment.dueDate >= effectiveFrom && recognised.has(installment.n))
    .reduce((total, installment) => total.plus(installment.interest), new Decimal(0));
  const earnedBefore = before
    .filter((row) => !row.voided && row.recognised && row.dueDate >= effectiveFrom)
    .reduce((total, row) => total.plus(row.interest), new Decimal(0));
  return earnedAfter.minus(earnedBefore);
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
