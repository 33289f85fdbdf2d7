import { describe, expect, it } from 'vitest';
import { checkTaxId, compactTaxId, normaliseTaxId } from './tax-id.ts';

describe('normaliseTaxId', () => {
  it('should drop spaces, dots and dashes and upper-case when a tax id is typed loosely', () => {
    expect(compactTaxId(' de 136.695-976 ')).toBe('DE136695976');
  });

  it('should add the VAT prefix when an EU number is typed without it', () => {
    expect(normaliseTaxId('DE', '136 695 976')).toBe('DE136695976');
    expect(normaliseTaxId('AT', 'u13585627')).toBe('ATU13585627');
    expect(normaliseTaxId('ES', 'A28015865')).toBe('ESA28015865');
  });

  it('should keep the prefix once when the number already has it', () => {
    expect(normaliseTaxId('FR', 'FR 40 303 265 045')).toBe('FR40303265045');
  });

  it('should write Greece as EL when the number is typed with GR or without a prefix', () => {
    expect(normaliseTaxId('GR', 'GR094259216')).toBe('EL094259216');
    expect(normaliseTaxId('GR', '094259216')).toBe('EL094259216');
  });

  it('should drop the Swiss and Norwegian VAT suffix when present', () => {
    expect(normaliseTaxId('CH', 'CHE-116.281.710 MWST')).toBe('CHE116281710');
    expect(normaliseTaxId('CH', '116.281.710')).toBe('CHE116281710');
    expect(normaliseTaxId('NO', '974 760 673 MVA')).toBe('NO974760673');
  });

  it('should add no prefix when the country has no VAT rules here', () => {
    expect(normaliseTaxId('US', '12-3456789')).toBe('123456789');
  });
});

describe('checkTaxId', () => {
  it.each([
    ['DE', '136695976', 'DE136695976'],
    ['FR', 'FR40303265045', 'FR40303265045'],
    ['IT', '00743110157', 'IT00743110157'],
    ['NL', 'NL004495445B01', 'NL004495445B01'],
    ['PL', '856-734-62-15', 'PL8567346215'],
    ['AT', 'ATU13585627', 'ATU13585627'],
    ['BE', '0136695962', 'BE0136695962'],
    ['ES', 'A28015865', 'ESA28015865'],
    ['IE', '6433435F', 'IE6433435F'],
    ['SE', '556188840401', 'SE556188840401'],
    ['GR', '094259216', 'EL094259216'],
    ['GB', '980 7806 84', 'GB980780684'],
    ['CH', 'CHE-116.281.710 MWST', 'CHE116281710'],
    ['NO', '974760673MVA', 'NO974760673'],
    ['US', '12-3456789', '123456789'],
    ['BR', 'abcd1234', 'ABCD1234'],
  ])('should accept %s %s as %s when it fits the country', (country, raw, expected) => {
    expect(checkTaxId(country, raw)).toEqual({ ok: true, taxId: expected });
  });

  it.each([
    ['DE', '136695978'],
    ['FR', 'FR40303265046'],
    ['IT', '00743110158'],
    ['NL', '004495446B01'],
    ['PL', '8567346216'],
    ['AT', 'ATU13585628'],
    ['ES', 'B12345678'],
  ])('should refuse %s %s when its check digits are wrong', (country, raw) => {
    const result = checkTaxId(country, raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/check digits/);
  });

  it.each([
    ['DE', '12345'],
    ['IT', '0074311015'],
    ['NL', '004495445'],
    ['PL', '85673462'],
    ['FR', 'XX'],
  ])('should refuse %s %s when it does not have the format', (country, raw) => {
    const result = checkTaxId(country, raw);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/format/);
  });

  it('should say which country a VAT number belongs to when it is given for another', () => {
    expect(checkTaxId('DE', 'FR40303265045')).toEqual({
      ok: false,
      message: 'FR40303265045 is a VAT number of FR, not of DE',
    });
    expect(checkTaxId('DE', 'FR40303265046')).toEqual({
      ok: false,
      message: 'FR40303265046 looks like a VAT number of FR, not of DE',
    });
    expect(checkTaxId('US', 'NL004495445B01').ok).toBe(false);
  });

  it('should refuse a German number on a French party although it would pass as a French one', () => {
    // FR + a two-letter key + 9 digits is a valid French format, so only the other country's rules catch it.
    expect(checkTaxId('FR', 'DE136695976')).toEqual({
      ok: false,
      message: 'DE136695976 is a VAT number of DE, not of FR',
    });
    expect(checkTaxId('FR', 'FRDE136695976')).toEqual({ ok: true, taxId: 'FRDE136695976' });
  });

  it.each([
    ['US', '123'],
    ['US', '123456789012345678901'],
    ['CA', '12/3456789'],
    ['JP', ''],
  ])('should refuse %s %j when it is not 4 to 20 letters and digits', (country, raw) => {
    expect(checkTaxId(country, raw).ok).toBe(false);
  });
});
