import { isKnownCurrency, minorUnits } from './currencies.ts';
import { D, HUNDRED, ZERO, isDecimalString, roundHalfUp, type Decimal } from './decimal.ts';
import { parseDate } from './dates.ts';
import { IssueCollector } from './errors.ts';

/** How the principal is spread over the installments. */
export type ScheduleType = 'annuity' | 'differentiated' | 'seasonal';

/** How interest for a period is counted. */
export type DayCount = '30/360' | 'actual/365' | 'actual/360';

/** A one-off fee paid by the lessee on the start date. */
export interface LeaseFee {
  name: string;
  amount: string;
}

/** The terms of a lease as the leasing service receives them; amounts and rates are decimal strings. */
export interface LeaseTerms {
  /** ISO 4217 code, e.g. "EUR"; unknown → issue on `/currency`. */
  currency: string;
  /** > 0, in the currency's minor units at most. */
  assetPrice: string;
  /** 0 ≤ advance < price; a percent of the price or an amount; default 0. */
  advance?: { percent: string } | { amount: string };
  /** Integer 1..600. */
  termMonths: number;
  /** Nominal annual rate in percent, ≥ 0 ("9.5"). */
  annualRate: string;
  scheduleType: ScheduleType;
  /** Seasonal only: exactly 12 weights, January first, each ≥ 0, sum > 0. */
  seasonalWeights?: string[];
  /** Default 0; 0 ≤ residual ≤ financed amount. Bought out on the last due date. */
  residualValue?: string;
  /** YYYY-MM-DD, a real date. */
  startDate: string;
  /** Percent, default 0; shown apart from each payment. */
  vatRate?: string;
  /** One-off fees paid on the start date. */
  fees?: LeaseFee[];
  /** The first g installments pay interest only; 0 ≤ g < termMonths. */
  graceMonths?: number;
  /** Default '30/360'. */
  dayCount?: DayCount;
}

/** Validated terms in the form the calculation uses. */
export interface ValidTerms {
  currency: string;
  decimals: number;
  assetPrice: Decimal;
  advance: Decimal;
  financedAmount: Decimal;
  residualValue: Decimal;
  termMonths: number;
  graceMonths: number;
  annualRate: Decimal;
  scheduleType: ScheduleType;
  seasonalWeights: Decimal[] | undefined;
  startDate: string;
  vatRate: Decimal;
  fees: { name: string; amount: Decimal }[];
  dayCount: DayCount;
}

export const MAX_TERM_MONTHS = 600;
export const SCHEDULE_TYPES: readonly ScheduleType[] = ['annuity', 'differentiated', 'seasonal'];
export const DAY_COUNTS: readonly DayCount[] = ['30/360', 'actual/365', 'actual/360'];
// Leases are dated in this range; it also keeps the last due date (up to 50 years on) a 4-digit year.
const FIRST_START_YEAR = 1900;
const LAST_START_YEAR = 2999;

/** Reads a decimal string at `field`, recording an issue when it is missing or malformed. */
export function readDecimal(issues: IssueCollector, field: string, value: unknown): Decimal | undefined {
  if (!isDecimalString(value)) {
    issues.add(field, value === undefined ? 'is required' : 'must be a decimal string such as "1200.50"');
    return undefined;
  }
  return new D(value);
}

/** Reads a money amount: a decimal string ≥ 0 with no more decimals than the currency's minor unit. */
export function readAmount(
  issues: IssueCollector,
  field: string,
  value: unknown,
  decimals: number | undefined,
): Decimal | undefined {
  const amount = readDecimal(issues, field, value);
  if (!amount) return undefined;
  if (amount.isNegative() && !amount.isZero()) {
    issues.add(field, 'must not be negative');
    return undefined;
  }
  if (decimals !== undefined && !roundHalfUp(amount, decimals).eq(amount)) {
    issues.add(field, `must be a whole number of minor units (${decimals} decimals)`);
    return undefined;
  }
  return amount;
}

/** Reads an integer in [min, max] at `field`. */
export function readInteger(
  issues: IssueCollector,
  field: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    issues.add(field, value === undefined ? 'is required' : 'must be an integer');
    return undefined;
  }
  if (value < min || value > max) {
    issues.add(field, `must be between ${min} and ${max}`);
    return undefined;
  }
  return value;
}

/** Reads a percent rate ≥ 0. */
export function readRate(issues: IssueCollector, field: string, value: unknown): Decimal | undefined {
  const rate = readDecimal(issues, field, value);
  if (rate && rate.isNegative() && !rate.isZero()) {
    issues.add(field, 'must not be negative');
    return undefined;
  }
  return rate;
}

/** Reads twelve seasonal weights (January first), each ≥ 0, summing to more than 0. */
export function readSeasonalWeights(
  issues: IssueCollector,
  field: string,
  value: unknown,
): Decimal[] | undefined {
  if (value === undefined) {
    issues.add(field, 'is required for a seasonal schedule');
    return undefined;
  }
  if (!Array.isArray(value) || value.length !== 12) {
    issues.add(field, 'must be exactly 12 weights, January first');
    return undefined;
  }
  const weights = value.map((weight: unknown, index) => readRate(issues, `${field}/${index}`, weight));
  if (weights.some((weight) => weight === undefined)) return undefined;
  const valid = weights as Decimal[];
  if (valid.every((weight) => weight.isZero())) {
    issues.add(field, 'must not all be zero');
    return undefined;
  }
  return valid;
}

/** Reads a start date: a real YYYY-MM-DD date in 1900..2999. */
export function readStartDate(issues: IssueCollector, field: string, value: unknown): string | undefined {
  const date = parseDate(value);
  if (!date) {
    issues.add(field, value === undefined ? 'is required' : 'must be a real date YYYY-MM-DD');
    return undefined;
  }
  if (date.year < FIRST_START_YEAR || date.year > LAST_START_YEAR) {
    issues.add(field, `must be in the years ${FIRST_START_YEAR}..${LAST_START_YEAR}`);
    return undefined;
  }
  return value as string;
}

/**
 * Checks every field of `terms` and returns them parsed; throws one {@link LeaseTermsError} listing every
 * issue found. Fields are reported as JSON pointers into the input.
 */
export function validateTerms(terms: LeaseTerms): ValidTerms {
  const issues = new IssueCollector();
  if (typeof terms !== 'object' || terms === null || Array.isArray(terms)) {
    issues.add('', 'lease terms must be an object');
    issues.throwIfAny();
  }

  let decimals: number | undefined;
  if (!isKnownCurrency(terms.currency)) {
    issues.add(
      '/currency',
      terms.currency === undefined ? 'is required' : 'must be a known ISO 4217 code such as "EUR"',
    );
  } else {
    decimals = minorUnits(terms.currency);
  }

  const assetPrice = readAmount(issues, '/assetPrice', terms.assetPrice, decimals);
  if (assetPrice?.isZero()) issues.add('/assetPrice', 'must be greater than 0');
  const priceOk = assetPrice !== undefined && !assetPrice.isZero();

  // The advance is paid on the start date; a percent becomes an amount rounded half-up to the minor unit.
  let advance: Decimal | undefined = ZERO;
  const advanceInput: unknown = terms.advance;
  if (advanceInput !== undefined) {
    if (typeof advanceInput !== 'object' || advanceInput === null) {
      issues.add('/advance', 'must be { "percent": "…" } or { "amount": "…" }');
      advance = undefined;
    } else if ('percent' in advanceInput && 'amount' in advanceInput) {
      issues.add('/advance', 'give either percent or amount, not both');
      advance = undefined;
    } else if ('percent' in advanceInput) {
      const percent = readRate(issues, '/advance/percent', advanceInput.percent);
      advance = undefined;
      if (percent && percent.gte(HUNDRED)) {
        issues.add('/advance/percent', 'must be less than 100');
      } else if (percent && priceOk && decimals !== undefined) {
        advance = roundHalfUp(assetPrice.times(percent).div(HUNDRED), decimals);
        if (advance.gte(assetPrice)) {
          issues.add(
            '/advance/percent',
            'rounds to the whole asset price; the advance must be less than the price',
          );
          advance = undefined;
        }
      }
    } else if ('amount' in advanceInput) {
      advance = readAmount(issues, '/advance/amount', advanceInput.amount, decimals);
      if (advance && priceOk && advance.gte(assetPrice)) {
        issues.add('/advance/amount', 'must be less than the asset price');
        advance = undefined;
      }
    } else {
      issues.add('/advance', 'must be { "percent": "…" } or { "amount": "…" }');
      advance = undefined;
    }
  }

  // F = price − advance: what the lessor finances and the schedule repays.
  const financedAmount = priceOk && advance ? assetPrice.minus(advance) : undefined;

  const residualValue =
    terms.residualValue === undefined
      ? ZERO
      : readAmount(issues, '/residualValue', terms.residualValue, decimals);
  if (residualValue && financedAmount && residualValue.gt(financedAmount)) {
    issues.add(
      '/residualValue',
      `must not exceed the financed amount ${financedAmount.toFixed(decimals ?? 0)}`,
    );
  }

  const termMonths = readInteger(issues, '/termMonths', terms.termMonths, 1, MAX_TERM_MONTHS);
  let graceMonths: number | undefined = 0;
  if (terms.graceMonths !== undefined) {
    graceMonths = readInteger(issues, '/graceMonths', terms.graceMonths, 0, MAX_TERM_MONTHS);
    if (graceMonths !== undefined && termMonths !== undefined && graceMonths >= termMonths) {
      issues.add('/graceMonths', 'must be less than termMonths');
    }
  }

  const annualRate = readRate(issues, '/annualRate', terms.annualRate);

  const scheduleType = terms.scheduleType;
  if (!SCHEDULE_TYPES.includes(scheduleType)) {
    issues.add('/scheduleType', `must be one of ${SCHEDULE_TYPES.join(', ')}`);
  }
  let seasonalWeights: Decimal[] | undefined;
  if (scheduleType === 'seasonal') {
    seasonalWeights = readSeasonalWeights(issues, '/seasonalWeights', terms.seasonalWeights);
  } else if (terms.seasonalWeights !== undefined) {
    issues.add('/seasonalWeights', 'applies only to the seasonal schedule type');
  }

  const startDate = readStartDate(issues, '/startDate', terms.startDate);
  const vatRate = terms.vatRate === undefined ? ZERO : readRate(issues, '/vatRate', terms.vatRate);

  const fees: { name: string; amount: Decimal }[] = [];
  if (terms.fees !== undefined) {
    if (!Array.isArray(terms.fees)) {
      issues.add('/fees', 'must be a list of { "name", "amount" }');
    } else {
      terms.fees.forEach((fee: unknown, index) => {
        if (typeof fee !== 'object' || fee === null) {
          issues.add(`/fees/${index}`, 'must be { "name", "amount" }');
          return;
        }
        const { name, amount: rawAmount } = fee as { name?: unknown; amount?: unknown };
        if (typeof name !== 'string' || name.trim() === '')
          issues.add(`/fees/${index}/name`, 'must be a non-empty string');
        const amount = readAmount(issues, `/fees/${index}/amount`, rawAmount, decimals);
        if (amount && typeof name === 'string') fees.push({ name, amount });
      });
      // The effective rate discounts −(F − fees) on the start date: it needs money actually lent out.
      const totalFees = fees.reduce((sum, fee) => sum.plus(fee.amount), ZERO);
      if (financedAmount && !issues.has('/fees') && totalFees.gte(financedAmount)) {
        issues.add('/fees', 'the fees together must be less than the financed amount');
      }
    }
  }

  const dayCount = terms.dayCount ?? '30/360';
  if (!DAY_COUNTS.includes(dayCount)) issues.add('/dayCount', `must be one of ${DAY_COUNTS.join(', ')}`);

  issues.throwIfAny();
  return {
    currency: terms.currency,
    decimals: decimals!,
    assetPrice: assetPrice!,
    advance: advance!,
    financedAmount: financedAmount!,
    residualValue: residualValue!,
    termMonths: termMonths!,
    graceMonths: graceMonths!,
    annualRate: annualRate!,
    scheduleType,
    seasonalWeights,
    startDate: startDate!,
    vatRate: vatRate!,
    fees,
    dayCount,
  };
}
