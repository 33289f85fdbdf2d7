// Finding a contract's payment reference in what a payer wrote. leasing's references are the contract
// number without dashes plus two ISO 7064 mod-97 check digits (as an IBAN; `@lessor/domain-values`), so a
// mistyped one is told apart from one billing does not know.
import { hasValidCheckDigits } from '@lessor/domain-values';

export interface ReferenceCandidates {
  /** Tokens with valid check digits: a contract's reference if billing knows one. */
  valid: string[];
  /** Tokens that look like a reference (letters and at least six digits) but fail the check. */
  mistyped: string[];
}

/**
 * The references a remittance text may hold: the whole text without spaces and punctuation (a structured
 * reference written in groups), and each word of it (an unstructured "Rate 3 LC-LESSOR-2026-000042-17").
 */
export function referenceCandidates(text: string): ReferenceCandidates {
  const clean = (token: string) => token.toUpperCase().replace(/[^A-Z0-9]/g, '');
  const usable = (token: string) => token.length >= 3 && token.length <= 34;
  const words = text
    .split(/[\s,;:/()]+/)
    .map(clean)
    .filter(usable);
  const whole = clean(text);
  const tokens = [...new Set([whole, ...words])].filter(usable);
  const valid = tokens.filter(hasValidCheckDigits);
  const looksLikeOne = (token: string) => /[A-Z]/.test(token) && (token.match(/\d/g)?.length ?? 0) >= 6;
  // Mistyped words are named; the whole text only when no word looks like a reference (one written in groups).
  const mistypedWords = words.filter((token) => !valid.includes(token) && looksLikeOne(token));
  const mistyped =
    valid.length > 0
      ? []
      : mistypedWords.length > 0
        ? [...new Set(mistypedWords)]
        : looksLikeOne(whole) && usable(whole)
          ? [whole]
          : [];
  return { valid, mistyped };
}
