import { Money } from '@lessor/event-catalog';
import { currencyCodeSchema } from '@lessor/reference-data';
import { Type } from '@lessor/service-kit';

/**
 * An amount of money in a request: the catalogue's decimal string and a currency of the one ISO 4217 list
 * (refused by the schema, 400 naming the field), closed to other fields. Sign and decimals are checked by
 * `moneyErrors`, which names the field that is wrong.
 */
export const MoneyInput = Type.Object(
  { amount: Money.properties.amount, currency: Type.String(currencyCodeSchema()) },
  { additionalProperties: false },
);

/** An amount as answered: with exactly the currency's decimals. */
export const MoneyOutput = Money;
