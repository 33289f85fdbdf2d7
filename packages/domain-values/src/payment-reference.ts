// The payment reference a lessee writes on a transfer: a contract number without dashes plus two ISO 7064
// mod-97 check digits computed as for an IBAN, so a mistyped reference is told apart from one nobody issued.
// leasing issues them (`paymentReference`), billing checks what payers wrote (`hasValidCheckDigits`).

const REFERENCE = /^[A-Z0-9]{3,34}$/;

/**
 * The reference for `number` (`LC-LESSOR-2026-000042` → `LCLESSOR202600004233`): the number upper-cased
 * without dashes, then `98 - (body·100 mod 97)` as two digits, letters counting as 10–35 as in an IBAN.
 */
export function paymentReference(number: string): string {
  const body = number.replaceAll('-', '').toUpperCase();
  const check = 98 - Number(BigInt(`${numeric(body)}00`) % 97n);
  return `${body}${String(check).padStart(2, '0')}`;
}

/**
 * True when `reference` carries valid mod-97 check digits: 3 to 34 upper-case letters and digits (an IBAN's
 * length at most) whose numeric form is 1 modulo 97. Catches every single changed character and nearly every
 * swap of two neighbours.
 */
export function hasValidCheckDigits(reference: string): boolean {
  if (!REFERENCE.test(reference)) return false;
  return BigInt(numeric(reference)) % 97n === 1n;
}

/** Letters as 10–35 (`A` = 10), digits as themselves. */
function numeric(text: string): string {
  return [...text].map((char) => (/[A-Z]/.test(char) ? String(char.charCodeAt(0) - 55) : char)).join('');
}
