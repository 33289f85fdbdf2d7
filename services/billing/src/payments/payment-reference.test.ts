import { describe, expect, it } from 'vitest';
import { hasValidCheckDigits, referenceCandidates } from './payment-reference.ts';

/** leasing's rule: the contract number without dashes plus ISO 7064 mod-97 check digits. */
function referenceOf(number: string): string {
  const body = number.replaceAll('-', '');
  const digits = [...`${body}00`].map((c) => (/[A-Z]/.test(c) ? String(c.charCodeAt(0) - 55) : c)).join('');
  return `${body}${String(98 - Number(BigInt(digits) % 97n)).padStart(2, '0')}`;
}

const reference = referenceOf('LC-LESSOR-2026-000042');

describe('payment references', () => {
  it('should accept leasing’s references and refuse one with a digit changed', () => {
    expect(hasValidCheckDigits(reference)).toBe(true);
    const mistyped = reference.replace('000042', '000043');
    expect(hasValidCheckDigits(mistyped)).toBe(false);
  });

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
