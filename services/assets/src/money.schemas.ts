import { Money } from '@lessor/event-catalog';
import { Type } from '@lessor/service-kit';

/**
 * An amount of money in a request: the catalogue's Money (decimal string, ISO 4217 code), closed to other
 * fields. Sign, currency and decimals are checked by `moneyErrors`, which names the field that is wrong.
 */
export const MoneyInput = Type.Object(
  { amount: Money.properties.amount, currency: Money.properties.currency },
  { additionalProperties: false },
);

/** An amount as answered: with exactly the currency's decimals. */
export const MoneyOutput = Money;
