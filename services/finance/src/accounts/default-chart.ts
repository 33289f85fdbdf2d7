/** The kinds of account; the first two grow by debits, the others by credits. */
export const ACCOUNT_TYPES = ['asset', 'expense', 'liability', 'equity', 'income'] as const;
export type AccountType = (typeof ACCOUNT_TYPES)[number];

/** The side a balance normally sits on: debit for assets and expenses, credit for the rest. */
export function normalSide(type: AccountType): 'debit' | 'credit' {
  return type === 'asset' || type === 'expense' ? 'debit' : 'credit';
}

/** The default chart of a leasing company (notes/money-design.md), opened per legal entity at first start. */
export const DEFAULT_CHART: readonly { code: string; name: string; type: AccountType }[] = [
  { code: '1000', name: 'Bank', type: 'asset' },
  { code: '1100', name: 'Trade receivables (invoiced, unpaid)', type: 'asset' },
  { code: '1200', name: 'Lease receivables (gross investment not yet invoiced)', type: 'asset' },
  // A finance lease that ends with the asset returned: what is left of the net investment (the residual value)
  // leaves the lease receivable and becomes the asset itself, held for sale or the next lease at that amount.
  { code: '1300', name: 'Returned assets held for sale', type: 'asset' },
  { code: '2000', name: 'Payable to suppliers', type: 'liability' },
  { code: '2100', name: 'VAT payable', type: 'liability' },
  { code: '2200', name: 'Customer credit (money received, not yet allocated)', type: 'liability' },
  { code: '2300', name: 'Unearned finance income', type: 'liability' },
  { code: '2900', name: 'Suspense (unmatched receipts)', type: 'liability' },
  { code: '3000', name: 'Equity', type: 'equity' },
  { code: '4000', name: 'Interest income', type: 'income' },
  { code: '4100', name: 'Fee income', type: 'income' },
  { code: '4200', name: 'Penalty income', type: 'income' },
  { code: '6900', name: 'FX differences', type: 'expense' },
];

/** The accounts income recognition moves: unearned finance income to interest income. */
export const INCOME_RECOGNITION_ACCOUNTS = { unearned: '2300', income: '4000' } as const;

/** The account that takes the rounding of a trial balance converted into a reporting currency. */
export const TRANSLATION_ROUNDING_ACCOUNT = '6900';

/** The receivables sub-ledger: trade receivables by counterparty and by contract. */
export const RECEIVABLES_ACCOUNT = '1100';
