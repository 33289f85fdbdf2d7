import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasValidCheckDigits, paymentReference } from './payment-reference.ts';

const reference = paymentReference('LC-LESSOR-2026-000042');

// A contract number's shape: a legal-entity code, a year and a sequence (LC-<entity>-<year>-<nnnnnn>).
const contractNumbers = fc
  .tuple(
    fc.stringMatching(/^[A-Z][A-Z0-9]{1,9}$/),
    fc.integer({ min: 1900, max: 2999 }),
    fc.integer({ min: 1, max: 999_999 }),
  )
  .map(([entity, year, sequence]) => `LC-${entity}-${year}-${String(sequence).padStart(6, '0')}`);

describe('payment references', () => {
  it('should write the number without dashes and two check digits when making one', () => {
    expect(reference).toBe('LCLESSOR202600004233');
    expect(paymentReference('lc-lessor-2026-000042')).toBe(reference);
  });

  it('should accept a reference and refuse it with a digit changed when checking', () => {
    expect(hasValidCheckDigits(reference)).toBe(true);
    expect(hasValidCheckDigits(reference.replace('000042', '000043'))).toBe(false);
    const swapped = reference.slice(0, -2) + reference.slice(-1) + reference.slice(-2, -1);
    if (swapped !== reference) expect(hasValidCheckDigits(swapped)).toBe(false);
  });

  it('should refuse lower case, punctuation and lengths outside 3..34 when checking', () => {
    expect(hasValidCheckDigits(reference.toLowerCase())).toBe(false);
    expect(hasValidCheckDigits(`${reference.slice(0, 4)}-${reference.slice(4)}`)).toBe(false);
    expect(hasValidCheckDigits('01')).toBe(false);
    expect(hasValidCheckDigits(paymentReference('X'.repeat(33)))).toBe(false);
  });

  it('should pass its own check for every contract number', () => {
    fc.assert(fc.property(contractNumbers, (number) => hasValidCheckDigits(paymentReference(number))));
  });

  it('should fail the check when any one digit is mistyped', () => {
    fc.assert(
      fc.property(contractNumbers, fc.nat(), fc.integer({ min: 1, max: 9 }), (number, at, shift) => {
        const made = paymentReference(number);
        const digits = [...made.matchAll(/\d/g)].map((match) => match.index);
        const index = digits[at % digits.length]!;
        const mistyped = String((Number(made[index]) + shift) % 10);
        return !hasValidCheckDigits(made.slice(0, index) + mistyped + made.slice(index + 1));
      }),
    );
  });

  it('should fail the check when two different neighbouring digits are swapped', () => {
    fc.assert(
      fc.property(contractNumbers, fc.nat(), (number, at) => {
        const made = paymentReference(number);
        const pairs = [...made.matchAll(/(?=(\d)(\d))/g)]
          .filter((match) => match[1] !== match[2])
          .map((match) => match.index);
        fc.pre(pairs.length > 0);
        const index = pairs[at % pairs.length]!;
        const swapped = made.slice(0, index) + made[index + 1] + made[index] + made.slice(index + 2);
        return !hasValidCheckDigits(swapped);
      }),
    );
  });
});
