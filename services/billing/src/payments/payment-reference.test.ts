import { describe, expect, it } from 'vitest';
import { paymentReference } from '@lessor/domain-values';
import { referenceCandidates } from './payment-reference.ts';

const reference = paymentReference('LC-LESSOR-2026-000042');

describe('payment references', () => {
  it('should find the reference in a remittance text, written in groups, with dashes or among words', () => {
    expect(referenceCandidates(reference).valid).toEqual([reference]);
    expect(referenceCandidates(`Rate 3 ${reference.toLowerCase()} thanks`).valid).toContain(reference);
    expect(referenceCandidates(reference.replace(/(.{4})/g, '$1 ')).valid).toContain(reference);
    expect(referenceCandidates(`LC-LESSOR-2026-000042-${reference.slice(-2)}`).valid).toContain(reference);
  });

  it('should tell a mistyped reference from a text without one', () => {
    const mistyped = reference.replace('000042', '000043');
    expect(referenceCandidates(`invoice ${mistyped}`)).toEqual({ valid: [], mistyped: [mistyped] });
    expect(referenceCandidates('thank you')).toEqual({ valid: [], mistyped: [] });
  });
});
