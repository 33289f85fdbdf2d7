import type { TFunction } from 'i18next';
import { formatDate, formatDecimal, formatMoneyValue } from '../../i18n/format.ts';
import type { Calculation } from './types.ts';

/**
 * A saved calculation as a person tells it from others: its asset price, term, rate and the day it was saved
 * ("EUR 45,000.00 · 36 months · 5.9 % · 7 Dec 2026"), not its id.
 */
export function calculationLabel(
  calculation: Pick<Calculation, 'assetPrice' | 'termMonths' | 'annualRate' | 'createdAt'>,
  t: TFunction<'calculator'>,
): string {
  return t('label', {
    price: formatMoneyValue(calculation.assetPrice),
    months: t('recent.months', { count: calculation.termMonths }),
    rate: formatDecimal(calculation.annualRate),
    date: formatDate(calculation.createdAt.slice(0, 10)),
  });
}
