import { sql, type Kysely, type Selectable } from 'kysely';
import { kitErrors } from '@lessor/service-kit';
import type { FinanceDatabase, FxRatesTable } from '../database.ts';
import { Decimal } from '../money.ts';
import { conversionRate, type Conversion } from './fx-rate.ts';
import type { FxRateListQuery } from './fx-rate.schemas.ts';

export type FxRateRow = Selectable<FxRatesTable>;

/** Exchange rates by date, and the conversion rule the reports apply (see `conversionRate`). */
export class FxRateService {
  constructor(private readonly db: Kysely<FinanceDatabase>) {}

  async set(date: string, from: string, to: string, rate: string, actor: string): Promise<FxRateRow> {
    if (from === to) {
      throw kitErrors.create.VALIDATION_FAILED('A rate converts between two different currencies', {
        errors: [{ field: '/params/to', message: 'must differ from the from currency' }],
      });
    }
    if (!new Decimal(rate).gt(0)) {
      throw kitErrors.create.VALIDATION_FAILED('A rate is above zero', {
        errors: [{ field: '/body/rate', message: 'must be above zero' }],
      });
    }
    return this.db
      .insertInto('fxRates')
      .values({ rateDate: date, fromCurrency: from, toCurrency: to, rate, updatedBy: actor })
      .onConflict((conflict) =>
        conflict
          .columns(['fromCurrency', 'toCurrency', 'rateDate'])
          .doUpdateSet({ rate, updatedBy: actor, updatedAt: sql`now()` }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  list(query: FxRateListQuery): Promise<FxRateRow[]> {
    let q = this.db.selectFrom('fxRates').selectAll();
    if (query.from) q = q.where('fromCurrency', '=', query.from);
    if (query.to) q = q.where('toCurrency', '=', query.to);
    if (query.since) q = q.where('rateDate', '>=', query.since);
    if (query.until) q = q.where('rateDate', '<=', query.until);
    return q
      .orderBy('rateDate', 'desc')
      .orderBy('fromCurrency')
      .orderBy('toCurrency')
      .limit(query.limit)
      .execute();
  }

  /** The conversions into `to` at `date` of each currency; a currency without a rate is left out. */
  async conversions(
    currencies: readonly string[],
    to: string,
    date: string,
  ): Promise<Map<string, Conversion>> {
    const foreign = [...new Set(currencies)].filter((currency) => currency !== to);
    const result = new Map<string, Conversion>();
    if (foreign.length === 0) return result;
    // The latest quote on or before the date, per pair and direction.
    const quotes = await this.db
      .selectFrom('fxRates')
      .distinctOn(['fromCurrency', 'toCurrency'])
      .select(['rateDate', 'fromCurrency', 'toCurrency', 'rate'])
      .where('rateDate', '<=', date)
      .where((eb) =>
        eb.or([
          eb.and([eb('fromCurrency', 'in', foreign), eb('toCurrency', '=', to)]),
          eb.and([eb('fromCurrency', '=', to), eb('toCurrency', 'in', foreign)]),
        ]),
      )
      .orderBy('fromCurrency')
      .orderBy('toCurrency')
      .orderBy('rateDate', 'desc')
      .execute();
    for (const currency of foreign) {
      const conversion = conversionRate(currency, to, quotes, date);
      if (conversion) result.set(currency, conversion);
    }
    return result;
  }
}
