import { describe, expect, it } from 'vitest';
import { productsTexts } from './texts.ts';

function keys(texts: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(texts).flatMap(([key, value]) =>
    typeof value === 'object' && value !== null
      ? keys(value as Record<string, unknown>, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe('products texts', () => {
  it('should have the same keys in English and German', () => {
    expect(keys(productsTexts.de).sort()).toEqual(keys(productsTexts.en).sort());
  });
});
