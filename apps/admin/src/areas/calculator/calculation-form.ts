import { compareDecimal, parseDecimalInput, percentOf } from './decimal.ts';
import type { Calculation, CalculationRequest, DayCount, Product, ScheduleType } from './types.ts';

/** What the calculator form edits. Amounts, rates and percents stay strings as typed; never numbers. */
export interface CalculationFormValues {
  productId: string;
  currency: string;
  assetPrice: string;
  advanceMode: 'percent' | 'amount';
  advance: string;
  termMonths: number | '';
  annualRate: string;
  scheduleType: ScheduleType | '';
  /** Twelve weights, January first (seasonal schedules only). */
  seasonalWeights: string[];
  residualValue: string;
  startDate: string;
  vatRate: string;
  graceMonths: number | '';
  dayCount: DayCount | '';
}

/** A message key of the calculator's texts (`validation.*`) with its values. */
export interface FormMessage {
  key: string;
  values?: Record<string, string | number>;
}

/** The first day of the month after `today`, as YYYY-MM-DD: when a lease usually starts. */
export function nextMonthStart(today = new Date()): string {
  const year = today.getMonth() === 11 ? today.getFullYear() + 1 : today.getFullYear();
  const month = (today.getMonth() + 1) % 12;
  return `${year}-${String(month + 1).padStart(2, '0')}-01`;
}

export function defaultValues(product?: Product, today = new Date()): CalculationFormValues {
  return {
    productId: product?.id ?? '',
    currency: product?.currencies[0] ?? 'EUR',
    assetPrice: '',
    advanceMode: 'percent',
    advance: '',
    termMonths: product ? Math.min(Math.max(36, product.minTermMonths), product.maxTermMonths) : 36,
    annualRate: product?.minRate ?? '',
    scheduleType: product?.scheduleTypes[0] ?? 'annuity',
    seasonalWeights: Array.from({ length: 12 }, () => '1'),
    residualValue: '',
    startDate: nextMonthStart(today),
    // The German standard rate; the user changes it for another country.
    vatRate: '19',
    graceMonths: '',
    dayCount: '',
  };
}

/**
 * The form's values for a product the user switched to: what the product does not offer is replaced, and a
 * term or rate outside its range moves to the nearest end of it (the field shows the new value and range).
 */
export function fitToProduct(values: CalculationFormValues, product: Product): CalculationFormValues {
  const rate = parseDecimalInput(values.annualRate);
  return {
    ...values,
    productId: product.id,
    currency: product.currencies.includes(values.currency) ? values.currency : product.currencies[0]!,
    scheduleType:
      values.scheduleType !== '' && product.scheduleTypes.includes(values.scheduleType)
        ? values.scheduleType
        : product.scheduleTypes[0]!,
    termMonths:
      values.termMonths === ''
        ? values.termMonths
        : Math.min(Math.max(values.termMonths, product.minTermMonths), product.maxTermMonths),
    annualRate:
      rate === null
        ? values.annualRate
        : compareDecimal(rate, product.minRate) < 0
          ? product.minRate
          : compareDecimal(rate, product.maxRate) > 0
            ? product.maxRate
            : values.annualRate,
  };
}

/** The form's values from a saved calculation (the advance as the amount it came to). */
export function valuesOfCalculation(calculation: Calculation): CalculationFormValues {
  const base = defaultValues();
  const advanced = compareDecimal(calculation.advance.amount, '0') > 0;
  const residual = compareDecimal(calculation.residualValue.amount, '0') > 0;
  return {
    ...base,
    productId: calculation.productId ?? '',
    currency: calculation.assetPrice.currency,
    assetPrice: calculation.assetPrice.amount,
    advanceMode: 'amount',
    advance: advanced ? calculation.advance.amount : '',
    termMonths: calculation.termMonths,
    annualRate: calculation.annualRate,
    scheduleType: calculation.scheduleType as ScheduleType,
    residualValue: residual ? calculation.residualValue.amount : '',
    startDate: calculation.startDate,
    vatRate: calculation.vatRate,
    graceMonths: calculation.graceMonths > 0 ? calculation.graceMonths : '',
    dayCount: calculation.dayCount as DayCount,
  };
}

/**
 * The shape of a decimal the API's schema allows (services/leasing/src/calculations/calculation.schemas.ts):
 * at most `digits` before and `decimals` after the point, and at most `max` when given.
 */
interface DecimalShape {
  digits: number;
  decimals: number;
  max?: string;
}
const AMOUNT: DecimalShape = { digits: 13, decimals: 4 };
const PERCENT: DecimalShape = { digits: 3, decimals: 4, max: '100' };
const RATE: DecimalShape = { digits: 3, decimals: 6 };
const WEIGHT: DecimalShape = { digits: 4, decimals: 6 };

/** A typed decimal as the API takes it, or null when it does not have the shape the API allows. */
function decimal(input: string, shape: DecimalShape): string | null {
  const value = parseDecimalInput(input);
  if (value === null) return null;
  const [whole = '', fraction = ''] = value.split('.');
  if (whole.length > shape.digits || fraction.length > shape.decimals) return null;
  return shape.max !== undefined && compareDecimal(value, shape.max) > 0 ? null : value;
}

/**
 * The form's own checks: required fields, the shape of each number, and the chosen product's frame (term and
 * rate ranges, the largest advance and residual value as a share of the asset price) — so the user sees a
 * limit beside the field before asking the server. Keys are form paths.
 */
export function validateCalculation(
  values: CalculationFormValues,
  product: Product | undefined,
  productRequired: boolean,
): Record<string, FormMessage> {
  const errors: Record<string, FormMessage> = {};
  if (productRequired && values.productId === '') errors.productId = { key: 'required' };
  if (values.currency === '') errors.currency = { key: 'required' };

  const price = decimal(values.assetPrice, AMOUNT);
  if (values.assetPrice.trim() === '') errors.assetPrice = { key: 'required' };
  else if (price === null) errors.assetPrice = { key: 'amount' };
  else if (compareDecimal(price, '0') <= 0) errors.assetPrice = { key: 'positive' };

  if (values.termMonths === '') errors.termMonths = { key: 'required' };
  else if (!Number.isInteger(values.termMonths) || values.termMonths < 1 || values.termMonths > 600)
    errors.termMonths = { key: 'term' };
  else if (
    product &&
    (values.termMonths < product.minTermMonths || values.termMonths > product.maxTermMonths)
  )
    errors.termMonths = {
      key: 'termRange',
      values: { min: product.minTermMonths, max: product.maxTermMonths },
    };

  const rate = decimal(values.annualRate, RATE);
  if (values.annualRate.trim() === '') errors.annualRate = { key: 'required' };
  else if (rate === null) errors.annualRate = { key: 'rate' };
  else if (
    product &&
    (compareDecimal(rate, product.minRate) < 0 || compareDecimal(rate, product.maxRate) > 0)
  )
    errors.annualRate = { key: 'rateRange', values: { min: product.minRate, max: product.maxRate } };

  if (values.scheduleType === '') errors.scheduleType = { key: 'required' };
  else if (product && !product.scheduleTypes.includes(values.scheduleType))
    errors.scheduleType = { key: 'scheduleType' };
  if (values.scheduleType === 'seasonal') {
    values.seasonalWeights.forEach((weight, month) => {
      if (decimal(weight, WEIGHT) === null) errors[`seasonalWeights.${month}`] = { key: 'weight' };
    });
    if (
      values.seasonalWeights.every((weight) => {
        const value = decimal(weight, WEIGHT);
        return value !== null && compareDecimal(value, '0') === 0;
      })
    )
      errors.seasonalWeights = { key: 'weightsAllZero' };
  }

  if (values.advance.trim() !== '') {
    if (values.advanceMode === 'percent') {
      const percent = decimal(values.advance, PERCENT);
      if (percent === null) errors.advance = { key: 'percent' };
      else if (product && compareDecimal(percent, product.maxAdvancePercent) > 0)
        errors.advance = { key: 'advancePercentMax', values: { max: product.maxAdvancePercent } };
    } else {
      const amount = decimal(values.advance, AMOUNT);
      if (amount === null) errors.advance = { key: 'amount' };
      else if (product && price !== null && overShare(amount, price, product.maxAdvancePercent))
        errors.advance = { key: 'advanceAmountMax', values: { max: product.maxAdvancePercent } };
    }
  }

  if (values.residualValue.trim() !== '') {
    const residual = decimal(values.residualValue, AMOUNT);
    if (residual === null) errors.residualValue = { key: 'amount' };
    else if (product && price !== null && overShare(residual, price, product.maxResidualPercent))
      errors.residualValue = { key: 'residualMax', values: { max: product.maxResidualPercent } };
  }

  if (!/^\d{4}-\d{2}-\d{2}$/.test(values.startDate)) errors.startDate = { key: 'required' };
  if (values.vatRate.trim() !== '' && decimal(values.vatRate, PERCENT) === null)
    errors.vatRate = { key: 'percent' };
  if (
    values.graceMonths !== '' &&
    (!Number.isInteger(values.graceMonths) ||
      values.graceMonths < 0 ||
      (values.termMonths !== '' && values.graceMonths >= values.termMonths))
  )
    errors.graceMonths = { key: 'grace' };
  return errors;
}

/** Whether `amount` is more than `percent` % of `price` (the product's limits are shares of the price). */
function overShare(amount: string, price: string, percent: string): boolean {
  return compareDecimal(amount, percentOf(price, percent)) > 0;
}

/** The body of POST /v1/calculations from values that passed {@link validateCalculation}. */
export function calculationRequest(values: CalculationFormValues): CalculationRequest {
  const money = (amount: string) => ({ amount: parseDecimalInput(amount)!, currency: values.currency });
  const advance = values.advance.trim();
  return {
    ...(values.productId ? { productId: values.productId } : {}),
    assetPrice: money(values.assetPrice),
    ...(advance !== ''
      ? {
          advance:
            values.advanceMode === 'percent'
              ? { percent: parseDecimalInput(advance)! }
              : { amount: money(advance) },
        }
      : {}),
    termMonths: values.termMonths as number,
    annualRate: parseDecimalInput(values.annualRate)!,
    scheduleType: values.scheduleType as ScheduleType,
    ...(values.scheduleType === 'seasonal'
      ? { seasonalWeights: values.seasonalWeights.map((weight) => parseDecimalInput(weight)!) }
      : {}),
    ...(values.residualValue.trim() !== '' ? { residualValue: money(values.residualValue) } : {}),
    startDate: values.startDate,
    ...(values.vatRate.trim() !== '' ? { vatRate: parseDecimalInput(values.vatRate)! } : {}),
    ...(values.graceMonths !== '' && values.graceMonths > 0 ? { graceMonths: values.graceMonths } : {}),
    ...(values.dayCount !== '' ? { dayCount: values.dayCount } : {}),
  };
}

/**
 * The form path for a field the API named (after `formFieldErrors`): the request nests money and the
 * advance (`assetPrice.amount`, `advance.amount.amount`), the form has one input for each.
 */
export function formPathOf(apiField: string): string {
  if (apiField === 'assetPrice.currency') return 'currency';
  if (apiField.startsWith('assetPrice')) return 'assetPrice';
  if (apiField.startsWith('advance')) return 'advance';
  if (apiField.startsWith('residualValue')) return 'residualValue';
  return apiField;
}

/** The API's field errors by form path (the first message of each field wins). */
export function formErrorsOf(apiErrors: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [field, message] of Object.entries(apiErrors)) result[formPathOf(field)] ??= message;
  return result;
}
