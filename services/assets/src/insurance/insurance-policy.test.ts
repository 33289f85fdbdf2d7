import { describe, expect, it } from 'vitest';
import { policyErrors, type PolicyFacts } from './insurance-policy.ts';

const policy: PolicyFacts = {
  insuredAmount: { amount: '30000.00', currency: 'EUR' },
  premium: { amount: '900.00', currency: 'EUR' },
  validFrom: '2026-01-01',
  validTo: '2026-12-31',
};

describe('policyErrors', () => {
  it('should find nothing when the period runs forward and the amounts are sound', () => {
    expect(policyErrors(policy)).toEqual([]);
    expect(policyErrors({ ...policy, premium: { amount: '0', currency: 'EUR' } })).toEqual([]);
  });

  it('should name validTo when it is on or before validFrom', () => {
    expect(policyErrors({ ...policy, validTo: '2025-12-31' }).map((error) => error.field)).toEqual([
      '/body/validTo',
    ]);
    expect(policyErrors({ ...policy, validTo: '2026-01-01' }).map((error) => error.field)).toEqual([
      '/body/validTo',
    ]);
  });

  it('should name the amount when the insured amount is zero or the premium negative', () => {
    expect(
      policyErrors({
        ...policy,
        insuredAmount: { amount: '0.00', currency: 'EUR' },
        premium: { amount: '-5.00', currency: 'EUR' },
      }).map((error) => error.field),
    ).toEqual(['/body/insuredAmount/amount', '/body/premium/amount']);
  });
});
