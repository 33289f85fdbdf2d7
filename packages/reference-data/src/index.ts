/**
 * `@lessor/reference-data`: the public code lists every service checks against — ISO 3166-1 countries and
 * ISO 4217 currencies with their minor units. Pure values, no I/O; one copy for the whole ERP.
 */
export { isCountryCode } from './countries.ts';
export {
  CURRENCY_CODE_PATTERN,
  currencyCodeSchema,
  currencyMinorUnits,
  isKnownCurrency,
  knownCurrencies,
} from './currencies.ts';
