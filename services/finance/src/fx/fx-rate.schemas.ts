import { type Static, Type } from '@lessor/service-kit';
import { CurrencyCode, DateString } from '../finance.schemas.ts';

export const FxRateParams = Type.Object(
  { date: DateString, from: CurrencyCode, to: CurrencyCode },
  { additionalProperties: false },
);
export const SetFxRate = Type.Object(
  {
    rate: Type.String({
      pattern: '^\\d{1,12}(\\.\\d{1,10})?$',
      description: 'Units of `to` for one unit of `from`, above zero.',
    }),
  },
  { additionalProperties: false },
);
export const FxRate = Type.Object({
  date: Type.String({ format: 'date' }),
  from: Type.String(),
  to: Type.String(),
  rate: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
  updatedBy: Type.String(),
});
export type FxRate = Static<typeof FxRate>;
export const FxRateList = Type.Object({ items: Type.Array(FxRate) });
export const FxRateListQuery = Type.Object(
  {
    from: Type.Optional(CurrencyCode),
    to: Type.Optional(CurrencyCode),
    since: Type.Optional(DateString),
    until: Type.Optional(DateString),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
  },
  { additionalProperties: false },
);
export type FxRateListQuery = Static<typeof FxRateListQuery>;
