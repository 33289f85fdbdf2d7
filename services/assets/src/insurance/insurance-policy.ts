import type { FieldError } from '@lessor/service-kit';
import type { MoneyValue } from '@lessor/domain-values';
import { moneyErrors } from '../money.ts';

/** The fields that decide whether a policy is well formed, beyond what each field's schema checks. */
export interface PolicyFacts {
  insuredAmount: MoneyValue;
  premium: MoneyValue;
  /** `YYYY-MM-DD`, the first day covered. */
  validFrom: string;
  /** `YYYY-MM-DD`, the last day covered. */
  validTo: string;
}

/**
 * What is wrong with a policy as a whole, as field errors under `/body`: it must end after it starts, insure
 * an amount above zero, and cost a premium that is not negative (zero: included in another contract).
 */
export function policyErrors(policy: PolicyFacts): FieldError[] {
  const errors: FieldError[] = [];
  // Business dates compare as text: `YYYY-MM-DD` sorts in date order.
  if (policy.validTo <= policy.validFrom) {
    errors.push({ field: '/body/validTo', message: `must be after validFrom (${policy.validFrom})` });
  }
  errors.push(...moneyErrors(policy.insuredAmount, '/body/insuredAmount', 'positive'));
  errors.push(...moneyErrors(policy.premium, '/body/premium', 'non-negative'));
  return errors;
}
