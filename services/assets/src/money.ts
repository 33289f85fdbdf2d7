import { Decimal } from 'decimal.js';
import type { FieldError } from '@lessor/service-kit';

/**
 * ISO 4217 List One, active codes with their minor units (the same list as lease-math's `currencies.ts`, which
 * a service cannot import yet): an amount is kept with exactly its currency's decimals (EUR 2, JPY 0, KWD 3).
 * Codes without a minor unit (metals, XXX, XTS…) are left out: no asset is priced in them.
 */
const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ...codes(0, 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'),
    ...codes(3, 'BHD IQD JOD KWD LYD OMR TND'),
    ...codes(4, 'CLF UYW'),
    ...codes(
      2,
      'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE ' +
        'CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD ' +
        'HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK ' +
        'MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD ' +
        'RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH ' +
        'USD USN UYU UZS VED VES WST XAD XCD XCG YER ZAR ZMW ZWG',
    ),
  }),
);

function codes(minorUnit: number, list: string): Record<string, number> {
  return Object.fromEntries(list.split(' ').map((code) => [code, minorUnit]));
}

/** An amount of money as the API and the events carry it: a decimal string and an ISO 4217 code. */
export interface MoneyValue {
  amount: string;
  currency: string;
}

/** Whether a lower bound applies: a price must be above zero, a premium may be zero. */
export type AmountRule = 'positive' | 'non-negative';

/**
 * What is wrong with an amount of money, as field errors under `pointer` (`/body/price`): an unknown
 * currency, a negative (or, for `positive`, zero) amount, or more decimals than the currency has. An amount
 * with too many decimals is refused, not rounded: nobody's price should change by a rounding they did not see.
 */
export function moneyErrors(money: MoneyValue, pointer: string, rule: AmountRule): FieldError[] {
  const units = MINOR_UNITS.get(money.currency);
  if (units === undefined) {
    return [{ field: `${pointer}/currency`, message: 'is not an active ISO 4217 currency code' }];
  }
  const amount = new Decimal(money.amount);
  if (rule === 'positive' ? amount.lte(0) : amount.lt(0)) {
    const message = rule === 'positive' ? 'must be greater than zero' : 'must not be negative';
    return [{ field: `${pointer}/amount`, message }];
  }
  if (amount.decimalPlaces() > units) {
    return [
      { field: `${pointer}/amount`, message: `must have at most ${units} decimals in ${money.currency}` },
    ];
  }
  return [];
}

/**
 * The amount written with exactly its currency's decimals (`1250` → `1250.00` in EUR), as stored numerics
 * are shown. Only pads or drops trailing zeros: `moneyErrors` has refused anything that would need rounding.
 */
export function formatAmount(amount: string, currency: string): string {
  return new Decimal(amount).toFixed(MINOR_UNITS.get(currency) ?? 2);
}

/** A stored amount and currency as the API shows them. */
export function moneyView(amount: string, currency: string): MoneyValue {
  return { amount: formatAmount(amount, currency), currency };
}
