import { kitErrors } from '@lessor/service-kit';

/**
 * A penalty run may not reach past today: a day's penalty is charged on the principal unpaid at its end,
 * which nobody knows before the day is over.
 */
export function refuseFuture(upTo: string, today: string): void {
  if (upTo > today)
    throw kitErrors.create.VALIDATION_FAILED(`upTo ${upTo} is after today (${today})`, {
      errors: [{ field: '/body/upTo', message: `must not be after today (${today})` }],
    });
}
