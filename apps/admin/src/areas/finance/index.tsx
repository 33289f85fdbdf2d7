import type { Area } from '../area.ts';
import { AccountsPage } from './accounts/AccountsPage.tsx';
import { BalancesPage } from './balances/BalancesPage.tsx';
import { JournalPage } from './journal/JournalPage.tsx';
import { ReceivablesPage } from './receivables/ReceivablesPage.tsx';
import { ReviewPage } from './review/ReviewPage.tsx';
import { StatementPage } from './statement/StatementPage.tsx';
import { financeTexts } from './texts.ts';
import { TrialBalancePage } from './trial-balance/TrialBalancePage.tsx';

/**
 * Trial balance, journal, account statements, receivables, an account's balances by contract, the review list and
 * the chart of accounts.
 */
export const financeArea: Area = {
  key: 'finance',
  nav: [{ path: '/finance', label: 'nav.finance', permission: 'finance:reports:read' }],
  pages: [
    { path: 'finance', permission: 'finance:reports:read', element: <TrialBalancePage /> },
    { path: 'finance/journal', permission: 'finance:entries:read', element: <JournalPage /> },
    { path: 'finance/statement', permission: 'finance:reports:read', element: <StatementPage /> },
    { path: 'finance/receivables', permission: 'finance:reports:read', element: <ReceivablesPage /> },
    { path: 'finance/balances', permission: 'finance:reports:read', element: <BalancesPage /> },
    { path: 'finance/review', permission: 'finance:review:read', element: <ReviewPage /> },
    { path: 'finance/accounts', permission: 'finance:accounts:read', element: <AccountsPage /> },
  ],
  texts: financeTexts,
};
