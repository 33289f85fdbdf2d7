import {
  austria,
  belgium,
  bulgaria,
  checkVAT,
  croatia,
  cyprus,
  czechRepublic,
  denmark,
  estonia,
  finland,
  france,
  germany,
  greece,
  hungary,
  ireland,
  italy,
  latvia,
  lithuania,
  luxembourg,
  malta,
  netherlands,
  norway,
  poland,
  portugal,
  romania,
  slovakiaRepublic,
  slovenia,
  spain,
  sweden,
  switzerland,
  unitedKingdom,
  type Country,
} from 'jsvat';

/** The VAT rules (format and checksum, by jsvat) of the EU member states and of GB, CH and NO, by ISO code. */
const VAT_RULES: ReadonlyMap<string, { rules: Country; prefix: string }> = new Map([
  ['AT', { rules: austria, prefix: 'AT' }],
  ['BE', { rules: belgium, prefix: 'BE' }],
  ['BG', { rules: bulgaria, prefix: 'BG' }],
  ['CY', { rules: cyprus, prefix: 'CY' }],
  ['CZ', { rules: czechRepublic, prefix: 'CZ' }],
  ['DE', { rules: germany, prefix: 'DE' }],
  ['DK', { rules: denmark, prefix: 'DK' }],
  ['EE', { rules: estonia, prefix: 'EE' }],
  ['ES', { rules: spain, prefix: 'ES' }],
  ['FI', { rules: finland, prefix: 'FI' }],
  ['FR', { rules: france, prefix: 'FR' }],
  // The EU writes Greece's VAT prefix EL (its ISO 639 language code), not GR.
  ['GR', { rules: greece, prefix: 'EL' }],
  ['HR', { rules: croatia, prefix: 'HR' }],
  ['HU', { rules: hungary, prefix: 'HU' }],
  ['IE', { rules: ireland, prefix: 'IE' }],
  ['IT', { rules: italy, prefix: 'IT' }],
  ['LT', { rules: lithuania, prefix: 'LT' }],
  ['LU', { rules: luxembourg, prefix: 'LU' }],
  ['LV', { rules: latvia, prefix: 'LV' }],
  ['MT', { rules: malta, prefix: 'MT' }],
  ['NL', { rules: netherlands, prefix: 'NL' }],
  ['PL', { rules: poland, prefix: 'PL' }],
  ['PT', { rules: portugal, prefix: 'PT' }],
  ['RO', { rules: romania, prefix: 'RO' }],
  ['SE', { rules: sweden, prefix: 'SE' }],
  ['SI', { rules: slovenia, prefix: 'SI' }],
  ['SK', { rules: slovakiaRepublic, prefix: 'SK' }],
  ['GB', { rules: unitedKingdom, prefix: 'GB' }],
  // Swiss UIDs read CHE-123.456.789, with MWST/TVA/IVA after them when VAT-registered.
  ['CH', { rules: switzerland, prefix: 'CHE' }],
  ['NO', { rules: norway, prefix: 'NO' }],
]);

/** What Switzerland and Norway write after a VAT-registered company's number. */
const VAT_SUFFIX = /(MWST|TVA|IVA|MVA)$/;

/** Tax ids of countries without VAT rules here: letters and digits only, 4 to 20 of them. */
const OTHER_TAX_ID = /^[A-Z0-9]{4,20}$/;

export type TaxIdCheck = { ok: true; taxId: string } | { ok: false; message: string };

/** Upper case without spaces, dots and dashes: how people type a tax id, reduced to how it is compared. */
export function compactTaxId(raw: string): string {
  return raw.toUpperCase().replace(/[\s.-]+/g, '');
}

/**
 * The tax id as stored and compared: compacted and, for a country with VAT rules (the EU, GB, CH, NO),
 * with the country's VAT prefix added when missing (`136695976` in DE → `DE136695976`; GR → `EL…`) and
 * the Swiss and Norwegian VAT suffix dropped (`CHE-116.281.710 MWST` → `CHE116281710`).
 * Does not check the value; `checkTaxId` does.
 */
export function normaliseTaxId(country: string, raw: string): string {
  const compact = compactTaxId(raw);
  const vat = VAT_RULES.get(country);
  if (!vat) return compact;
  // A Greek number typed with the ISO code instead of the EU prefix is the same number.
  if (country === 'GR' && compact.startsWith('GR')) return `EL${compact.slice(2)}`;
  // The suffix says the company is VAT-registered (CHE…MWST, NO…MVA); the number alone names it, so two
  // spellings of one company's number cannot slip past the duplicate check.
  const number = country === 'CH' || country === 'NO' ? compact.replace(VAT_SUFFIX, '') : compact;
  return number.startsWith(vat.prefix) ? number : `${vat.prefix}${number}`;
}

/**
 * Normalises a tax id for `country` (ISO 3166-1 alpha-2) and checks it: a VAT number of the EU, GB, CH or
 * NO by its country's format and checksum (jsvat); any other country's id as 4-20 letters and digits.
 * A valid VAT number of another country is refused even when it would also pass as one of `country`
 * (`DE136695976` reads as a French number with the key `DE`): typed with the party's own prefix it passes.
 */
export function checkTaxId(country: string, raw: string): TaxIdCheck {
  const typed = compactTaxId(raw);
  const taxId = normaliseTaxId(country, raw);
  const vat = VAT_RULES.get(country);
  const foreign = foreignVatCountry(typed, country);
  if (foreign && (!vat || !typed.startsWith(vat.prefix))) {
    return { ok: false, message: `${typed} is a VAT number of ${foreign}, not of ${country}` };
  }
  if (!vat) {
    return OTHER_TAX_ID.test(taxId)
      ? { ok: true, taxId }
      : { ok: false, message: `${taxId || 'an empty value'} is not 4 to 20 letters and digits` };
  }
  const result = checkVAT(taxId, [vat.rules]);
  if (result.isValid) return { ok: true, taxId };
  const lookalike = [...VAT_RULES].find(
    ([code, rules]) => code !== country && typed.startsWith(rules.prefix),
  );
  if (lookalike) {
    return { ok: false, message: `${typed} looks like a VAT number of ${lookalike[0]}, not of ${country}` };
  }
  const name = vat.rules.name;
  return {
    ok: false,
    message: result.isValidFormat
      ? `${taxId} fails the check digits of VAT numbers of ${name}`
      : `${taxId} does not have the format of a VAT number of ${name}`,
  };
}

/** The other VAT country whose prefix `typed` starts with and whose rules accept it, if any. */
function foreignVatCountry(typed: string, country: string): string | undefined {
  for (const [code, vat] of VAT_RULES) {
    if (code !== country && typed.startsWith(vat.prefix) && checkVAT(typed, [vat.rules]).isValid) return code;
  }
  return undefined;
}
