import { Decimal } from '../money.ts';

/** A quoted rate: one unit of `fromCurrency` is worth `rate` units of `toCurrency` on `rateDate`. */
export interface FxRate {
  rateDate: string;
  fromCurrency: string;
  toCurrency: string;
  rate: string;
}

export interface Conversion {
  rate: Decimal;
  rateDate: string;
  /** True when the rate is the inverse of a quote the other way round. */
  inverse: boolean;
}

/**
 * The rate that converts `from` into `to` at `date`: the most recent quote on or before the date, either
 * direct (from → to) or the inverse of one the other way (1 / (to → from)); on the same date the direct quote
 * wins. No cross rates through a third currency: a pair the reports need must be quoted itself.
 */
export function conversionRate(
  from: string,
  to: string,
  quotes: readonly FxRate[],
  date: string,
): Conversion | undefined {
  if (from === to) return { rate: new Decimal(1), rateDate: date, inverse: false };
  let best: Conversion | undefined;
  for (const quote of quotes) {
    if (quote.rateDate > date) continue;
    const direct = quote.fromCurrency === from && quote.toCurrency === to;
    const inverse = quote.fromCurrency === to && quote.toCurrency === from;
    if (!direct && !inverse) continue;
    const better =
      !best || quote.rateDate > best.rateDate || (quote.rateDate === best.rateDate && direct && best.inverse);
    if (better) {
      best = {
        rate: direct ? new Decimal(quote.rate) : new Decimal(1).dividedBy(quote.rate),
        rateDate: quote.rateDate,
        inverse,
      };
    }
  }
  return best;
}
