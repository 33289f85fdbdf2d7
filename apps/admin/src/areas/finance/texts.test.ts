import { describe, expect, it } from 'vitest';
import { financeTexts } from './texts.ts';

const keys = (value: unknown, prefix = ''): string[] =>
  typeof value === 'object' && value !== null
    ? Object.entries(value).flatMap(([key, inner]) => keys(inner, `${prefix}${key}.`))
    : [prefix];

describe('finance texts', () => {
  it('should have every text in English and German', () => {
    expect(keys(financeTexts.de).sort()).toEqual(keys(financeTexts.en).sort());
  });
});
