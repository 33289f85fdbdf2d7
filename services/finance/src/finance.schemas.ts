import { currencyCodeSchema } from '@lessor/reference-data';
import { Type, type TSchema } from '@lessor/service-kit';

/** Shapes every finance route shares. */
export const DateString = Type.String({ format: 'date', description: 'A business date, YYYY-MM-DD.' });
/** A currency finance takes: an active ISO 4217 code of the one list every service checks (reference-data). */
export const CurrencyCode = Type.String(currencyCodeSchema());
export const LegalEntityCode = Type.String({
  pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
  description: 'A legal entity (company) whose books finance keeps, e.g. `LESSOR`.',
});
export const AccountCode = Type.String({ pattern: '^[0-9A-Za-z][0-9A-Za-z.-]{0,19}$' });
export const PositiveAmount = Type.String({
  pattern: '^\\d{1,15}(\\.\\d{1,6})?$',
  description: 'A decimal string above zero, up to 6 decimals.',
});
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** `?legalEntity=` of every read: the configured legal entity when absent. */
export const LegalEntityQuery = { legalEntity: Type.Optional(LegalEntityCode) };

/** `?format=csv` (or `Accept: text/csv`) on the reports. */
export const FormatQuery = {
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
};
