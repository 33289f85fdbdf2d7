import { describe, expect, it } from 'vitest';
import { countByCountry } from './digest.ts';

describe('countByCountry', () => {
  it('should count the parties of each country, most first and then by code, when countries repeat', () => {
    const parties = ['DE', 'AT', 'DE', 'FR', 'AT', 'DE'].map((country, index) => ({
      partyId: String(index),
      country,
    }));
    expect(countByCountry(parties)).toEqual([
      { country: 'DE', parties: 3 },
      { country: 'AT', parties: 2 },
      { country: 'FR', parties: 1 },
    ]);
  });

  it('should give nothing when no party waits', () => {
    expect(countByCountry([])).toEqual([]);
  });
});
