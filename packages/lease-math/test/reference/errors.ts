/** One problem with the input: `field` is a JSON pointer into it (`/assetPrice`, `/advance/percent`, `/fees/0/amount`). */
export interface LeaseTermsIssue {
  field: string;
  message: string;
}

/**
 * The input to a calculation is invalid. Carries every issue found, not only the first, so a form can mark
 * all of its wrong fields at once; the leasing service answers it with HTTP 422 naming each field.
 */
export class LeaseTermsError extends Error {
  override readonly name = 'LeaseTermsError';
  readonly issues: LeaseTermsIssue[];

  constructor(issues: LeaseTermsIssue[]) {
    super(issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ') || 'invalid lease terms');
    this.issues = issues;
  }
}

/** Collects issues while a whole input is checked, then throws them together. */
export class IssueCollector {
  readonly issues: LeaseTermsIssue[] = [];

  add(field: string, message: string): void {
    this.issues.push({ field, message });
  }

  /** Whether an issue was recorded for `field` or any field below it. */
  has(field: string): boolean {
    return this.issues.some((issue) => issue.field === field || issue.field.startsWith(`${field}/`));
  }

  throwIfAny(): void {
    if (this.issues.length > 0) throw new LeaseTermsError(this.issues);
  }
}
