import {
  AuditFields,
  BusinessListQuery,
  PageOf,
  type Static,
  type TSchema,
  Type,
  Uuid,
} from '@lessor/service-kit';
import { currencyCodeSchema } from '@lessor/reference-data';

/** A currency a product is sold in or a list is filtered by: an active ISO 4217 code of the one shared list. */
const CurrencyCode = Type.String(currencyCodeSchema());

/** A percent as a decimal string, 0–100, up to 4 decimals. */
export const Percent = Type.String({ pattern: '^(100(\\.0{1,4})?|\\d{1,2}(\\.\\d{1,4})?)$' });
export const ScheduleType = Type.Union([
  Type.Literal('annuity'),
  Type.Literal('differentiated'),
  Type.Literal('seasonal'),
]);
/** A positive amount as a decimal string with up to 4 decimals (the currency decides how many count). */
export const Amount = Type.String({ pattern: '^\\d{1,13}(\\.\\d{1,4})?$' });

export const ProductFee = Type.Union([
  Type.Object(
    { name: Type.String({ minLength: 1, maxLength: 60 }), percent: Percent },
    { additionalProperties: false, description: 'A percent of the asset price, paid on the start date.' },
  ),
  Type.Object(
    { name: Type.String({ minLength: 1, maxLength: 60 }), amount: Amount },
    { additionalProperties: false, description: 'A fixed amount in the calculation’s currency.' },
  ),
]);
export type ProductFee = Static<typeof ProductFee>;

const productFields = {
  code: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$', description: 'Unique short code: `CAR-STD`.' }),
  name: Type.String({ minLength: 1, maxLength: 120 }),
  description: Type.String({ maxLength: 2000 }),
  currencies: Type.Array(CurrencyCode, { minItems: 1, maxItems: 20, uniqueItems: true }),
  scheduleTypes: Type.Array(ScheduleType, { minItems: 1, uniqueItems: true }),
  minTermMonths: Type.Integer({ minimum: 1, maximum: 600 }),
  maxTermMonths: Type.Integer({ minimum: 1, maximum: 600 }),
  minRate: Percent,
  maxRate: Percent,
  maxAdvancePercent: Percent,
  maxResidualPercent: Percent,
  fees: Type.Array(ProductFee, { maxItems: 10 }),
  penaltyRate: Type.String({
    pattern: '^\\d{1,2}(\\.\\d{1,6})?$',
    description: 'Daily penalty rate on overdue principal, percent per day (billing applies it).',
  }),
  active: Type.Boolean(),
};

export const Product = Type.Object({ id: Uuid, ...productFields, ...AuditFields });
export type Product = Static<typeof Product>;
export const ProductList = PageOf(Product);

const optional = <T extends TSchema>(schema: T) => Type.Optional(schema);
export const CreateProduct = Type.Object(
  {
    code: productFields.code,
    name: productFields.name,
    description: optional(productFields.description),
    currencies: productFields.currencies,
    scheduleTypes: productFields.scheduleTypes,
    minTermMonths: productFields.minTermMonths,
    maxTermMonths: productFields.maxTermMonths,
    minRate: productFields.minRate,
    maxRate: productFields.maxRate,
    maxAdvancePercent: optional(productFields.maxAdvancePercent),
    maxResidualPercent: optional(productFields.maxResidualPercent),
    fees: optional(productFields.fees),
    penaltyRate: optional(productFields.penaltyRate),
    active: optional(productFields.active),
  },
  { additionalProperties: false },
);
export type CreateProduct = Static<typeof CreateProduct>;

export const UpdateProduct = Type.Partial(Type.Omit(Type.Object(productFields), ['code']), {
  additionalProperties: false,
  minProperties: 1,
});
export type UpdateProduct = Static<typeof UpdateProduct>;

export const ProductListQuery = BusinessListQuery(['code', 'name', 'createdAt'], {
  active: Type.Optional(Type.Boolean()),
  currency: Type.Optional(CurrencyCode),
});
export type ProductListQuery = Static<typeof ProductListQuery>;
