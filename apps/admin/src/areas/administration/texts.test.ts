import { describe, expect, it } from 'vitest';
import { administrationTexts } from './texts.ts';

/** Every text's key path (`clients.secretWarning`), with its value. */
function leaves(texts: Record<string, unknown>, prefix = ''): [string, unknown][] {
  return Object.entries(texts).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? leaves(value as Record<string, unknown>, `${prefix}${key}.`)
      : [[`${prefix}${key}`, value] as [string, unknown]],
  );
}

describe('the administration texts', () => {
  it('should have the same keys in English and German', () => {
    const en = leaves(administrationTexts.en)
      .map(([key]) => key)
      .sort();
    const de = leaves(administrationTexts.de)
      .map(([key]) => key)
      .sort();
    expect(de).toEqual(en);
  });

  it('should have no empty text in either language', () => {
    for (const language of [administrationTexts.en, administrationTexts.de]) {
      for (const [key, value] of leaves(language)) expect(value, key).toMatch(/\S/);
    }
  });
});
