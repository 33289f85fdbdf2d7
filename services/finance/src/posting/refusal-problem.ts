import { isPostgresError, kitErrors, type ProblemError } from '@lessor/service-kit';
import { PostingRefusal } from '../entries/entry.ts';
import { financeErrors } from '../finance.errors.ts';
import { LEDGER_SQLSTATE } from './ledger.ts';

/**
 * The problem an API answers for a refused posting: the finance code, and `errors[]` naming the lines (under
 * `linesPointer`, e.g. `/body/lines`) or the date. Also maps the database's own guards, which only speak when
 * a concurrent change got past the service's checks.
 */
export function refusalProblem(
  error: unknown,
  pointers: { lines: string; date: string; legalEntity: string },
): ProblemError | undefined {
  if (error instanceof PostingRefusal) {
    const lineErrors = (field: string) =>
      error.lines.map((issue) => ({
        field: `${pointers.lines}/${issue.line}/${field}`,
        message: issue.message,
      }));
    switch (error.code) {
      case 'ENTRY_UNBALANCED':
        return financeErrors.create.ENTRY_UNBALANCED(error.message, { errors: lineErrors('amount') });
      case 'ACCOUNT_DISABLED':
        return financeErrors.create.ACCOUNT_DISABLED(error.message, { errors: lineErrors('accountCode') });
      case 'ACCOUNT_NOT_FOUND':
        return financeErrors.create.ACCOUNT_NOT_FOUND(error.message, { errors: lineErrors('accountCode') });
      case 'PERIOD_CLOSED':
        return financeErrors.create.PERIOD_CLOSED(error.message, {
          errors: [{ field: pointers.date, message: error.message }],
        });
      case 'ENTRY_DATE_IN_FUTURE':
        return financeErrors.create.ENTRY_DATE_IN_FUTURE(error.message, {
          errors: [{ field: pointers.date, message: error.message }],
        });
      case 'LEGAL_ENTITY_NOT_FOUND':
        return financeErrors.create.LEGAL_ENTITY_NOT_FOUND(error.message, {
          errors: [{ field: pointers.legalEntity, message: error.message }],
        });
      default:
        return kitErrors.create.CONFLICT(error.message);
    }
  }
  if (isPostgresError(error, LEDGER_SQLSTATE.periodClosed)) {
    return financeErrors.create.PERIOD_CLOSED('The period was closed meanwhile');
  }
  if (isPostgresError(error, LEDGER_SQLSTATE.accountRefused)) {
    return financeErrors.create.ACCOUNT_DISABLED('An account was disabled meanwhile');
  }
  return undefined;
}
