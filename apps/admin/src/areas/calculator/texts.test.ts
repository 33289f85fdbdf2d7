import { describe, expect, it } from 'vitest';
import { calculatorTexts } from './texts.ts';

/** Every key path of a nested texts object, sorted. */
function keysOf(texts: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(texts)
    .flatMap(([key, value]) =>
      typeof value === 'object' && value !== null
        ? keysOf(value as Record<string, unknown>, `${prefix}${key}.`)
        : [`${prefix}${key}`],
    )
    .sort();
}

describe('calculator texts', () => {
  it('should have the same keys in English and German, none of them empty', () => {
    expect(keysOf(calculatorTexts.de)).toEqual(keysOf(calculatorTexts.en));
    for (const language of [calculatorTexts.en, calculatorTexts.de]) {
      const flat = JSON.stringify(language);
      expect(flat).not.toMatch(/:""/);
    }
  });

  it('should keep the interpolations of each text in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
    const lookup = (texts: Record<string, unknown>, path: string) =>
      path.split('.').reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], texts) as string;
    for (const path of keysOf(calculatorTexts.en)) {
      expect(placeholders(lookup(calculatorTexts.de, path)), path).toEqual(
        placeholders(lookup(calculatorTexts.en, path)),
      );
    }
  });
});
