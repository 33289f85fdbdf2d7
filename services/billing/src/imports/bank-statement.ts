// What billing reads from a bank statement file, whatever its format: one line per payment received, or the
// reason a line cannot be taken. A file that cannot be read at all throws BankFileError.
import { isBusinessDate } from '@lessor/domain-values';
import { receivedAmountProblem } from '../money.ts';

export const BANK_FILE_FORMATS = ['csv', 'camt053'] as const;
export type BankFileFormat = (typeof BANK_FILE_FORMATS)[number];

/** A payment as a statement line gives it. */
export interface ReceivedPayment {
  valueDate: string;
  amount: string;
  currency: string;
  reference: string;
  bankReference: string;
  payerName: string | null;
  payerAccount: string | null;
}

/** One line of a statement: a payment to import, or why it is refused (broken) or skipped (not a receipt). */
export interface StatementLine {
  /** Position among the file's payment lines, from 1. */
  entry: number;
  /** Where it is in the file: the physical line (CSV) or the line of the entry's tag (camt.053). */
  line: number;
  outcome: { payment: ReceivedPayment } | { refused: string } | { skipped: string };
}

/** The file as a whole cannot be read: nothing of it is imported. `line` points at the trouble when known. */
export class BankFileError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'BankFileError';
  }
}

/** Why a line's fields cannot make a payment, or null. */
export function paymentProblem(payment: ReceivedPayment): string | null {
  if (!isBusinessDate(payment.valueDate))
    return `value date ${JSON.stringify(payment.valueDate)} is not a date YYYY-MM-DD`;
  const amount = receivedAmountProblem(payment.amount, payment.currency);
  if (amount) return amount;
  if (payment.bankReference === '') return 'the bank reference is missing';
  if (payment.bankReference.length > 200) return 'the bank reference is longer than 200 characters';
  if (payment.reference.length > 500) return 'the payment reference is longer than 500 characters';
  return null;
}

/** A line's outcome after checking its fields. */
export function checked(payment: ReceivedPayment): StatementLine['outcome'] {
  const problem = paymentProblem(payment);
  return problem ? { refused: problem } : { payment };
}
