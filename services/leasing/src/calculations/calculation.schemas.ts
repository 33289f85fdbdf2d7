import { Money } from '@lessor/event-catalog';
import { currencyCodeSchema } from '@lessor/reference-data';
import { AuditFields, BusinessListQuery, PageOf, type Static, Type, Uuid } from '@lessor/service-kit';
import { Percent, ScheduleType } from '../products/product.schemas.ts';

/** Money in a request: a decimal string amount (up to 4 decimals; the currency decides how many count). */
export const MoneyInput = Type.Object(
  {
    amount: Type.String({
      pattern: '^-?\\d{1,13}(\\.\\d{1,4})?$',
      description: 'Decimal string, e.g. "120000.00".',
    }),
    currency: Type.String(currencyCodeSchema()),
  },
  { additionalProperties: false },
);

const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD' });

/** The terms of a lease as the client sends them (ISSUE 4's calculation API). */
export const CalculationRequest = Type.Object(
  {
    productId: Type.Optional(Uuid),
    assetPrice: MoneyInput,
    advance: Type.Optional(
      Type.Union([
        Type.Object({ percent: Percent }, { additionalProperties: false }),
        Type.Object({ amount: MoneyInput }, { additionalProperties: false }),
      ]),
    ),
    termMonths: Type.Integer({ minimum: 1, maximum: 600 }),
    annualRate: Type.String({ pattern: '^\\d{1,3}(\\.\\d{1,6})?$', description: 'Annual rate, percent.' }),
    scheduleType: ScheduleType,
    seasonalWeights: Type.Optional(
      Type.Array(Type.String({ pattern: '^\\d{1,4}(\\.\\d{1,6})?$' }), {
        minItems: 12,
        maxItems: 12,
        description: 'Twelve weights, January first; seasonal schedules only.',
      }),
    ),
    residualValue: Type.Optional(MoneyInput),
    startDate: DateString,
    vatRate: Type.Optional(Percent),
    fees: Type.Optional(
      Type.Array(
        Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 60 }), amount: MoneyInput },
          { additionalProperties: false },
        ),
        { maxItems: 10, description: 'One-off fees paid on the start date, besides the product’s own.' },
      ),
    ),
    graceMonths: Type.Optional(Type.Integer({ minimum: 0, maximum: 599 })),
    dayCount: Type.Optional(
      Type.Union([Type.Literal('30/360'), Type.Literal('actual/365'), Type.Literal('actual/360')]),
    ),
  },
  { additionalProperties: false },
);
export type CalculationRequest = Static<typeof CalculationRequest>;

export const ScheduleLine = Type.Object({
  n: Type.Integer(),
  dueDate: Type.String(),
  payment: Money,
  principal: Money,
  interest: Money,
  vat: Money,
  balance: Money,
});
export type ScheduleLine = Static<typeof ScheduleLine>;

export const ScheduleTotals = Type.Object({
  payments: Money,
  principal: Money,
  interest: Money,
  vat: Money,
  paymentsWithVat: Money,
  fees: Money,
  advance: Money,
  residualValue: Money,
  totalCost: Money,
});

export const Calculation = Type.Object({
  id: Uuid,
  productId: Type.Union([Uuid, Type.Null()]),
  assetPrice: Money,
  advance: Money,
  financedAmount: Money,
  residualValue: Money,
  termMonths: Type.Integer(),
  annualRate: Type.String(),
  scheduleType: Type.String(),
  startDate: Type.String(),
  vatRate: Type.String(),
  dayCount: Type.String(),
  graceMonths: Type.Integer(),
  fees: Type.Array(Type.Object({ name: Type.String(), amount: Money })),
  schedule: Type.Array(ScheduleLine),
  totals: ScheduleTotals,
  overpaymentPercent: Type.String(),
  effectiveRate: Type.String({
    description: 'Effective annual rate (XIRR, actual/365), percent, 6 decimals.',
  }),
  ...AuditFields,
});
export type Calculation = Static<typeof Calculation>;

export const CalculationSummary = Type.Object({
  id: Uuid,
  productId: Type.Union([Uuid, Type.Null()]),
  scheduleType: Type.String(),
  termMonths: Type.Integer(),
  annualRate: Type.String(),
  financedAmount: Money,
  effectiveRate: Type.String(),
  ...AuditFields,
});
export const CalculationList = PageOf(CalculationSummary);

export const CalculationListQuery = BusinessListQuery(['createdAt'], {
  productId: Type.Optional(Uuid),
});
export type CalculationListQuery = Static<typeof CalculationListQuery>;
