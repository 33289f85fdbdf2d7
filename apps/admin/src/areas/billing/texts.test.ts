import { describe, expect, it } from 'vitest';
import { billingTexts } from './texts.ts';

const keys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`))
    : [prefix];

describe('billing texts', () => {
  it('should have every text in English and German', () => {
    expect(keys(billingTexts.de).sort()).toEqual(keys(billingTexts.en).sort());
  });

  it('should have no empty text in either language', () => {
    const empty = (texts: unknown, prefix = ''): string[] =>
      typeof texts === 'object' && texts !== null
        ? Object.entries(texts).flatMap(([key, inner]) => empty(inner, `${prefix}${key}.`))
        : String(texts).trim() === ''
          ? [prefix]
          : [];
    expect(empty(billingTexts.en)).toEqual([]);
    expect(empty(billingTexts.de)).toEqual([]);
  });
});
