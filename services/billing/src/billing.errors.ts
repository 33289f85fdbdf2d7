import { defineErrors } from '@lessor/service-kit';

/** The refusals of billing beyond the kit's own codes (listed in docs/errors.md). */
export const billingErrors = defineErrors('billing', {
  BILLING_CONTRACT_UNKNOWN: {
    status: 422,
    title: 'Billing knows no such contract',
    description:
      'The contract named has not been activated (billing learns contracts from leasing’s `contract.activated` event); `errors[]` names the field.',
  },
  PAYMENT_NOT_MATCHABLE: {
    status: 422,
    title: 'The payment cannot go to this contract',
    description:
      'Its currency or legal entity differs from the contract’s; `detail` says which. A payment is never converted.',
  },
  PAYMENT_ALREADY_MATCHED: {
    status: 409,
    title: 'The payment is matched already',
    description: 'Only an unmatched payment can be matched by hand; a matched one stays with its contract.',
  },
  PAYMENT_DUPLICATE: {
    status: 409,
    title: 'A payment with this bank reference exists',
    description: 'The bank’s transaction reference was registered or imported before; `paymentId` names it.',
  },
  BANK_FILE_UNREADABLE: {
    status: 422,
    title: 'The bank statement file cannot be read',
    description:
      'Not well-formed XML, not a camt.053 statement, a CSV without the required header columns, or empty; `line` points at the trouble when known. Nothing of the file is imported.',
  },
  INVOICE_NOT_CREDITABLE: {
    status: 409,
    title: 'The invoice cannot be credited',
    description:
      'Only an issued invoice is corrected by a credit note (a planned one changes with its contract, a cancelled one asks for nothing), and not once every line is credited in full; `detail` says which.',
  },
  CREDIT_NOTE_INVALID: {
    status: 422,
    title: 'The credit note does not fit the invoice',
    description:
      'A line the invoice does not have, a line named twice or credited in full already, or an amount above what is left of the line; `errors[]` names each field (`/body/lines/0/amount`).',
  },
  SETTINGS_INVALID: {
    status: 422,
    title: 'The settings are not consistent',
    description:
      'Allocation rules must name each invoice part exactly once; dunning levels must be numbered 1, 2, 3… at growing days; `errors[]` names the field.',
  },
});
