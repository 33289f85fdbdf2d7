import { Decimal } from 'decimal.js';
import type { FieldError } from '@lessor/service-kit';
import type { LeaseTermsError } from '@lessor/lease-math';
import { isKnownCurrency, minorUnits, type LeaseTerms } from '@lessor/lease-math';
import type { ProductRow } from '../products/product.repository.ts';
import type { ProductFee } from '../products/product.schemas.ts';
import type { CalculationRequest } from './calculation.schemas.ts';

/**
 * Turns the API's request into lease-math's terms, and checks what only the API knows: every amount in
 * the asset's currency, and the product's frame (currencies, schedule types, term and rate ranges, the
 * largest advance and residual). Returns the terms, or the complaints by JSON pointer into the request.
 */
export function leaseTermsOf(
  request: CalculationRequest,
  product: ProductRow | undefined,
): { terms: LeaseTerms; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const currency = request.assetPrice.currency;
  const sameCurrency = (field: string, money: { currency: string } | undefined) => {
    if (money && money.currency !== currency)
      errors.push({ field, message: `must be in the asset price’s currency ${currency}` });
  };
  if (!isKnownCurrency(currency))
    errors.push({ field: '/assetPrice/currency', message: 'is not an ISO 4217 currency' });
  sameCurrency('/residualValue/currency', request.residualValue);
  if (request.advance && 'amount' in request.advance)
    sameCurrency('/advance/amount/currency', request.advance.amount);
  request.fees?.forEach((fee, index) => sameCurrency(`/fees/${index}/amount/currency`, fee.amount));
  if (request.scheduleType === 'seasonal' && !request.seasonalWeights)
    errors.push({ field: '/seasonalWeights', message: 'is required for a seasonal schedule (12 weights)' });
  if (request.scheduleType !== 'seasonal' && request.seasonalWeights)
    errors.push({ field: '/seasonalWeights', message: 'is only for a seasonal schedule' });

  const fees = (request.fees ?? []).map((fee) => ({ name: fee.name, amount: fee.amount.amount }));
  if (product) {
    errors.push(...productComplaints(request, product));
    if (isKnownCurrency(currency))
      fees.push(...productFees(product.fees as ProductFee[], request.assetPrice.amount, currency));
  }

  const terms: LeaseTerms = {
    currency,
    assetPrice: request.assetPrice.amount,
    termMonths: request.termMonths,
    annualRate: request.annualRate,
    scheduleType: request.scheduleType,
    startDate: request.startDate,
    ...(request.advance
      ? {
          advance:
            'percent' in request.advance
              ? { percent: request.advance.percent }
              : { amount: request.advance.amount.amount },
        }
      : {}),
    ...(request.seasonalWeights ? { seasonalWeights: request.seasonalWeights } : {}),
    ...(request.residualValue ? { residualValue: request.residualValue.amount } : {}),
    ...(request.vatRate ? { vatRate: request.vatRate } : {}),
    ...(fees.length > 0 ? { fees } : {}),
    ...(request.graceMonths !== undefined ? { graceMonths: request.graceMonths } : {}),
    ...(request.dayCount ? { dayCount: request.dayCount } : {}),
  };
  return { terms, errors };
}

function productComplaints(request: CalculationRequest, product: ProductRow): FieldError[] {
  const errors: FieldError[] = [];
  const price = new Decimal(request.assetPrice.amount);
  if (!product.currencies.includes(request.assetPrice.currency))
    errors.push({
      field: '/assetPrice/currency',
      message: `the product takes ${product.currencies.join(', ')}`,
    });
  if (!product.scheduleTypes.includes(request.scheduleType))
    errors.push({
      field: '/scheduleType',
      message: `the product offers ${product.scheduleTypes.join(', ')}`,
    });
  if (request.termMonths < product.minTermMonths || request.termMonths > product.maxTermMonths)
    errors.push({
      field: '/termMonths',
      message: `must be between ${product.minTermMonths} and ${product.maxTermMonths} months for this product`,
    });
  const rate = new Decimal(request.annualRate);
  if (rate.lt(product.minRate) || rate.gt(product.maxRate))
    errors.push({
      field: '/annualRate',
      message: `must be between ${product.minRate} and ${product.maxRate} percent for this product`,
    });
  if (price.gt(0)) {
    const advancePercent = !request.advance
      ? new Decimal(0)
      : 'percent' in request.advance
        ? new Decimal(request.advance.percent)
        : new Decimal(request.advance.amount.amount).div(price).times(100);
    if (advancePercent.gt(product.maxAdvancePercent))
      errors.push({
        field: 'percent' in (request.advance ?? {}) ? '/advance/percent' : '/advance/amount/amount',
        message: `must be at most ${product.maxAdvancePercent}% of the asset price for this product`,
      });
    if (
      request.residualValue &&
      new Decimal(request.residualValue.amount).div(price).times(100).gt(product.maxResidualPercent)
    )
      errors.push({
        field: '/residualValue/amount',
        message: `must be at most ${product.maxResidualPercent}% of the asset price for this product`,
      });
  }
  return errors;
}

/** The product's fees in money: a percent fee is rounded half-up to the currency's minor unit. */
function productFees(
  fees: ProductFee[],
  price: string,
  currency: string,
): { name: string; amount: string }[] {
  return fees.map((fee) => ({
    name: fee.name,
    amount:
      'percent' in fee
        ? new Decimal(price).times(fee.percent).div(100).toFixed(minorUnits(currency), Decimal.ROUND_HALF_UP)
        : new Decimal(fee.amount).toFixed(minorUnits(currency), Decimal.ROUND_HALF_UP),
  }));
}

/** lease-math names fields of its own input; the API names them in the request. */
const FIELD_OF_TERM: Record<string, string> = {
  '/currency': '/assetPrice/currency',
  '/assetPrice': '/assetPrice/amount',
  '/advance/amount': '/advance/amount/amount',
  '/residualValue': '/residualValue/amount',
};

/** The complaints of lease-math as field errors of the request. */
export function fieldErrorsOf(error: LeaseTermsError): FieldError[] {
  return error.issues.map((issue) => ({
    field: FIELD_OF_TERM[issue.field] ?? issue.field.replace(/^\/fees\/(\d+)$/, '/fees/$1/amount/amount'),
    message: issue.message,
  }));
}
