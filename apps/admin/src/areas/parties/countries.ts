import { isCountryCode } from '@lessor/reference-data';

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Every assigned ISO 3166-1 alpha-2 code, from the same list the parties service checks against. */
export const COUNTRY_CODES: readonly string[] = [...LETTERS]
  .flatMap((first) => [...LETTERS].map((second) => `${first}${second}`))
  .filter(isCountryCode);

/** The countries as select options, named in the interface's language and sorted by that name. */
export function countryOptions(language: string): { value: string; label: string }[] {
  const names = new Intl.DisplayNames([language], { type: 'region' });
  return COUNTRY_CODES.map((code) => ({ value: code, label: `${names.of(code) ?? code} (${code})` })).sort(
    (a, b) => a.label.localeCompare(b.label, language),
  );
}

/** A country's name in `language`, with its code when the name is unknown. */
export function countryName(code: string, language: string): string {
  return new Intl.DisplayNames([language], { type: 'region' }).of(code) ?? code;
}

/** A country as a person reads it beside its code: "Germany (DE)". */
export function countryLabel(code: string, language: string): string {
  const name = countryName(code, language);
  return name === code ? code : `${name} (${code})`;
}
