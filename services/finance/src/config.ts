import { currencyCodeSchema } from '@lessor/reference-data';
import { serviceConfigSchema, Type, type Static } from '@lessor/service-kit';

/** What finance reads from the environment besides the settings of every service; its port is in its definition. */
export const financeConfigSchema = serviceConfigSchema({
  FINANCE_LEGAL_ENTITY: Type.String({
    default: 'LESSOR',
    pattern: '^[A-Z0-9][A-Z0-9-]{1,19}$',
    description:
      'The legal entity whose books finance opens with the default chart at first start, and the one a request means when it names none.',
  }),
  FINANCE_FUNCTIONAL_CURRENCY: Type.String({
    default: 'EUR',
    ...currencyCodeSchema(
      'The functional currency of that legal entity (its books’ and reports’ default currency), an active ISO 4217 code.',
    ),
  }),
  FINANCE_EVENT_PREFETCH: Type.Integer({
    minimum: 1,
    default: 400,
    description:
      'Events in flight from the broker: the consumer posts them in batches of up to 50 per transaction, 8 batches at once.',
  }),
  FINANCE_CACHE_MS: Type.Integer({
    minimum: 0,
    default: 1000,
    description:
      'How long the posting path reuses what it read of accounts, periods, business dates and rules (another replica’s change is seen within this time; the database refuses a disabled account or a closed period in any case).',
  }),
  FINANCE_INCOME_JOB_INTERVAL_MS: Type.Integer({
    minimum: 0,
    default: 3_600_000,
    description:
      'How often the job recognises finance income up to each legal entity’s business date (0: never; the admin call still works).',
  }),
});

export type FinanceConfig = Static<typeof financeConfigSchema>;
