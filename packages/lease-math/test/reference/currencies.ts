import { currencyMinorUnits } from '@lessor/reference-data';
import { LeaseTermsError } from './errors.ts';

export { isKnownCurrency, knownCurrencies } from '@lessor/reference-data';

/**
 * The number of decimals of the currency's minor unit (EUR/USD 2, JPY 0, BHD/KWD 3, CLF 4): every amount in
 * that currency is rounded to it. Throws {@link LeaseTermsError} on `/currency` for an unknown code.
 */
export function minorUnits(currency: string): number {
  const units = currencyMinorUnits(currency);
  if (units === undefined) {
    throw new LeaseTermsError([
      { field: '/currency', message: `unknown ISO 4217 currency ${JSON.stringify(currency)}` },
    ]);
  }
  return units;
}
