import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/** What billing reads from the environment besides the settings of every service; its port is in its definition. */
export const billingConfigSchema = serviceConfigSchema({
  BILLING_LEGAL_ENTITY: Type.String({
    default: 'LESSOR',
    pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
    description:
      'The lessor company an unmatched payment is booked to (a matched one takes its contract’s); leasing’s LEASING_LEGAL_ENTITY.',
  }),
  BILLING_ISSUE_LEAD_DAYS: Type.Integer({
    minimum: 0,
    maximum: 60,
    default: 0,
    description: 'How many days before its due date an invoice is issued.',
  }),
  BILLING_JOBS_ENABLED: Type.Boolean({
    default: true,
    description:
      'Runs the daily job (issue what is due today, charge yesterday’s penalties) on a timer; tests turn it off.',
  }),
  BILLING_JOB_INTERVAL_MS: Type.Integer({
    minimum: 1000,
    default: 3_600_000,
    description:
      'How often the daily job looks at the date. Both runs are idempotent, so hourly costs nothing and a day missed while the service was down is caught up.',
  }),
  BILLING_IMPORT_RESUME_INTERVAL_MS: Type.Integer({
    minimum: 1000,
    default: 60_000,
    description:
      'How often billing looks for bank statement imports left running by a process that stopped (each resumes them at its start too). Replicas share the lines of one import, each line imported once.',
  }),
  BILLING_IMPORT_MAX_BYTES: Type.Integer({
    minimum: 1024,
    default: 10_485_760,
    description: 'The largest bank statement file an import takes.',
  }),
});

export type BillingConfig = Static<typeof billingConfigSchema>;
