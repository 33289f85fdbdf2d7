import { defineErrors } from '@lessor/service-kit';

/** The refusals of finance beyond the kit's own codes (listed in docs/errors.md). */
export const financeErrors = defineErrors('finance', {
  ENTRY_UNBALANCED: {
    status: 422,
    title: 'The entry does not balance',
    description:
      'In some currency its debits and credits differ (or it lacks a debit or a credit); `errors[]` names each line of that currency with the difference.',
  },
  ACCOUNT_DISABLED: {
    status: 422,
    title: 'An account of the entry takes no postings',
    description: 'The account was disabled or deleted; `errors[]` names the line.',
  },
  ACCOUNT_NOT_FOUND: {
    status: 422,
    title: 'An account of the entry is not in the chart',
    description:
      'No account of the legal entity has this code, in any currency (a code that exists in another currency is opened in the new one automatically); `errors[]` names the line.',
  },
  PERIOD_CLOSED: {
    status: 409,
    title: 'The accounting period is closed',
    description:
      'The entry’s date falls in a month that is closed for the legal entity; reopen it (a permission of its own) or date the entry later.',
  },
  ENTRY_DATE_IN_FUTURE: {
    status: 422,
    title: 'The date is after the current business date',
    description:
      'Finance books nothing dated after the legal entity’s business date (`GET /v1/business-date`), which is kept apart from the system date.',
  },
  ENTRY_ALREADY_REVERSED: {
    status: 409,
    title: 'The entry was reversed already',
    description: 'An entry is reversed at most once; the answer names the reversal.',
  },
  LEGAL_ENTITY_NOT_FOUND: {
    status: 422,
    title: 'Finance keeps no books for this legal entity',
    description: 'Create it first (`POST /v1/legal-entities`), with the default chart or an empty one.',
  },
  LEGAL_ENTITY_EXISTS: {
    status: 409,
    title: 'The legal entity exists',
    description: 'Its books were opened already.',
  },
  ACCOUNT_CODE_TAKEN: {
    status: 409,
    title: 'An account with this code and currency exists',
    description:
      'One account per legal entity, code and currency (deleted ones included: restore it instead).',
  },
  ACCOUNT_HAS_BALANCE: {
    status: 409,
    title: 'The account still has a balance',
    description: 'Only an account whose balance is zero can be deleted; disable it to stop postings.',
  },
  POSTING_RULE_INVALID: {
    status: 422,
    title: 'The posting rule is not valid',
    description:
      'An account code is not in the chart, an expression does not parse, a data path is not in the event’s schema, or the event type is not one finance receives; `errors[]` names each field.',
  },
  FX_RATE_MISSING: {
    status: 422,
    title: 'No exchange rate for the conversion',
    description:
      'No rate (direct or inverse) on or before the date for a currency pair the report needs; `errors[]` names the pairs.',
  },
  REVIEW_ITEM_NOT_OPEN: {
    status: 409,
    title: 'The review item is not open',
    description: 'It was posted (resolved) or discarded already.',
  },
});
