// ISO 4217 currencies with their minor units: how many decimals an amount in each keeps.

/**
 * ISO 4217 List One, active codes with their minor units, as published 2025-12-31 (after Bulgaria's lev (BGN),
 * the Netherlands Antillean guilder (ANG), the old leone (SLL), the convertible peso (CUC) and the Zimbabwe
 * dollar (ZWL) were withdrawn). Codes whose minor unit is "N.A." — precious metals, bond-market units, SDR,
 * XSU, XUA, the testing code XTS and XXX — are left out: an amount in them has no minor unit to round to, so
 * no lease can be written in them.
 */
const MINOR_UNITS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ...codes(0, 'BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF'),
    ...codes(3, 'BHD IQD JOD KWD LYD OMR TND'),
    ...codes(4, 'CLF UYW'),
    ...codes(
      2,
      'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE ' +
        'CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD ' +
        'HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK ' +
        'MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD ' +
        'RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS UAH ' +
        'USD USN UYU UZS VED VES WST XAD XCD XCG YER ZAR ZMW ZWG',
    ),
  }),
);

function codes(minorUnit: number, list: string): Record<string, number> {
  return Object.fromEntries(list.split(' ').map((code) => [code, minorUnit]));
}

/** Whether `currency` is an active ISO 4217 code with a minor unit (exact, upper-case: "EUR", not "eur"). */
export function isKnownCurrency(currency: unknown): currency is string {
  return typeof currency === 'string' && MINOR_UNITS.has(currency);
}

/** The decimals of the currency's minor unit (EUR/USD 2, JPY 0, BHD/KWD 3, CLF 4); undefined for an unknown code. */
export function currencyMinorUnits(currency: string): number | undefined {
  return MINOR_UNITS.get(currency);
}

/** Every known currency code, sorted; for documentation and tests. */
export function knownCurrencies(): string[] {
  return [...MINOR_UNITS.keys()].sort();
}

/**
 * The JSON Schema regular expression that admits exactly the known codes (`^(?:AED|AFN|…|ZWG)$`): a request
 * schema refuses an unknown currency with the field named, before any handler runs, and the published
 * OpenAPI document says which codes are taken. A pattern rather than an `enum`: generated API clients keep the
 * field a plain string instead of a union of ~150 literals.
 */
export const CURRENCY_CODE_PATTERN = `^(?:${knownCurrencies().join('|')})$`;

/**
 * The keywords of a currency field in a request schema, for TypeBox: `Type.String(currencyCodeSchema())`
 * (or spread into a plain JSON Schema). Pass a description to say what the currency is of.
 */
export function currencyCodeSchema(description?: string): {
  pattern: string;
  description: string;
} {
  return {
    pattern: CURRENCY_CODE_PATTERN,
    description:
      description ??
      'An active ISO 4217 currency code with a minor unit, upper case (EUR, USD, JPY, KWD…); withdrawn codes (BGN, HRK…), metals and XXX are refused.',
  };
}
