import { Type } from 'typebox';

// Shapes that several services' events share. Amounts are decimal strings, never JSON numbers: a number
// would let a consumer's JSON parser round a cent away.

/** A decimal string: an optional minus, digits, and up to 6 decimals. */
export const DecimalString = (description: string) =>
  Type.String({ pattern: '^-?\\d{1,15}(\\.\\d{1,6})?$', description });

/** An ISO 4217 currency code. */
export const CurrencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217 currency code.' });

/** An amount of money: `{ "amount": "1250.00", "currency": "EUR" }`. */
export const Money = Type.Object({
  amount: DecimalString('The amount, with the currency’s minor-unit decimals.'),
  currency: CurrencyCode,
});

/** A business date, `YYYY-MM-DD`. */
export const BusinessDate = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description });

/** One installment of a payment schedule; amounts in the schedule's currency. */
export const InstallmentSnapshot = Type.Object({
  n: Type.Integer({ minimum: 1, description: 'Installment number, from 1.' }),
  dueDate: BusinessDate('When it falls due.'),
  payment: DecimalString('Principal + interest, VAT excluded.'),
  principal: DecimalString('The part that repays the financed amount.'),
  interest: DecimalString('The finance income of the lessor.'),
  vat: DecimalString('VAT on the payment, shown apart.'),
  balance: DecimalString('The principal still owed after this installment.'),
});

/** A contract's payment schedule as billing and finance need it. */
export const ScheduleSnapshot = Type.Object({
  version: Type.Integer({
    minimum: 1,
    description:
      'Raised by each restructuring; installments of an older version are void from its `effectiveFrom` on.',
  }),
  effectiveFrom: BusinessDate('The first due date this version decides (the start date for version 1).'),
  currency: CurrencyCode,
  installments: Type.Array(InstallmentSnapshot),
  totals: Type.Object({
    payments: DecimalString('Sum of payments.'),
    principal: DecimalString('Sum of principal: the financed amount less the residual value.'),
    interest: DecimalString('Sum of interest.'),
    vat: DecimalString('Sum of VAT.'),
  }),
});
